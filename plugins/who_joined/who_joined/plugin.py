"""The hooks of zoomclient-who-joined: the "Who joined" sidebar. Kept light: Qt and the work load when
the shell builds the view.

The plugin is an object (the entry point names :data:`PLUGIN`), so that a test can build one whose
Zoom client comes from a sign-in of its own and that refreshes sooner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.hookspecs import hookimpl
from host.views import View, ViewArea

if TYPE_CHECKING:
    from host.app import Host
    from host.secrets import SecretStore
    from zoom_workplace.client import ZoomClient

VIEW_ID = "who-joined"
#: How often the sidebar reads the participants again while it is shown.
REFRESH_SECONDS = 30.0


class WhoJoinedPlugin:
    """``connect(host)`` gives the Zoom client of whoever is signed in to Zoom; by default it comes from a
    secret store (see :meth:`client`), and nobody signed in is :class:`ZoomSignInNeeded`."""

    def __init__(
        self, connect: Callable[[Host], ZoomClient] | None = None, *, refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        self.host: Host | None = None
        self.secrets: SecretStore | None = None
        self._connect = connect
        self.refresh_seconds = refresh_seconds

    def bind(self, host: Host, secrets: SecretStore | None = None) -> None:
        """Use ``host`` and, when given, a secret store opened already."""
        self.host, self.secrets = host, secrets

    def client(self, secrets: SecretStore | None = None) -> ZoomClient:
        """A Zoom client for one refresh (a sign-in or sign-out in between is seen); the caller closes it.
        The Zoom sign-in is looked for in the store :meth:`bind` gave, else in ``secrets`` (the window's),
        else in the host's."""
        from host.errors import UsageError
        from host.secrets import open_secret_store
        from who_joined.participants import ZoomSignInNeeded
        from zoom_workplace.session import open_client, zoom_account

        if self.host is None:
            raise UsageError("Who joined is not ready: the host has not started.")
        if self._connect is not None:
            return self._connect(self.host)
        store = self.secrets or secrets or open_secret_store(self.host.data_dir)
        if zoom_account(store, self.host) is None:
            raise ZoomSignInNeeded()
        return open_client(store, self.host)

    @hookimpl
    def host_started(self, host: Host) -> None:
        if self.host is None:
            self.host = host

    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        register(View(VIEW_ID, "Who joined", ViewArea.SIDEBAR, self._create, order=50))

    def _create(self, context: Any) -> Any:
        from who_joined.view import WhoJoinedPanel

        return WhoJoinedPanel(context, self)


PLUGIN: Any = WhoJoinedPlugin()

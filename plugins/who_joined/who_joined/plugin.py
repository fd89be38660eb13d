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
from zoom_workplace.workflow_plugin import ZoomWorkflowPlugin

if TYPE_CHECKING:
    from host.app import Host
    from zoom_workplace.client import ZoomClient

VIEW_ID = "who-joined"
#: How often the sidebar reads the participants again while it is shown.
REFRESH_SECONDS = 30.0


class WhoJoinedPlugin(ZoomWorkflowPlugin):
    """The "Who joined" sidebar; the Zoom client as every Zoom plugin gets it, read anew at each refresh
    (so a sign-in or sign-out in between is seen)."""

    feature = "Who joined"

    def __init__(
        self, connect: Callable[[Host], ZoomClient] | None = None, *, refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        super().__init__(connect)
        self.refresh_seconds = refresh_seconds

    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        register(View(VIEW_ID, "Who joined", ViewArea.SIDEBAR, self._create, order=50))

    def _create(self, context: Any) -> Any:
        from who_joined.view import WhoJoinedPanel

        return WhoJoinedPanel(context, self)


PLUGIN: Any = WhoJoinedPlugin()

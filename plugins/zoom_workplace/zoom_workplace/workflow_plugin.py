"""What every Zoom workflow plugin's plugin object shares: the host it runs in, the secret store that
holds the Zoom sign-in, and a Zoom client of whoever is signed in.

A Zoom plugin's entry point names an instance of a subclass, so that a test can build one whose Zoom
client comes from a sign-in of its own (``connect``). The installed one finds the sign-in in the
secret store the host opened the account with (the CLI's, the app's, the demo's in-memory one), else
in the platform's default store. Kept light: nothing heavy is imported before a client is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from host.hookspecs import hookimpl

if TYPE_CHECKING:
    import click

    from host.accounts import Accounts
    from host.app import Host
    from host.model.account import Account
    from host.secrets import SecretStore
    from zoom_workplace.client import ZoomClient


class ZoomWorkflowPlugin:
    """Base of the Zoom plugins' plugin objects. ``connect(host)``, when given, makes every Zoom client."""

    #: What the plugin offers, for the error when it is used before the host started.
    feature = "This Zoom feature"

    def __init__(self, connect: Callable[[Host], ZoomClient] | None = None) -> None:
        self.host: Host | None = None
        self.secrets: SecretStore | None = None
        self._connect = connect

    def bind(self, host: Host, secrets: SecretStore | None = None) -> None:
        """Use ``host`` and, when given, the secret store a command or the host opened the account with."""
        self.host, self.secrets = host, secrets

    def accounts(self, ctx: click.Context) -> Accounts:
        """A command's account manager, with the plugin bound to its host and secret store."""
        from host.cli.support import accounts

        manager = accounts(ctx)
        self.bind(manager.host, manager.secrets)
        return manager

    def client(self) -> ZoomClient:
        """A new Zoom client (the caller closes it); UsageError when nobody is signed in to Zoom."""
        from host.errors import UsageError
        from host.secrets import open_secret_store
        from zoom_workplace.session import open_client

        if self.host is None:
            raise UsageError(f"{self.feature} is not ready: the host has not started.")
        if self._connect is not None:
            return self._connect(self.host)
        return open_client(self.secrets or open_secret_store(self.host.data_dir), self.host)

    @hookimpl
    def host_started(self, host: Host) -> None:
        if self.host is None:
            self.host = host

    @hookimpl
    def account_signed_in(self, host: Host, account: Account, secrets: SecretStore) -> None:
        # The store the host opened the account with is where the Zoom sign-in is (the demo's is in memory).
        self.bind(host, secrets)

"""The hooks of zoomclient-zoom-phone: the event editor's "Add Zoom Phone number" action and
``zoomclient phone``. Kept light: the work is imported when used.

The plugin is an object (the entry point names :data:`PLUGIN`), so that a test can build one whose
Zoom client comes from a sign-in of its own; the installed one opens the host's secret store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.hookspecs import hookimpl

if TYPE_CHECKING:
    import click

    from host.app import Host
    from host.secrets import SecretStore
    from zoom_phone.numbers import PhoneNumber
    from zoom_workplace.client import ZoomClient


class ZoomPhonePlugin:
    """``connect(host)`` gives the Zoom client of whoever is signed in to Zoom; by default it comes from
    the host's secret store: the one the account was opened with (the CLI's or the app's), else the
    platform's default store."""

    def __init__(self, connect: Callable[[Host], ZoomClient] | None = None) -> None:
        self.host: Host | None = None
        self.secrets: SecretStore | None = None
        self._connect = connect

    def bind(self, host: Host, secrets: SecretStore | None = None) -> None:
        """Use ``host`` and, when given, the secret store a command already opened."""
        self.host, self.secrets = host, secrets

    def client(self) -> ZoomClient:
        from host.errors import UsageError
        from host.secrets import open_secret_store
        from zoom_workplace.session import open_client

        if self.host is None:
            raise UsageError("Zoom Phone is not ready: the host has not started.")
        if self._connect is not None:
            return self._connect(self.host)
        return open_client(self.secrets or open_secret_store(self.host.data_dir), self.host)

    async def numbers(self) -> list[PhoneNumber]:
        from zoom_phone.numbers import phone_numbers

        client = self.client()
        try:
            return await phone_numbers(client)
        finally:
            await client.aclose()

    @hookimpl
    def host_started(self, host: Host) -> None:
        if self.host is None:
            self.host = host

    @hookimpl
    def account_signed_in(self, host: Host, secrets: SecretStore) -> None:
        # The store the host opened the account with is where the Zoom sign-in is (the demo's is in memory).
        self.bind(host, secrets)

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                id="zoom.phone-number",
                title="Add Zoom Phone number",
                places=frozenset({ActionPlace.EVENT_EDITOR}),
                run=self._add_number,
                available=lambda context: context.event is not None,
                icon="zoom-phone",
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        from zoom_phone.cli import phone_commands

        cli.add_command(phone_commands(self))

    async def _add_number(self, context: ActionContext) -> ActionResult:
        """The editor's event with one of the user's Zoom Phone numbers in it (asked which, if several)."""
        from host.errors import UsageError
        from zoom_phone.numbers import with_phone

        if context.event is None:
            raise UsageError("There is no event to add a Zoom Phone number to.")
        numbers = await self.numbers()
        number = numbers[0]
        if len(numbers) > 1:
            index = await context.ui.choose("Which Zoom Phone number?", [n.label for n in numbers])
            if index is None:
                return ActionResult()
            number = numbers[index]
        return ActionResult(message=f"Zoom Phone number {number.label} added.", event=with_phone(context.event, number))


PLUGIN: Any = ZoomPhonePlugin()

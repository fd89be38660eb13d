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
from zoom_workplace.workflow_plugin import ZoomWorkflowPlugin

if TYPE_CHECKING:
    import click

    from zoom_phone.numbers import PhoneNumber


class ZoomPhonePlugin(ZoomWorkflowPlugin):
    """The event editor's Zoom Phone action and ``zoomclient phone``; the Zoom client as every Zoom plugin gets it."""

    feature = "Zoom Phone"

    async def numbers(self) -> list[PhoneNumber]:
        from zoom_phone.numbers import phone_numbers

        client = self.client()
        try:
            return await phone_numbers(client)
        finally:
            await client.aclose()

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

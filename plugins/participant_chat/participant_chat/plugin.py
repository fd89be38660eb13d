"""The hooks of zoomclient-participant-chat: the event menu's "Chat with the event's participants" and
``zoomclient chat participants``. Kept light: the work is imported when used.

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


ACTION_ID = "zoom.participant-chat"


class ParticipantChatPlugin(ZoomWorkflowPlugin):
    """The event menu's group chat and ``zoomclient chat participants``; the Zoom client as every Zoom
    plugin gets it."""

    feature = "The participant chat"

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                id=ACTION_ID,
                title="Chat with the event's participants",
                places=frozenset({ActionPlace.EVENT}),
                run=self._chat,
                available=_has_others,
                icon="zoom-chat",
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        from participant_chat.cli import add_chat_commands

        add_chat_commands(cli, self)

    async def _chat(self, context: ActionContext) -> ActionResult:
        """Ask (naming who has no Zoom account), then start the group chat and say who is in it."""
        from host.errors import UsageError
        from participant_chat.chat import chat_name, confirmation, require_members, roster, start_group_chat, summary

        if context.event is None:
            raise UsageError("There is no event to chat about.")
        client = self.client()
        try:
            found = await roster(client, context.event)
            require_members(found)
            name = chat_name(context.event)
            if not await context.ui.confirm(confirmation(name, found)):
                return ActionResult(message="No group chat was started.")
            chat = await start_group_chat(client, name, found)
        finally:
            await client.aclose()
        return ActionResult(message=summary(chat))


def _has_others(context: ActionContext) -> bool:
    event = context.event
    return event is not None and any(not attendee.is_self for attendee in event.attendees)


PLUGIN: Any = ParticipantChatPlugin()

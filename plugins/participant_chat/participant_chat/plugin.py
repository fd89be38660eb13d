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

if TYPE_CHECKING:
    import click

    from host.app import Host
    from host.secrets import SecretStore
    from zoom_workplace.client import ZoomClient

ACTION_ID = "zoom.participant-chat"


class ParticipantChatPlugin:
    """``connect(host)`` gives the Zoom client of whoever is signed in to Zoom; by default it comes
    from the host's secret store: the one the CLI opened (:meth:`bind`), else the app's."""

    def __init__(self, connect: Callable[[Host], ZoomClient] | None = None) -> None:
        self.host: Host | None = None
        self.secrets: SecretStore | None = None
        self._connect = connect

    def bind(self, host: Host, secrets: SecretStore | None = None) -> None:
        """Use ``host`` and, when given, the secret store a command already opened."""
        self.host, self.secrets = host, secrets

    def client(self) -> ZoomClient:
        """A Zoom client for one piece of work; the caller closes it."""
        from host.errors import UsageError
        from host.secrets import open_secret_store
        from zoom_workplace.session import open_client

        if self.host is None:
            raise UsageError("The participant chat is not ready: the host has not started.")
        if self._connect is not None:
            return self._connect(self.host)
        return open_client(self.secrets or open_secret_store(self.host.data_dir), self.host)

    @hookimpl
    def host_started(self, host: Host) -> None:
        if self.host is None:
            self.host = host

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

"""``zoomclient chat participants --event ID``: a Team Chat group chat with an event's attendees.

The event is looked up in its calendar between a month ago and a year ahead (as ``zoomclient meeting``
does). Without ``--yes`` the command names who has no Zoom account and asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from host.cli.support import (
    calendar_option,
    command_group,
    echo_json,
    event_option,
    opened_event,
    reports_errors,
    run,
)

if TYPE_CHECKING:
    from participant_chat.plugin import ParticipantChatPlugin


def add_chat_commands(cli: click.Group, plugin: ParticipantChatPlugin) -> None:
    """``chat participants`` into the ``chat`` group (made here unless another Team Chat plugin made it)."""
    command_group(cli, "chat", help="Zoom Team Chat.").add_command(participants_command(plugin))


def participants_command(plugin: ParticipantChatPlugin) -> click.Command:
    @click.command(name="participants")
    @event_option
    @calendar_option
    @click.option("--yes", is_flag=True, help="Do not ask.")
    @click.option("--json", "as_json", is_flag=True, help="Print the chat (id, members, who was left out) as JSON.")
    @click.pass_context
    @reports_errors
    def participants(ctx: click.Context, event_id: str, calendar_id: str | None, yes: bool, as_json: bool) -> None:
        """Start a Zoom Team Chat group chat with an event's attendees who have a Zoom account."""
        from participant_chat.chat import chat_name, confirmation, require_members, roster, start_group_chat, summary

        manager = plugin.accounts(ctx)

        async def look_up():
            async with opened_event(manager, calendar_id, event_id) as (_, _, event):
                client = plugin.client()
                try:
                    return event, await roster(client, event)
                finally:
                    await client.aclose()

        event, found = run(look_up())
        require_members(found)
        name = chat_name(event)
        if not yes:
            click.confirm(confirmation(name, found), abort=True)

        async def start():
            client = plugin.client()
            try:
                return await start_group_chat(client, name, found)
            finally:
                await client.aclose()

        chat = run(start())
        if as_json:
            echo_json(chat)
            return
        click.echo(summary(chat))
        if chat.url:
            click.echo(f"Open: {chat.url}")

    return participants

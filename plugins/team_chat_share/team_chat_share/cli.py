"""``zoomclient chat share MESSAGE_ID (--to-contact EMAIL | --to-channel NAME_OR_ID) [--eml] [--json]``.

The message is read from the local (encrypted) store; its original, for ``--eml``, from the store or,
when the provider gave none at sync, from the provider.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from host.cli.support import command_group, echo_json, reports_errors, run

if TYPE_CHECKING:
    from team_chat_share.plugin import TeamChatSharePlugin
    from team_chat_share.sharing import Shared


def add_share_command(cli: click.Group, plugin: TeamChatSharePlugin) -> None:
    """``share`` in the ``chat`` group, which another Team Chat plugin may have added already."""
    command_group(cli, "chat", help="Zoom Team Chat.").add_command(share_command(plugin))


def share_command(plugin: TeamChatSharePlugin) -> click.Command:
    @click.command(name="share")
    @click.argument("message_id")
    @click.option("--to-contact", "contact", metavar="EMAIL", help="A Zoom contact's email address.")
    @click.option("--to-channel", "channel", metavar="NAME_OR_ID", help="One of your Team Chat channels.")
    @click.option("--eml", is_flag=True, help="Send the whole email along as an .eml file.")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def share(ctx: click.Context, message_id: str, contact: str | None, channel: str | None, eml: bool, as_json: bool):
        """Share an email to Team Chat: its subject, sender, date and an excerpt (ids are in `mail list`)."""
        from host.errors import UsageError
        from team_chat_share.recipients import Directory
        from team_chat_share.sharing import share as send

        if (contact is None) == (channel is None):
            raise UsageError("Say whom to share with: --to-contact EMAIL or --to-channel NAME_OR_ID (one of them).")
        manager = plugin.accounts(ctx)

        async def go() -> Shared:
            session = await manager.open()
            try:
                store, _ = session.require_mail()
                message = store.get_message(message_id)
                if message is None:
                    raise UsageError(f"There is no message {message_id!r}.", hint="Ids are in `zoomclient mail list`.")
                raw = message.raw
                if eml and raw is None and session.mail is not None:
                    raw = (await session.mail.get_message(message_id)).raw
                if eml and raw is None:
                    raise UsageError(
                        "The provider gives no original of this email, so it cannot go as an .eml file.",
                        hint="Share it without --eml.",
                    )
                client = plugin.client()
                try:
                    directory = Directory(client)
                    recipient = await (directory.contact(contact) if contact else directory.channel(str(channel)))
                    return await send(client, recipient, message, eml=raw if eml else None)
                finally:
                    await client.aclose()
            finally:
                await session.aclose()

        shared = run(go())
        if as_json:
            echo_json(shared)
            return
        attached = f", with the email as {shared.file_name}" if shared.file_name else ""
        click.echo(
            f"Shared message {message_id} with {shared.recipient.label}{attached} (Team Chat id {shared.message_id})."
        )

    return share

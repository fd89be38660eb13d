"""The hooks of zoomclient-team-chat-share: the message action "Share to Team Chat" and
``zoomclient chat share``. Kept light: the work is imported when used.

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


ACTION_ID = "team-chat.share"
DESKTOP_SIGN_IN = "Sign in on the Zoom page of File → Settings…, or with `zoomclient zoom signin`."
#: The preview's check box for sending the whole email along.
EML_OPTION = "Attach the message as an .eml file"


class TeamChatSharePlugin(ZoomWorkflowPlugin):
    """The message action and ``zoomclient chat share``; the Zoom client as every Zoom plugin gets it."""

    feature = "Team Chat sharing"

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                id=ACTION_ID,
                title="Share to Team Chat",
                places=frozenset({ActionPlace.MESSAGE}),
                run=self._share,
                available=lambda context: context.message is not None,
                icon="zoom-chat",
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        from team_chat_share.cli import add_share_command

        add_share_command(cli, self)

    async def _share(self, context: ActionContext) -> ActionResult:
        """Pick a contact or channel, preview, send; cancelling either step sends nothing."""
        from host.errors import UsageError
        from team_chat_share.recipients import Directory
        from team_chat_share.sharing import FILE_MAX_BYTES, share, share_text

        message = context.message
        if message is None:
            raise UsageError("There is no message to share.", hint="Select a message first.")
        try:
            client = self.client()
        except UsageError as error:  # nobody is signed in to Zoom: in the app, its settings page signs in
            raise UsageError(Exception.__str__(error), hint=DESKTOP_SIGN_IN) from error
        try:
            directory = Directory(client)
            picked = await context.ui.pick(
                "Share to Team Chat", directory.search, prompt="Search a contact (name or email) or a channel"
            )
            if picked is None:
                return ActionResult()
            recipient = picked.value
            options: tuple[str, ...] = ()
            note = ""
            if message.raw is None:
                note = "\n\n(The original of this email is not on this computer, so it cannot go as an .eml file.)"
            elif len(message.raw) > FILE_MAX_BYTES:
                size, most = len(message.raw) / 2**20, FILE_MAX_BYTES // 2**20
                note = f"\n\n(The email is {size:.1f} MB, more than the {most} MB Team Chat takes as a file.)"
            else:
                options = (EML_OPTION,)
            ticked = await context.ui.preview(
                f"Share to {recipient.name}",
                f"To: {recipient.label} ({recipient.detail})\n\n{share_text(message)}{note}",
                options=options,
                accept="Send",
            )
            if ticked is None:
                return ActionResult()
            shared = await share(client, recipient, message, eml=message.raw if EML_OPTION in ticked else None)
        finally:
            await client.aclose()
        attached = f", with the email as {shared.file_name}" if shared.file_name else ""
        subject = message.subject or "(no subject)"
        return ActionResult(message=f"Shared “{subject}” with {recipient.name} in Team Chat{attached}.")


PLUGIN: Any = TeamChatSharePlugin()

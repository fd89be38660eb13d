"""What a shared email becomes in Team Chat, and sending it.

The message holds the subject, the sender, the date and a plain-text excerpt, within the spec's
``maxLength`` of 1024 characters for ``message``. The whole email can go with it as an ``.eml`` file
(``POST /chat/users/me/messages/files``, at most 20 MB for a file that is no image), sent as a reply
to the excerpt so that the two stay together in the chat.
"""

from __future__ import annotations

import email.utils
import re
from typing import TYPE_CHECKING

import attrs

from host.errors import ProviderError, UsageError, ZoomclientError
from host.model.mail import Message

if TYPE_CHECKING:
    from team_chat_share.recipients import Recipient
    from zoom_workplace.client import ZoomClient

#: The spec's ``maxLength`` of a Team Chat message.
MESSAGE_MAX_LENGTH = 1024
#: An excerpt is a glance at the email, not the email: the .eml carries all of it.
EXCERPT_LENGTH = 600
#: The spec's limit for a chat file that is not an image ("20 megabytes for all other file types").
FILE_MAX_BYTES = 20 * 2**20
SUBJECT_LENGTH = 200
#: Zoom's error codes a user can do something about, and what (the spec's codes for these routes).
REFUSALS = {
    1001: "Pick the contact again: they may have left your Zoom organisation.",
    4130: "Pick the channel again: it may have been deleted, or you may have left it.",
    5301: "Try again in a moment; if it keeps failing, send it from the Zoom app.",
    5403: "Share without the .eml file, or ask your Zoom admin to allow files in Team Chat.",
    5418: "Your Zoom account may not chat with others; ask your Zoom admin.",
    5420: "The channel is archived: pick another one.",
    5421: "You blocked this contact in Zoom: unblock them there first.",
}


class MessageTooLarge(UsageError):
    """The email is larger than Team Chat takes as a file."""


@attrs.frozen
class Shared:
    """What was sent: the Team Chat message's id and, with the .eml, the file message's id."""

    recipient: Recipient
    text: str
    message_id: str
    file_message_id: str | None = None
    file_name: str | None = None


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word where it must be cut, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - 1)]
    space = head.rfind(" ")
    if not text[len(head)].isspace() and space > limit // 2:  # mid-word: back to the word's start
        head = head[:space]
    return head.rstrip() + "…"


def excerpt(body: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of a plain-text body: quoted replies and the signature left out, blank lines kept single."""
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.rstrip() == "--":  # the signature separator ("-- ")
            break
        if line.lstrip().startswith(">"):
            continue
        cleaned = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        if cleaned or (lines and lines[-1]):
            lines.append(cleaned)
    return _cut("\n".join(lines).strip(), limit)


def _one_line(text: str) -> str:
    """A header value on one line: a line break in a subject or a name must not start a line of its own."""
    return _cut(" ".join(text.split()), SUBJECT_LENGTH)


def share_text(message: Message, *, limit: int = MESSAGE_MAX_LENGTH) -> str:
    """The Team Chat message for ``message``: never longer than ``limit``."""
    sender = str(message.sender) if message.sender else "(unknown sender)"
    # The sharer's local time with its offset: the chat's readers may be in other zones.
    date = email.utils.format_datetime(message.date.astimezone())
    subject = _one_line(message.subject) or "(no subject)"
    head = "\n".join((f"Email: {subject}", f"From: {_one_line(sender)}", f"Date: {date}"))
    room = limit - len(head) - 2
    body = excerpt(message.body_text or message.snippet, min(EXCERPT_LENGTH, room))
    return f"{head}\n\n{body}" if body else head


def eml_name(message: Message) -> str:
    """A file name from the subject, safe on every system Team Chat's readers download to."""
    stem = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]+', "_", message.subject).strip(" ._")
    return f"{_cut(stem, 80).rstrip('…').strip() or 'message'}.eml"


def check_size(raw: bytes) -> None:
    if len(raw) > FILE_MAX_BYTES:
        raise MessageTooLarge(
            f"The email is {len(raw) / 2**20:.1f} MB; Team Chat takes files of at most {FILE_MAX_BYTES // 2**20} MB.",
            hint="Share it without the .eml file (the excerpt still goes), or forward it by mail.",
        )


def refused(error: ZoomclientError, recipient: Recipient, what: str) -> ZoomclientError:
    """Zoom's refusal of ``what`` as an error that names the recipient and says what to do."""
    from zoom_workplace.client import ZoomApiError

    if not isinstance(error, ZoomApiError):
        return error
    hint = REFUSALS.get(error.code or 0, error.hint)
    return ProviderError(
        f"Team Chat did not take {what} for {recipient.label}: {error}", status=error.status, hint=hint
    )


async def share(client: ZoomClient, recipient: Recipient, message: Message, *, eml: bytes | None = None) -> Shared:
    """Send the message's gist to ``recipient`` and, with ``eml``, the whole email as a reply to it.

    The size of the .eml is checked before anything is sent; if the file fails after the text went,
    the error says that the text went."""
    from team_chat_share.files import send_file

    if eml is not None:
        check_size(eml)
    file_target = recipient.file_target() if eml is not None else {}
    text = share_text(message)
    try:
        sent = await client.request(
            "POST", "/chat/users/me/messages", body={"message": text, **recipient.message_target()}
        )
    except ZoomclientError as error:
        raise refused(error, recipient, "the message") from error
    message_id = str((sent or {}).get("id", ""))
    if eml is None:
        return Shared(recipient, text, message_id)
    name = eml_name(message)
    try:
        file_message_id = await send_file(
            client, name, eml, content_type="message/rfc822", target=file_target, reply_to=message_id or None
        )
    except ZoomclientError as error:
        what = refused(error, recipient, "the .eml file")
        raise ProviderError(
            f"The excerpt was shared with {recipient.label}, but the .eml file was not. {Exception.__str__(what)}",
            hint=what.hint,
        ) from error
    return Shared(recipient, text, message_id, file_message_id, name)

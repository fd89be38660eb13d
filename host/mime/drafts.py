"""A draft's RFC 5322 bytes back into the :class:`~host.model.OutgoingMessage` the composer edits."""

from __future__ import annotations

from host.mime.parse import attachment_bytes, parse_message
from host.model.mail import OutgoingAttachment, OutgoingMessage


def outgoing_from_raw(raw: bytes, *, thread_id: str | None = None) -> OutgoingMessage:
    """What a stored draft says, attachments with their bytes, ready to edit and save again.

    ``build_message`` ends each body with the newline the email package always adds; it is taken off
    again here, so that a draft saved and reopened over and over does not grow a line each time.
    """
    message = parse_message(raw, id="", thread_id=thread_id or "")
    return OutgoingMessage(
        to=message.to,
        subject=message.subject,
        body_text=message.body_text.removesuffix("\n"),
        body_html=message.body_html.removesuffix("\n") if message.body_html is not None else None,
        cc=message.cc,
        bcc=message.bcc,
        sender=message.sender,
        attachments=tuple(
            OutgoingAttachment(a.filename, a.content_type, attachment_bytes(raw, a.id), a.content_id)
            for a in message.attachments
        ),
        in_reply_to=message.in_reply_to,
        references=message.references,
        thread_id=thread_id,
    )

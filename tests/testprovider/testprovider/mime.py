"""RFC 5322 bytes <-> the host's Message / OutgoingMessage, with Python's email package.

Small on purpose: TestMail sends raw messages, and a MIME parser for the engine belongs in the host.
It never raises on bad input: what it cannot read becomes ``parse_note`` on the message.
"""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid, parsedate_to_datetime

from host.model.mail import Address, Attachment, Message, OutgoingMessage

SNIPPET_LENGTH = 120


def _is_attachment(part: EmailMessage) -> bool:
    disposition = part.get_content_disposition()
    if disposition == "attachment":
        return True
    if disposition == "inline":  # an inline body text has neither a name nor a Content-ID
        return bool(part.get_filename() or part.get("Content-ID"))
    return part.get_content_maintype() != "text"  # a file or image sent without a disposition


def attachment_parts(message: EmailMessage) -> list[EmailMessage]:
    """The parts that are attachments or inline images, in a fixed order: their index is their id."""
    return [part for part in message.walk() if not part.is_multipart() and _is_attachment(part)]


def parse_bytes(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def _header(message: EmailMessage, name: str, notes: list[str]) -> str:
    try:
        value = message.get(name)
        return str(value) if value is not None else ""
    except Exception as error:  # a header the policy cannot parse: keep its raw text
        notes.append(f"unreadable {name} header ({error})")
        raw = message.get_all(name, failobj=[""])
        return str(raw[0]) if raw else ""


def _addresses(message: EmailMessage, name: str, notes: list[str]) -> tuple[Address, ...]:
    text = _header(message, name, notes)
    return tuple(Address(addr, realname) for realname, addr in getaddresses([text]) if addr)


def _text(part: EmailMessage, notes: list[str]) -> str:
    try:
        # Line ends as Python writes them: the wire's CRLF says nothing about the text.
        return part.get_content().replace("\r\n", "\n")
    except (LookupError, UnicodeError, ValueError, AssertionError) as error:
        notes.append(f"undecodable {part.get_content_type()} part ({error})")
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)


def _date(message: EmailMessage, notes: list[str], fallback: dt.datetime) -> dt.datetime:
    text = _header(message, "Date", notes)
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        if text:
            notes.append(f"unreadable Date header {text!r}")
        return fallback
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def parse_message(
    raw: bytes,
    *,
    id: str,
    thread_id: str,
    folder_ids: tuple[str, ...] = (),
    unread: bool = False,
    flagged: bool = False,
    received: dt.datetime | None = None,
) -> Message:
    """Parse ``raw``; ``received`` (the server's date) stands in for a missing or broken Date header."""
    notes: list[str] = []
    message = parse_bytes(raw)
    notes.extend(type(defect).__name__ for defect in message.defects)
    body_text = ""
    body_html = None
    try:
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
    except Exception as error:  # the structure itself is broken
        notes.append(f"unreadable structure ({error})")
        plain = html = None
    if plain is not None:
        body_text = _text(plain, notes)
    if html is not None:
        body_html = _text(html, notes)
    if plain is None and html is None and not message.is_multipart():
        body_text = _text(message, notes)
    attachments = []
    for index, part in enumerate(attachment_parts(message)):
        content_id = part.get("Content-ID")
        payload = part.get_payload(decode=True) or b""
        notes.extend(f"{type(defect).__name__} in part {index}" for defect in part.defects)
        attachments.append(
            Attachment(
                id=str(index),
                filename=part.get_filename() or f"part-{index}",
                content_type=part.get_content_type(),
                size=len(payload),
                content_id=content_id.strip().strip("<>") if content_id else None,
                inline=part.get_content_disposition() == "inline",
            )
        )
    snippet_source = body_text or re.sub(r"<[^>]+>", " ", body_html or "")
    return Message(
        id=id,
        thread_id=thread_id,
        subject=_header(message, "Subject", notes),
        sender=next(iter(_addresses(message, "From", notes)), None),
        to=_addresses(message, "To", notes),
        cc=_addresses(message, "Cc", notes),
        bcc=_addresses(message, "Bcc", notes),
        reply_to=_addresses(message, "Reply-To", notes),
        date=_date(message, notes, received or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),
        folder_ids=folder_ids,
        unread=unread,
        flagged=flagged,
        snippet=" ".join(snippet_source.split())[:SNIPPET_LENGTH],
        body_text=body_text,
        body_html=body_html,
        attachments=tuple(attachments),
        message_id_header=_header(message, "Message-ID", notes) or None,
        in_reply_to=_header(message, "In-Reply-To", notes) or None,
        references=tuple(_header(message, "References", notes).split()),
        headers=tuple((name, _header(message, name, notes)) for name in message),
        size=len(raw),
        parse_note="; ".join(dict.fromkeys(notes)) or None,
        raw=raw,
    )


def attachment_data(raw: bytes, attachment_id: str) -> bytes | None:
    parts = attachment_parts(parse_bytes(raw))
    try:
        payload = parts[int(attachment_id)].get_payload(decode=True)
    except (ValueError, IndexError):
        return None
    return payload if isinstance(payload, bytes) else b""


def _address_list(addresses: tuple[Address, ...]) -> str:
    from email.headerregistry import Address as HeaderAddress

    return ", ".join(str(HeaderAddress(display_name=a.name, addr_spec=a.email)) for a in addresses)


def build_message(outgoing: OutgoingMessage, *, sender: Address, date: dt.datetime | None = None) -> bytes:
    """The RFC 5322 bytes of ``outgoing`` (Bcc included: the server strips it when it delivers)."""
    message = EmailMessage(policy=policy.default)
    message["From"] = _address_list((outgoing.sender or sender,))
    if outgoing.to:
        message["To"] = _address_list(outgoing.to)
    if outgoing.cc:
        message["Cc"] = _address_list(outgoing.cc)
    if outgoing.bcc:
        message["Bcc"] = _address_list(outgoing.bcc)
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
    # The outbox chooses the Message-ID, to find the message on the server after a crash mid-send.
    message["Message-ID"] = outgoing.message_id_header or make_msgid(
        domain=(outgoing.sender or sender).email.rpartition("@")[2] or None
    )
    if outgoing.in_reply_to:
        message["In-Reply-To"] = outgoing.in_reply_to
    if outgoing.references:
        message["References"] = " ".join(outgoing.references)
    message.set_content(outgoing.body_text or "")
    if outgoing.body_html is not None:
        message.add_alternative(outgoing.body_html, subtype="html")
    for attachment in outgoing.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        target = message
        if attachment.content_id and outgoing.body_html is not None:
            target = message.get_body(preferencelist=("html",)) or message
            target.add_related(
                attachment.data,
                maintype,
                subtype or "octet-stream",
                cid=f"<{attachment.content_id}>",
                filename=attachment.filename,
                disposition="inline",
            )
            continue
        message.add_attachment(attachment.data, maintype, subtype or "octet-stream", filename=attachment.filename)
    return message.as_bytes(policy=policy.SMTP)


def outgoing_from_bytes(raw: bytes) -> OutgoingMessage:
    """What a draft's bytes say, as an OutgoingMessage (attachments as their bytes)."""
    from host.model.mail import OutgoingAttachment

    parsed = parse_message(raw, id="", thread_id="")
    message = parse_bytes(raw)
    attachments = tuple(
        OutgoingAttachment(
            filename=a.filename,
            content_type=a.content_type,
            data=part.get_payload(decode=True) or b"",
            content_id=a.content_id,
        )
        for a, part in zip(parsed.attachments, attachment_parts(message), strict=True)
    )
    return OutgoingMessage(
        to=parsed.to,
        subject=parsed.subject,
        # set_content ends every body with a newline; take it off again so a draft round-trips.
        body_text=parsed.body_text.removesuffix("\n"),
        body_html=parsed.body_html.removesuffix("\n") if parsed.body_html is not None else None,
        cc=parsed.cc,
        bcc=parsed.bcc,
        sender=parsed.sender,
        attachments=attachments,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
    )

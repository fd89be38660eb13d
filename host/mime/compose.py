"""Building the RFC 5322 message we send: Gmail's ``raw`` send and drafts, and any provider that takes MIME."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import re
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address as MimeAddress
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy

from host.errors import ZoomclientError
from host.html.text import html_to_text
from host.model import Address, OutgoingAttachment, OutgoingMessage

_TOKEN = re.compile(r"[A-Za-z0-9!#$&^_.+-]+")
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})


class _SendPolicy(EmailPolicy):
    """``policy.SMTP`` that folds address headers itself.

    The standard library's folder can put the comma between two addresses inside an encoded word
    (``=?utf-8?q?=2C?=``) when a non-ASCII name sits near the line end, which merges the recipients
    into one unreadable address. Here every mailbox goes on its own line, its name encoded whole.
    """

    def fold(self, name: str, value: object) -> str:
        if name.lower() in _ADDRESS_HEADERS and hasattr(value, "addresses"):
            return self._fold_addresses(name, value.addresses)
        return super().fold(name, value)

    def fold_binary(self, name: str, value: object) -> bytes:
        if name.lower() in _ADDRESS_HEADERS and hasattr(value, "addresses"):
            return self._fold_addresses(name, value.addresses).encode("utf-8")
        return super().fold_binary(name, value)

    def _fold_addresses(self, name: str, addresses: tuple[MimeAddress, ...]) -> str:
        mailboxes = [_format_mailbox(address, self.linesep) for address in addresses]
        return f"{name}: " + f",{self.linesep} ".join(mailboxes) + self.linesep


_SEND = _SendPolicy(linesep="\r\n")


def _format_mailbox(address: MimeAddress, linesep: str) -> str:
    if not address.display_name:
        return address.addr_spec
    if address.display_name.isascii():
        return email.utils.formataddr((address.display_name, address.addr_spec))
    name = Header(address.display_name, "utf-8").encode(linesep=linesep)
    return f"{name} <{address.addr_spec}>"


def build_message(
    msg: OutgoingMessage,
    *,
    sender: Address,
    message_id: str | None = None,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The MIME message for ``msg``: plain text with an HTML alternative, inline ``cid:`` images, attachments.

    Bcc stays in the headers: Gmail's ``raw`` send reads recipients from them and removes Bcc itself.
    """
    author = msg.sender or sender
    mail = EmailMessage(policy=_SEND)
    mail["From"] = _mailbox(author)
    for name, addresses in (("To", msg.to), ("Cc", msg.cc), ("Bcc", msg.bcc)):
        if addresses:
            mail[name] = [_mailbox(address) for address in addresses]
    mail["Subject"] = " ".join(msg.subject.split())
    mail["Date"] = email.utils.format_datetime(_aware(date or dt.datetime.now(dt.UTC)))
    domain = author.email.rpartition("@")[2] or "zoomclient.invalid"
    # The outbox chooses the Message-ID, so that after a crash mid-send the message can be found on the server.
    message_id = message_id or msg.message_id_header
    mail["Message-ID"] = _bracketed(message_id) if message_id else email.utils.make_msgid(domain=domain)
    if msg.in_reply_to:
        mail["In-Reply-To"] = _bracketed(msg.in_reply_to)
    if msg.references:
        mail["References"] = " ".join(_bracketed(reference) for reference in msg.references)

    text = msg.body_text or (html_to_text(msg.body_html) if msg.body_html else "")
    mail.set_content(text)
    inline = [attachment for attachment in msg.attachments if attachment.content_id and msg.body_html is not None]
    if msg.body_html is not None:
        mail.add_alternative(msg.body_html, subtype="html")
        html_part = mail.get_payload()[1]
        for attachment in inline:
            maintype, subtype = _content_type(attachment)
            html_part.add_related(
                attachment.data,
                maintype,
                subtype,
                cid=_bracketed(attachment.content_id or ""),
                filename=attachment.filename or None,
                disposition="inline",
            )
    for attachment in msg.attachments:
        if attachment not in inline:
            _attach(mail, attachment)
    return mail


def to_base64url(message: EmailMessage) -> str:
    """The message as Gmail's ``raw`` field wants it: RFC 5322 bytes, URL-safe base64."""
    return base64.urlsafe_b64encode(message.as_bytes(policy=_SEND)).decode("ascii")


def _attach(mail: EmailMessage, attachment: OutgoingAttachment) -> None:
    maintype, subtype = _content_type(attachment)
    filename = attachment.filename or None
    if maintype == "message":
        # An attached message is sent as itself (RFC 2046 forbids base64 for message/rfc822).
        inner = BytesParser(policy=_SEND).parsebytes(attachment.data)
        mail.add_attachment(inner, subtype=subtype, filename=filename)
    else:
        mail.add_attachment(attachment.data, maintype, subtype, filename=filename)


def _content_type(attachment: OutgoingAttachment) -> tuple[str, str]:
    maintype, _, subtype = attachment.content_type.strip().lower().partition("/")
    subtype = subtype.partition(";")[0].strip()
    if _TOKEN.fullmatch(maintype) and _TOKEN.fullmatch(subtype) and maintype != "multipart":
        return maintype, subtype
    return "application", "octet-stream"


def _mailbox(address: Address) -> MimeAddress:
    name = " ".join(address.name.split())
    try:
        mailbox = MimeAddress(display_name=name, addr_spec=address.email.strip())
    except (ValueError, IndexError, TypeError, HeaderParseError):
        mailbox = None
    if mailbox is None or not mailbox.username or not mailbox.domain:
        raise ZoomclientError(
            f"{address.email!r} is not a valid email address.",
            hint="Correct the address and send again.",
        )
    return mailbox


def _bracketed(message_id: str) -> str:
    message_id = message_id.strip()
    return message_id if message_id.startswith("<") else f"<{message_id}>"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)

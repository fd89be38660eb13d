"""Reply, reply-all and forward: subjects, recipients, quoting and the References chain."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

from host.errors import ZoomclientError
from host.html.sanitise import sanitise_html
from host.mime.parse import attachment_bytes
from host.model import Address, Message, OutgoingAttachment, OutgoingMessage

# Reply and forward prefixes of common mail clients and languages (Re, AW, SV, Antw, VS, Odp, YNT; Fwd,
# Fw, WG, TR, RV, Enc, Doorst), also numbered ("Re[2]:") and with a space before the colon.
_REPLY_PREFIXES = re.compile(r"^(?:\s*(?:re|aw|sv|antw|vs|odp|ynt)\s*(?:\[\d+\]|\(\d+\))?\s*:)+\s*", re.IGNORECASE)
_FORWARD_PREFIXES = re.compile(r"^(?:\s*(?:fwd?|wg|tr|rv|enc|doorst)\s*(?:\[\d+\])?\s*:)+\s*", re.IGNORECASE)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MAX_REFERENCES = 20  # long chains are trimmed in the middle, keeping the first (RFC 5322 3.6.4)
_QUOTE_STYLE = "margin:0 0 0 0.8ex;border-left:1px solid #ccc;padding-left:1ex"


def reply_subject(subject: str) -> str:
    """The subject with one "Re: ", however many reply prefixes (in whatever language) it had."""
    rest = _REPLY_PREFIXES.sub("", subject).strip()
    return f"Re: {rest}" if rest else "Re:"


def forward_subject(subject: str) -> str:
    """The subject with one "Fwd: "; a reply prefix stays, as it says what is forwarded."""
    rest = _FORWARD_PREFIXES.sub("", subject).strip()
    return f"Fwd: {rest}" if rest else "Fwd:"


def reply_to(message: Message, *, reply_all: bool, me: str) -> OutgoingMessage:
    """A reply (to the sender, or to everyone but me) quoting ``message`` and continuing its thread."""
    me = me.strip().lower()
    from_me = message.sender is not None and message.sender.email.lower() == me
    # Replying to my own message continues the conversation with its recipients.
    original_sender = (message.sender,) if message.sender else ()
    primary = list(message.to) if from_me else list(message.reply_to or original_sender)
    to = primary + (list(message.to) if reply_all and not from_me else [])
    cc = list(message.cc) if reply_all else []
    to_unique = _unique(address for address in to if address.email.lower() != me)
    if not to_unique:  # a note to myself: answer it anyway
        to_unique = _unique(primary)
    taken = {address.email.lower() for address in to_unique} | {me}
    cc_unique = _unique(address for address in cc if address.email.lower() not in taken)

    said = f"On {_when(message.date)}, {message.sender or 'an unknown sender'} wrote:"
    body_html = None
    if message.body_html is not None:
        body_html = (
            f'<br><div class="zc-quote"><div>{html.escape(said)}</div>'
            f'<blockquote type="cite" style="{_QUOTE_STYLE}">{_quotable_html(message)}</blockquote></div>'
        )
    return OutgoingMessage(
        to=to_unique,
        cc=cc_unique,
        subject=reply_subject(message.subject),
        body_text=f"\n\n{said}\n{_quote(message.body_text)}\n",
        body_html=body_html,
        attachments=_original_attachments(message, inline_only=True),
        in_reply_to=message.message_id_header,
        references=_references(message),
        thread_id=message.thread_id,
    )


def forward(message: Message, *, attachments: tuple[OutgoingAttachment, ...] | None = None) -> OutgoingMessage:
    """A forward of ``message`` with its header block, body and attachments.

    The attachments come from ``message.raw``; a provider that keeps attachments apart passes them.
    """
    fields = [
        ("From", str(message.sender or "")),
        ("Date", _when(message.date)),
        ("Subject", message.subject),
        ("To", ", ".join(str(address) for address in message.to)),
    ]
    if message.cc:
        fields.append(("Cc", ", ".join(str(address) for address in message.cc)))
    banner = "---------- Forwarded message ---------"
    block = "\n".join([banner, *(f"{name}: {value}" for name, value in fields)])
    body_html = None
    if message.body_html is not None:
        lines = "<br>".join(html.escape(line) for line in block.split("\n"))
        body_html = f'<br><div class="zc-forward">{lines}<br><br>{_quotable_html(message)}</div>'
    if attachments is None:
        attachments = _original_attachments(message, inline_only=False)
    return OutgoingMessage(
        to=(),
        subject=forward_subject(message.subject),
        body_text=f"\n\n{block}\n\n{message.body_text}\n",
        body_html=body_html,
        attachments=attachments,
    )


def _quotable_html(message: Message) -> str:
    # Scripts and forms never travel on; remote images do, as the original sender put them there.
    return sanitise_html(message.body_html or "", allow_remote=True).html


def _original_attachments(message: Message, *, inline_only: bool) -> tuple[OutgoingAttachment, ...]:
    """The original's parts from ``message.raw``. A reply carries only the images its quote shows and
    goes out without those it cannot find (the quote then shows a broken image); a forward needs all."""
    wanted = [attachment for attachment in message.attachments if attachment.inline or not inline_only]
    if not wanted:
        return ()
    if message.raw is None:
        if inline_only:
            return ()
        raise ZoomclientError(
            "The attachments of this message have not been downloaded.",
            hint="Open the message once so that its attachments are fetched, then forward it again.",
        )
    found = []
    for attachment in wanted:
        try:
            data = attachment_bytes(message.raw, attachment.id)
        except ZoomclientError:
            if inline_only:
                continue
            raise
        content_id = attachment.content_id if attachment.inline else None
        found.append(OutgoingAttachment(attachment.filename, attachment.content_type, data, content_id))
    return tuple(found)


def _references(message: Message) -> tuple[str, ...]:
    chain = list(message.references)
    if not chain and message.in_reply_to:
        chain = [message.in_reply_to]
    if message.message_id_header:
        chain.append(message.message_id_header)
    chain = list(dict.fromkeys(chain))
    if len(chain) > _MAX_REFERENCES:
        chain = [chain[0], *chain[-(_MAX_REFERENCES - 1) :]]
    return tuple(chain)


def _quote(text: str) -> str:
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\n".join(">" + line if line.startswith(">") else f"> {line}" if line else ">" for line in lines)


def _when(date: dt.datetime) -> str:
    """The date in the reader's local time, spelt in English whatever the locale (like the Date header)."""
    local = date.astimezone()
    return f"{_DAYS[local.weekday()]}, {local.day} {_MONTHS[local.month - 1]} {local.year} at {local:%H:%M}"


def _unique(addresses: Iterable[Address]) -> tuple[Address, ...]:
    seen: dict[str, Address] = {}
    for address in addresses:
        key = address.email.lower()
        if key and key not in seen:
            seen[key] = address
    return tuple(seen.values())

"""How Gmail shows a stored message: the ``format=full`` ``payload`` part tree, the snippet, and the
facts that search (``q``) and threading look at. The emulator's own reading of RFC 5322 bytes,
lenient as Gmail is: a malformed message still gets a payload.

Serves every emulator whose mail API follows Gmail's JSON (Gmail, Zoom Mail).
"""

from __future__ import annotations

import base64
import html
import re
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

import attrs

from host.mime.feed import parse_text


def b64url(data: bytes) -> str:
    """Gmail's base64url: the URL-safe alphabet, padded."""
    return base64.urlsafe_b64encode(data).decode("ascii")


def from_b64url(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def header_text(value: object) -> str:
    """A header value with RFC 2047 words decoded; undecodable bytes are replaced, never fatal."""
    raw = str(value)
    try:
        return str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError):
        return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _parse(raw: bytes) -> Message:
    # compat32 keeps every header as it came, which is what Gmail's payload shows, and never raises. The
    # stdlib's parse as message_from_bytes does it, without its regex compile per multipart boundary.
    return parse_text(raw.decode("ascii", errors="surrogateescape"), policy.compat32)


def _decoded(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: Gmail hands out what it has
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _text(part: Message) -> str:
    data = _decoded(part)
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def attachment_id(part_id: str) -> str:
    return "ANGjdJ" + b64url(f"part:{part_id}".encode()).rstrip("=")


def part_id_of(attachment: str) -> str | None:
    if not attachment.startswith("ANGjdJ"):
        return None
    try:
        text = from_b64url(attachment[6:]).decode()
    except (ValueError, UnicodeError):
        return None
    return text[5:] if text.startswith("part:") else None


def _is_attachment(part: Message) -> bool:
    return bool(part.get_filename()) or part.get_content_maintype() not in ("text", "multipart", "message")


def _part(part: Message, part_id: str, *, with_bodies: bool) -> dict:
    headers = [{"name": name, "value": header_text(value)} for name, value in part.items()]
    filename = part.get_filename() or ""
    node: dict = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": header_text(filename) if filename else "",
        "headers": headers,
    }
    if part.is_multipart():
        node["body"] = {"size": 0}
        children = part.get_payload()
        if with_bodies and isinstance(children, list):
            prefix = f"{part_id}." if part_id else ""
            node["parts"] = [_part(child, f"{prefix}{index}", with_bodies=True) for index, child in enumerate(children)]
        return node
    data = _decoded(part)
    if _is_attachment(part):
        node["body"] = {"attachmentId": attachment_id(part_id), "size": len(data)}
    else:
        node["body"] = {"size": len(data), "data": b64url(data)} if with_bodies else {"size": len(data)}
    return node


def payload(raw: bytes, *, with_bodies: bool, only_headers: set[str] | None = None) -> dict:
    """The ``payload`` of ``format=full`` (``with_bodies``) or ``format=metadata``."""
    node = _part(_parse(raw), "", with_bodies=with_bodies)
    if not with_bodies:
        node.pop("parts", None)
        node.pop("body", None)
        node.pop("filename", None)
        if only_headers:
            wanted = {name.lower() for name in only_headers}
            node["headers"] = [h for h in node["headers"] if h["name"].lower() in wanted]
    return node


def attachment_data(raw: bytes, part_id: str) -> bytes | None:
    """The decoded bytes of the part ``part_id`` names (``"1.0"``: second child's first child)."""
    part = _parse(raw)
    for step in part_id.split(".") if part_id else ():
        children = part.get_payload() if part.is_multipart() else None
        if not isinstance(children, list) or not step.isdigit() or int(step) >= len(children):
            return None
        part = children[int(step)]
    return None if part.is_multipart() else _decoded(part)


def snippet(text: str) -> str:
    """Gmail's snippet of a message whose text is ``text``: HTML-escaped plain text, about 200 characters."""
    return html.escape(" ".join(text.split())[:200], quote=True)


@attrs.frozen
class Facts:
    """What search, threading and the snippet need of a message."""

    subject: str
    sender: str
    to: str
    cc: str
    bcc: str
    message_id: str | None
    references: tuple[str, ...]
    date: float | None  # POSIX seconds of the Date header
    text: str
    filenames: tuple[str, ...]

    @property
    def snippet(self) -> str:
        return snippet(self.text)

    @property
    def has_attachment(self) -> bool:
        return bool(self.filenames)

    def addresses(self, field: str) -> str:
        value = getattr(self, field)
        pairs = getaddresses([value])
        return " ".join(f"{name} {email}" for name, email in pairs).lower()


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html_text)))


def facts(raw: bytes) -> Facts:
    message = _parse(raw)
    plain = html_text = None
    filenames: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_attachment(part):
            if part.get_filename():
                filenames.append(header_text(part.get_filename()))
            continue
        if part.get_content_type() == "text/plain" and plain is None:
            plain = _text(part)
        elif part.get_content_type() == "text/html" and html_text is None:
            html_text = _plain(_text(part))
    date = None
    if message.get("Date"):
        try:
            date = parsedate_to_datetime(str(message["Date"])).timestamp()
        except (TypeError, ValueError, IndexError):
            date = None
    return Facts(
        subject=header_text(message.get("Subject", "")),
        sender=header_text(message.get("From", "")),
        to=header_text(message.get("To", "")),
        cc=header_text(message.get("Cc", "")),
        bcc=header_text(message.get("Bcc", "")),
        message_id=str(message["Message-ID"]).strip() if message.get("Message-ID") else None,
        references=tuple(re.findall(r"<[^<>]+>", f"{message.get('References', '')} {message.get('In-Reply-To', '')}")),
        date=date,
        text=plain if plain is not None else (html_text or ""),
        filenames=tuple(filenames),
    )

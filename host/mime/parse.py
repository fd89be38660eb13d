"""Reading an RFC 5322 message into a :class:`host.model.Message`, whatever shape it is in.

Gmail (``format=raw``), Graph (``$value``) and Zoom Mail all hand us the same bytes, and some of them
are broken: wrong charsets, missing boundaries, truncated parts, garbage headers. The rule is that
mail is never dropped: :func:`parse_message` never raises; what it could not read is said in
``parse_note`` and the raw bytes stay on the message for "show original" and re-parsing.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import mimetypes
import re
import urllib.parse
from collections.abc import Callable
from email import errors, policy
from typing import TypeVar

import attrs

from host.errors import ZoomclientError
from host.html.text import html_to_text
from host.mime import headers
from host.mime.charsets import decode_bytes
from host.mime.parts import ParsedPart, child_path, children, parse_bytes, part_at, unfold
from host.model import Address, Attachment, Message

_T = TypeVar("_T")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SNIPPET_LENGTH = 200
_MAX_DEPTH = 40  # real mail nests a handful of levels; hostile mail nests until Python's stack gives out
_CID = re.compile(r"""cid:([^"'\s)>]+)""", re.IGNORECASE)
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\]")
# Attached messages are handed out as mail: CRLF, and "From " lines left alone (no mbox quoting).
_REGENERATE = policy.compat32.clone(linesep="\r\n", mangle_from_=False)
_BODY_TYPES = frozenset({"text/plain", "text/html"})
# Structural damage worth telling the reader about; other defects are everyday sloppiness.
_DAMAGE = {
    errors.StartBoundaryNotFoundDefect: "a multipart boundary was not found",
    errors.CloseBoundaryNotFoundDefect: "the message ends before its last part does, so it may be truncated",
    errors.NoBoundaryInMultipartDefect: "a multipart part has no boundary",
    errors.MissingHeaderBodySeparatorDefect: "the headers are not separated from the body",
    errors.FirstHeaderLineIsContinuationDefect: "the first header line is malformed",
    errors.InvalidBase64CharactersDefect: "a base64 part holds invalid characters",
    errors.InvalidBase64PaddingDefect: "a base64 part is cut short",
    errors.InvalidBase64LengthDefect: "a base64 part is cut short",
}


@attrs.define
class _Body:
    text: str | None = None
    html: str | None = None

    @property
    def empty(self) -> bool:
        return self.text is None and self.html is None


@attrs.define
class _Found:
    """An attachment seen during the walk; ``inline`` is settled once the HTML body is known."""

    path: str
    part: ParsedPart
    in_related: bool


@attrs.define
class _Reader:
    notes: list[str] = attrs.Factory(list)
    damages: list[str] = attrs.Factory(list)
    found: list[_Found] = attrs.Factory(list)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def damage(self, part: ParsedPart) -> None:
        for defect in part.defects:
            for kind, text in _DAMAGE.items():
                if isinstance(defect, kind):
                    self.damages.append(text)

    def parse_note(self) -> str | None:
        notes = list(dict.fromkeys(self.notes))
        if self.damages:
            damages = "; ".join(dict.fromkeys(self.damages))
            notes.insert(0, f"The message is damaged: {damages}. It is shown as well as it could be read.")
        return " ".join(notes) or None

    def visit(self, part: ParsedPart, path: str) -> _Body:
        if path.count(".") >= _MAX_DEPTH:
            self.note(f"Parts nested deeper than {_MAX_DEPTH} levels are not shown; the original has them.")
            return _Body()
        self.damage(part)
        content_type = part.get_content_type()  # always "main/sub": the type's halves are read from it
        if content_type.startswith("multipart/"):
            parts = children(part)
            if not part.is_multipart() and parts:
                self.damages.append("a multipart boundary was missing or wrong, so its parts were guessed")
            if parts:
                return self.multipart(content_type.partition("/")[2], parts, path or "", part)
            return self.leaf(part, path or "1", as_text=True)
        if content_type in _BODY_TYPES and not _is_attachment(part):
            return self.leaf(part, path or "1")
        self.found.append(_Found(path or "1", part, in_related=False))
        return _Body()

    def multipart(self, subtype: str, parts: list[ParsedPart], path: str, container: ParsedPart) -> _Body:
        if subtype == "alternative":
            best = _Body()
            for index, child in enumerate(parts):
                child_type = child.get_content_type()
                if child_type.startswith("multipart/") or child_type in _BODY_TYPES:
                    body = self.visit(child, child_path(path, index))
                    best = _Body(text=_last(best.text, body.text), html=_last(best.html, body.html))
                elif not child_type.startswith("text/") or child_type == "text/calendar":
                    self.found.append(_Found(child_path(path, index), child, in_related=False))
                # other text/* alternatives (enriched, AMP, watch-html) are renderings of the same body
            return best
        if subtype == "related":
            root = _related_root(container, parts)
            body = _Body()
            for index, child in enumerate(parts):
                if index == root:
                    body = self.visit(child, child_path(path, index))
                else:
                    self.found.append(_Found(child_path(path, index), child, in_related=True))
            return body
        # mixed, and every other multipart (signed, report, digest, unknown ones): inline bodies in order
        bodies = [self.visit(child, child_path(path, index)) for index, child in enumerate(parts)]
        return _concatenate([body for body in bodies if not body.empty])

    def leaf(self, part: ParsedPart, path: str, *, as_text: bool = False) -> _Body:
        data = _payload(part)
        self.damage(part)  # decoding records base64 damage on the part
        decoded = decode_bytes(data, part.get_content_charset())
        if decoded.problem:
            self.note(f"Part {path}: {decoded.problem}.")
        text = decoded.text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
        if part.get_content_type() == "text/html" and not as_text:
            return _Body(html=text)
        if _param(part, "format") == "flowed":
            text = _unflow(text, delsp=_param(part, "delsp") == "yes")
        return _Body(text=text)

    def attachments(self, body_html: str | None) -> tuple[Attachment, ...]:
        referenced = {urllib.parse.unquote(cid).lower() for cid in _CID.findall(body_html or "")}
        result = []
        for found in self.found:
            part = found.part
            content_id = _content_id(part)
            disposition = part.get_content_disposition()
            inline = bool(content_id and content_id.lower() in referenced) or (
                found.in_related and disposition == "inline"
            )
            result.append(
                Attachment(
                    id=found.path,
                    filename=_filename(part, found.path),
                    content_type=part.get_content_type(),
                    size=_size(part),
                    content_id=content_id,
                    inline=inline,
                )
            )
        return tuple(result)


def parse_message(
    raw: bytes,
    *,
    id: str,
    thread_id: str,
    folder_ids: tuple[str, ...] = (),
    unread: bool = False,
    flagged: bool = False,
    date_fallback: dt.datetime | None = None,
) -> Message:
    """The message in ``raw``; never raises, and says in ``parse_note`` what could not be read."""
    common = {
        "id": id,
        "thread_id": thread_id,
        "folder_ids": tuple(folder_ids),
        "unread": unread,
        "flagged": flagged,
        "size": len(raw),
        "raw": raw,
    }
    if date_fallback is not None and date_fallback.tzinfo is None:
        date_fallback = date_fallback.replace(tzinfo=dt.UTC)  # the model's dates are aware
    try:
        return _parse(raw, date_fallback, common)
    except Exception as error:  # the promise: a message that cannot be read is still kept and shown
        return _unreadable(raw, date_fallback, common, error)


def attachment_bytes(raw: bytes, attachment_id: str) -> bytes:
    """The decoded content of the part ``attachment_id`` (an id from :func:`parse_message`)."""
    part = part_at(_tree(raw), attachment_id)
    if part is None:
        raise ZoomclientError(
            f"This message has no part {attachment_id!r}.",
            hint="The message may have changed on the server; sync and open it again.",
        )
    return _payload(part)


@functools.lru_cache(maxsize=2)
def _tree(raw: bytes) -> ParsedPart:
    """The reader asks for each ``cid:`` image of the message it shows in turn: parse that message once."""
    return parse_bytes(raw)


def _parse(raw: bytes, date_fallback: dt.datetime | None, common: dict) -> Message:
    mime = parse_bytes(raw)
    reader = _Reader()
    pairs: list[tuple[str, str]] = []
    first: dict[str, str] = {}  # the raw value of each header's first occurrence
    for name, value in mime.raw_items():
        pairs.append((name, headers.decoded(str(value), reader.notes)))
        first.setdefault(name.lower(), str(value))

    def text(name: str) -> str:
        return headers.decoded(first.get(name, ""), reader.notes)

    def mailboxes(name: str) -> tuple[Address, ...]:
        raw_value = first.get(name)  # most mail has no Cc, Bcc or Reply-To
        return headers.mailboxes(raw_value, reader.notes) if raw_value else ()

    body = reader.visit(mime, "")
    body_html = body.html
    body_text = body.text if body.text is not None else html_to_text(body_html or "")

    date = headers.date(text("date"))
    if date is None:
        what = "has no Date header" if "date" not in first else f"has an invalid Date header ({text('date')!r})"
        date = date_fallback or _received_date(text("received"))
        dated = "it is dated by when it was received" if date else "its date is unknown"
        reader.note(f"The message {what}; {dated}.")
        date = date or _EPOCH
    if not raw.strip():
        reader.note("The message is empty.")

    sender = mailboxes("from")
    message_id = headers.message_ids(text("message-id"))
    in_reply_to = headers.message_ids(text("in-reply-to"))
    return Message(
        subject=text("subject"),
        sender=sender[0] if sender else None,
        to=mailboxes("to"),
        cc=mailboxes("cc"),
        bcc=mailboxes("bcc"),
        reply_to=mailboxes("reply-to"),
        date=date,
        snippet=snippet(body_text),
        body_text=body_text,
        body_html=body_html,
        attachments=reader.attachments(body_html),
        message_id_header=message_id[0] if message_id else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=headers.message_ids(text("references")),
        headers=tuple(pairs),
        parse_note=reader.parse_note(),
        **common,
    )


def _unreadable(raw: bytes, date_fallback: dt.datetime | None, common: dict, error: Exception) -> Message:
    """The fallback when parsing failed outright: the headers a line split can read, the rest as text."""
    notes: list[str] = []
    head, separator, rest = raw.partition(b"\r\n\r\n")
    if not separator:
        head, separator, rest = raw.partition(b"\n\n")
    found: dict[str, str] = {}
    pairs = []
    if separator:
        for line in re.split(rb"\r?\n(?![ \t])", head):
            name, colon, value = line.partition(b":")
            if colon and re.fullmatch(rb"[!-9;-~]+", name):
                header, raw_value = name.decode("ascii"), value.strip().decode("ascii", "surrogateescape")
                pairs.append((header, _best_effort(functools.partial(headers.decoded, raw_value, notes), "")))
                found.setdefault(header.lower(), raw_value)
    else:
        rest = raw
    sender = _best_effort(lambda: headers.addresses(headers.header_text(found.get("from", ""), notes)), ())
    subject = _best_effort(lambda: headers.decoded(found.get("subject", ""), notes), "")
    body_text = decode_bytes(rest, None).text.replace("\x00", "")
    return Message(
        subject=subject,
        sender=sender[0] if sender else None,
        date=date_fallback or _EPOCH,
        body_text=body_text,
        snippet=snippet(body_text),
        headers=tuple(pairs),
        parse_note=f"This message could not be fully read: {type(error).__name__}: {error}. It is shown as raw text.",
        **common,
    )


def _best_effort(read: Callable[[], _T], default: _T) -> _T:
    try:
        return read()
    except Exception:
        return default


def snippet(text: str) -> str:
    """About 200 characters of the body, whitespace collapsed, cut at a word."""
    # Collapsing a short head is enough when its words reach past the cut with a whole word to spare
    # (the head's last word may be cut short); else, as always, the first 1,600 characters.
    words = text[: _SNIPPET_LENGTH * 2].split()
    if len(words) < 2 or sum(map(len, words[:-1])) + len(words) - 2 <= _SNIPPET_LENGTH:
        words = text[: _SNIPPET_LENGTH * 8].split()
    collapsed = " ".join(words)
    if len(collapsed) <= _SNIPPET_LENGTH:
        return collapsed
    cut = collapsed[:_SNIPPET_LENGTH]
    return cut.rsplit(" ", 1)[0] if " " in cut[_SNIPPET_LENGTH // 2 :] else cut


def _last(current: str | None, new: str | None) -> str | None:
    """In a multipart/alternative the last rendering of a kind is the richest (RFC 2046 5.1.4)."""
    return new if new is not None else current


def _concatenate(bodies: list[_Body]) -> _Body:
    """Several inline bodies of a multipart/mixed, shown one after the other as mail readers do."""
    if len(bodies) <= 1:
        return bodies[0] if bodies else _Body()
    markup = "\n".join(body.html if body.html is not None else _pre(body.text or "") for body in bodies)
    if all(body.text is None for body in bodies):
        return _Body(html=markup)  # no plain text of its own: a plain alternative beside it stays the text
    text = "\n\n".join(body.text if body.text is not None else html_to_text(body.html or "") for body in bodies)
    return _Body(text=text, html=None if all(body.html is None for body in bodies) else markup)


def _pre(text: str) -> str:
    return f'<pre style="white-space: pre-wrap">{html.escape(text)}</pre>'


def _param(part: ParsedPart, name: str) -> str:
    value = part.get_param(name)
    return value.strip().lower() if isinstance(value, str) else ""  # an RFC 2231 tuple is never a keyword


def _related_root(container: ParsedPart, parts: list[ParsedPart]) -> int:
    """The part a multipart/related starts with: its ``start`` parameter, else the first (RFC 2387)."""
    start = container.get_param("start")
    if isinstance(start, str):
        wanted = start.strip().strip("<>")
        for index, part in enumerate(parts):
            if _content_id(part) == wanted:
                return index
    return 0


def _is_attachment(part: ParsedPart) -> bool:
    return part.get_content_disposition() == "attachment" or _raw_filename(part) is not None


def _payload(part: ParsedPart) -> bytes:
    """A leaf part's decoded bytes; an attached message as the bytes it was sent as."""
    if part.is_multipart():
        payload = part.get_payload()
        if part.get_content_maintype() == "message" and payload and isinstance(payload[0], ParsedPart):
            return _regenerated(payload[0])
        return _regenerated(part)
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _regenerated(part: ParsedPart) -> bytes:
    """The bytes of a parsed part. The parser keeps no offsets, so they are generated again; compat32
    keeps header text as it came, and a part the bytes generator chokes on goes through the text one."""
    try:
        return part.as_bytes(policy=_REGENERATE)
    except (UnicodeError, ValueError, LookupError):
        return part.as_string(policy=_REGENERATE).encode("utf-8", errors="surrogateescape")


def _size(part: ParsedPart) -> int:
    """The decoded size, without decoding big base64 payloads (the arithmetic is exact for valid ones)."""
    if not part.is_multipart() and str(part.get("content-transfer-encoding", "")).strip().lower() == "base64":
        try:
            encoded = part.get_payload()
        except (ValueError, LookupError):  # 8-bit bytes in base64 under a charset Python refuses
            encoded = None
        if isinstance(encoded, str):
            stray = sum(encoded.count(char) for char in "\r\n \t=")
            return (len(encoded) - stray) * 3 // 4
    return len(_payload(part))


def _content_id(part: ParsedPart) -> str | None:
    raw = part.raw_value("content-id")
    if raw is None:
        return None
    # Plain ASCII is its own unstructured reading (less line ends), without the stdlib's header object.
    plain = raw.isascii() and "=?" not in raw
    value = unfold(raw) if plain else str(part.get("content-id"))
    content_id = value.strip().strip("<>").strip()
    return content_id or None


def _raw_filename(part: ParsedPart) -> str | None:
    """The filename parameter (else the type's name), read from the raw header so 8-bit names decode too."""
    for header, parameter in (("content-disposition", "filename"), ("content-type", "name")):
        raw = part.raw_value(header)
        # A parameter's name is never encoded: a header without these letters has no such parameter.
        if raw is not None and parameter in raw.lower():
            value = headers.parameters(header, headers.header_text(raw, [])).get(parameter)
            if isinstance(value, str) and value.strip():
                return value
    return None


def _filename(part: ParsedPart, path: str) -> str:
    """A name safe to save under: decoded (RFC 2047 and 2231), without directories or control characters."""
    name = _raw_filename(part)
    if name:
        name = _UNSAFE_FILENAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if name:
        return name
    content_type = part.get_content_type()
    if content_type in ("message/rfc822", "message/global"):
        payload = part.get_payload() if part.is_multipart() else None
        subject = ""
        if isinstance(payload, list) and payload and isinstance(payload[0], ParsedPart):
            subject = headers.decoded(payload[0].raw_value("subject") or "", [])
        stem = _UNSAFE_FILENAME.sub("_", subject).strip(" .")[:100] or "message"
        return f"{stem}.eml"
    if content_type == "application/ms-tnef":
        return "winmail.dat"
    if content_type == "text/calendar":
        return "invite.ics"
    return f"attachment-{path}{mimetypes.guess_extension(content_type) or '.bin'}"


def _received_date(received: str) -> dt.datetime | None:
    """When the last server got the message: the date after the ';' of the topmost Received header."""
    return headers.date(received.rpartition(";")[2]) if ";" in received else None


def _unflow(text: str, *, delsp: bool) -> str:
    """Join the soft-broken lines of format=flowed text (RFC 3676), keeping quote depths apart."""
    lines: list[tuple[int, str]] = []
    joining = False
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        content = content[1:] if content.startswith(" ") else content  # undo space-stuffing
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if joining and lines[-1][0] == depth:
            lines[-1] = (depth, lines[-1][1] + content)
        else:
            lines.append((depth, content))
        joining = flowed
    return "\n".join(">" * depth + (" " if depth else "") + content for depth, content in lines)

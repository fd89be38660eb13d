"""Reading header values: raw 8-bit text, RFC 2047 words in charsets Python lacks, addresses, dates, ids.

:func:`header_text` and :func:`decoded` take the raw (folded, surrogate-escaped) value the ``email``
parser kept; the others take what :func:`header_text` made of it. Each returns the best reading it can and
none raises. Problems are appended to ``notes``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.header
import email.utils
import functools
import quopri
import re
from email.headerregistry import BaseHeader, HeaderRegistry

from host.mime.charsets import decode_bytes
from host.model import Address

_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_ENCODED_RUN = re.compile(rf"{_ENCODED_WORD.pattern}(?:[ \t]*{_ENCODED_WORD.pattern})*")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n")
# The look-behind makes a search start only where a run starts: without it, a long run of letters with
# no "@" is scanned again from each of its positions (quadratic time on a hostile header).
_MAILBOX = re.compile(r"(?<![^\s<>\"',;:()\[\]@])[^\s<>\"',;:()\[\]@]+@[^\s<>\"',;:()\[\]@]+")
_MESSAGE_ID = re.compile(r"<[^<>\s]*>")
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRAY_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
LONG_HEADER = 4096  # beyond this the stdlib's quadratic header parser is not given a whole header
_CONTROL = re.compile(r"[\r\n\t\v\f]")
# The everyday shapes of a mailbox, read without the stdlib's parser (most of the time of reading a message
# went there): a dot-atom address, bare or in brackets after a phrase of atoms, a quoted name without
# escapes, or the one UTF-8 word :func:`header_text` makes of a run of encoded words. Anything else (comments,
# groups, escapes, encoded words elsewhere, 8-bit text) takes the stdlib's path.
_BLANKS = re.compile(r"[ \t]+")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ADDR_SPEC = rf"{_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*"
_SIMPLE_MAILBOX = re.compile(
    rf"[ \t]*(?:(?P<bare>{_ADDR_SPEC})"
    rf"|(?:=\?utf-8\?b\?(?P<word>[A-Za-z0-9+/]*={{0,2}})\?=|(?P<atoms>{_ATOM}(?:[ \t]+{_ATOM})*)"
    rf"|\"(?P<quoted>[^\"\\\x00-\x1f\x7f]*)\")?[ \t]*<(?P<angle>{_ADDR_SPEC})>)[ \t]*(?:,|$)"
)

# Content-Type and Content-Disposition of the everyday shape: tokens and plain quoted values, no RFC 2231,
# no encoded words, no comments, no repeated names. The stdlib reads them as the names and values they show.
_TOKEN = r"[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+"
_ATTRIBUTE = r"[!#$&+\-.^_`{|}~0-9A-Za-z]+"  # a token without RFC 2231's "*", "'" and "%"
_PARAMETERIZED = {
    "content-type": re.compile(rf"({_TOKEN}/{_TOKEN})((?:;.*)?)"),
    "content-disposition": re.compile(rf"({_TOKEN})((?:;.*)?)"),
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
# "Wed, 2 Dec 2026 18:54:06 +0100": an optional weekday, a four-digit year, a numeric zone, single blanks.
# Not years before 1000: the stdlib reads "0001" as two digits are read, 2001.
_EVERYDAY_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ((?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)) "
    r"([1-9]\d{3}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4})"
)
_PARAMETER = re.compile(rf""";[ \t]*({_ATTRIBUTE})=(?:({_ATTRIBUTE})|"([ !#-\[\]-~]*)")[ \t]*""")


class _CachedRegistry(HeaderRegistry):
    """The standard header registry, minus its habit of building a new class for every header it parses
    (a third of the time of reading a small message went there)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(key)
        return self._classes[key]


FACTORY = _CachedRegistry()


def header_text(raw: str, notes: list[str]) -> str:
    """The unfolded Unicode text of a raw header value for a structured parse, each run of RFC 2047 words
    rewritten as one UTF-8 word (so that a decoded comma in a name cannot split an address)."""
    return _ENCODED_RUN.sub(lambda match: _utf8_word(_decode_run(match.group(0), notes)), _unfolded(raw, notes))


def decoded(raw: str, notes: list[str]) -> str:
    """The text of a raw header value as a reader sees it: unfolded, RFC 2047 words decoded, one line."""
    if raw.isascii() and "=?" not in raw:  # most headers: nothing to decode, at most folds to undo
        unfolded = raw if raw.isprintable() else _FOLD.sub("", raw)
        if unfolded.isprintable():  # no tab, NUL or other control left to turn into a blank
            return unfolded.strip()
    return _decoded_in_full(raw, notes)


def _decoded_in_full(raw: str, notes: list[str]) -> str:
    """:func:`decoded` for any value (the shortcut above takes plain ASCII)."""
    text = _ENCODED_RUN.sub(lambda match: _decode_run(match.group(0), notes), _unfolded(raw, notes))
    return _CONTROL.sub(" ", legible(text)).strip()


def _unfolded(raw: str, notes: list[str]) -> str:
    value = _FOLD.sub("", raw)
    if has_raw_bytes(value):
        # 8-bit bytes straight in the header (common, and not allowed): read them like a body.
        text = decode_bytes(_STRAY_SURROGATE.sub("?", value).encode("utf-8", errors="surrogateescape"), None)
        if text.problem:
            notes.append(f"A header held {text.problem}.")
        value = text.text
    return value.replace("\x00", "")


def has_raw_bytes(text: str) -> bool:
    """Whether ``text`` holds surrogates: 8-bit bytes the parser could not decode (the sender did not encode them)."""
    return _SURROGATE.search(text) is not None


def legible(text: str) -> str:
    """``text`` with any bytes the header parser left undecoded read as a guess, and without NUL."""
    if has_raw_bytes(text):
        text = _STRAY_SURROGATE.sub("\ufffd", text)  # not an escaped byte: nothing to decode
        text = decode_bytes(text.encode("utf-8", errors="surrogateescape"), None).text
    return text.replace("\x00", "")


def _decode_run(run: str, notes: list[str]) -> str:
    """Decode a run of encoded words the way a mail reader would.

    The ``email`` package decodes each word on its own and knows only Python's charset names; senders
    split a character across two words and use names like "x-gbk" or "unknown-8bit".
    """
    groups: list[tuple[str, bytearray]] = []
    for charset, encoding, payload in _ENCODED_WORD.findall(run):
        if encoding in "bB":
            payload = re.sub(r"[^A-Za-z0-9+/]", "", payload)
            payload = payload[: len(payload) - (len(payload) % 4 == 1)]  # a lone sextet holds no byte
            data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            data = quopri.decodestring(payload.replace("_", " ").encode("ascii", errors="replace"), header=True)
        if groups and groups[-1][0] == charset.lower():
            groups[-1][1].extend(data)
        else:
            groups.append((charset.lower(), bytearray(data)))
    texts = []
    for charset, data in groups:
        text = decode_bytes(bytes(data), charset)
        if text.problem:
            notes.append(f"A header used {text.problem}.")
        texts.append(text.text)
    return "".join(texts)


def _utf8_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8", errors="replace")).decode("ascii") + "?="


def _decode_words(text: str) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except Exception:
        return text


def mailboxes(raw: str, notes: list[str]) -> tuple[Address, ...]:
    """The mailboxes of a raw address header (From, To, Cc ...): :func:`addresses` of its
    :func:`header_text`. Senders and recipients repeat from message to message, so the readings of
    header-sized values are remembered, with what they noted."""
    if len(raw) > LONG_HEADER:
        return addresses(header_text(raw, notes))
    found, noted = _remembered_mailboxes(raw)
    notes.extend(noted)
    return found


@functools.lru_cache(maxsize=4096)
def _remembered_mailboxes(raw: str) -> tuple[tuple[Address, ...], tuple[str, ...]]:
    notes: list[str] = []
    return addresses(header_text(raw, notes)), tuple(notes)


def addresses(text: str) -> tuple[Address, ...]:
    """Every mailbox that can be read from an address header; garbage yields what is legible."""
    if not text.strip():
        return ()
    # The stdlib's address parser takes quadratic time: a long header is read one mailbox at a time.
    found = [pair for chunk in _mailbox_chunks(text) for pair in _parse_mailboxes(chunk)]
    result = []
    for name, addr_spec in found:
        name, addr_spec = legible(name), legible(addr_spec).strip().strip("<>").strip()
        if not _MAILBOX.fullmatch(addr_spec) and (mailbox := _MAILBOX.search(addr_spec)):
            addr_spec = mailbox.group(0)
        name = " ".join(name.split())
        if "@" not in addr_spec:  # no mailbox, only words: keep them as the name
            name, addr_spec = name or addr_spec.strip('"'), ""
        if addr_spec or name:
            result.append(Address(email=addr_spec, name=name))
    if not result:  # nothing parsed: keep whatever looks like a mailbox
        result = [Address(email=match.group(0)) for match in _MAILBOX.finditer(text)]
    return tuple(result)


def _parse_mailboxes(text: str) -> list[tuple[str, str]]:
    if len(text) > LONG_HEADER:  # one "mailbox" this long is garbage: keep what looks like an address
        return [("", match.group(0)) for match in _MAILBOX.finditer(text)]
    simple = _simple_mailboxes(text)
    if simple is not None:
        return simple
    try:
        return [(address.display_name, address.addr_spec) for address in FACTORY("to", text).addresses]
    except Exception:
        return email.utils.getaddresses([_decode_words(text)])


def _simple_mailboxes(text: str) -> list[tuple[str, str]] | None:
    """The ``(display name, address)`` pairs of a list of everyday mailboxes, as the stdlib's parser reads
    them; None when any part of ``text`` is not of that kind."""
    found, position = [], 0
    while position < len(text):
        match = _SIMPLE_MAILBOX.match(text, position)
        if match is None:
            return None
        bare, atoms, quoted, word, angle = match.group("bare", "atoms", "quoted", "word", "angle")
        if bare is not None:
            found.append(("", bare))
        elif atoms is not None:
            if "=?" in atoms:  # the stdlib reads an atom that starts like an encoded word as one
                return None
            found.append((" ".join(atoms.split()), angle))
        elif quoted is not None:
            if "=?" in quoted:  # the stdlib decodes encoded words even inside quotes
                return None
            found.append((quoted, angle))
        elif word is not None:
            try:
                name = base64.b64decode(word, validate=True).decode("utf-8")
            except ValueError:  # not what header_text writes: let the stdlib judge it
                return None
            if "\r" in name or "\n" in name:  # the stdlib refuses such a name; its fallback reads the header
                return None
            found.append((_BLANKS.sub(" ", name), angle))  # as the stdlib, which reads the words' blanks as folding
        else:
            found.append(("", angle))
        position = match.end()
    return found if found and not text.rstrip().endswith(",") else None


def _mailbox_chunks(text: str) -> list[str]:
    """A long address list split at top-level commas (groups flattened); a short one whole."""
    if len(text) <= LONG_HEADER:
        return [text]
    chunks, current, quoted, escaped, angle, comment = [], [], False, False, 0, 0
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char in "<>":
            angle = max(0, angle + (1 if char == "<" else -1))
        elif char in "()":
            comment = max(0, comment + (1 if char == "(" else -1))
        elif not angle and not comment and char in ",;:":
            if char != ":":  # a group's name ends at ":"; it is not a mailbox
                chunks.append("".join(current))
            current = []
            continue
        current.append(char)
    chunks.append("".join(current))
    return [chunk for chunk in chunks if chunk.strip()]


def simple_parameters(name: str, text: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The value and the ``(name, value)`` parameters of a Content-Type or Content-Disposition of the everyday
    shape, as the stdlib's parser reads them; None for any other header or shape."""
    shape = _PARAMETERIZED.get(name.lower())
    head = shape.fullmatch(text) if shape is not None else None
    if head is None:
        return None
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    rest, position = head.group(2), 0
    while position < len(rest):
        match = _PARAMETER.match(rest, position)
        if match is None:
            return None
        parameter, token, quoted = match.groups()
        value = token if token is not None else quoted
        if not value or "=?" in value or parameter.lower() in seen:
            return None
        seen.add(parameter.lower())
        found.append((parameter, value))
        position = match.end()
    return head.group(1), found


def parameters(name: str, text: str) -> dict[str, str]:
    """The parameters of a Content-Type or Content-Disposition value, RFC 2231 and RFC 2047 decoded."""
    if (simple := simple_parameters(name, text[:LONG_HEADER])) is not None:
        return {key.lower(): value for key, value in simple[1]}
    try:
        return {key: legible(value) for key, value in FACTORY(name, text[:LONG_HEADER]).params.items()}
    except Exception:
        return {}


def date(text: str) -> dt.datetime | None:
    """An aware datetime, or None when the value is not a date ("-0000" means UTC, as RFC 5322 says)."""
    if (match := _EVERYDAY_DATE.fullmatch(text)) is not None and match.group(7) != "-0000":
        # What nearly every mailer writes, read as the stdlib reads it without its tokenizer's cost.
        day, month, year, hour, minute, second, zone = match.groups()
        offset = (int(zone[1:3]) * 3600 + int(zone[3:]) * 60) * (-1 if zone[0] == "-" else 1)
        try:
            return dt.datetime(
                int(year),
                _MONTHS[month.lower()],
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                tzinfo=dt.timezone(dt.timedelta(seconds=offset)),
            )
        except ValueError:
            pass  # a day or an hour out of range: the stdlib's reading decides
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def message_ids(text: str) -> tuple[str, ...]:
    """The ``<id>`` tokens of Message-ID, In-Reply-To and References; a bare id gets its brackets."""
    found = _MESSAGE_ID.findall(text)
    if found:
        return tuple(found)
    bare = text.strip()
    return (f"<{bare}>",) if bare and not any(char.isspace() for char in bare) else ()

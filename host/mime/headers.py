"""Reading header values: raw 8-bit text, RFC 2047 words in charsets Python lacks, addresses, dates, ids.

Every function here takes the raw (folded, surrogate-escaped) value the ``email`` parser kept and
returns the best reading it can; none raises. Problems are appended to ``notes``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.header
import email.utils
import quopri
import re
from email import policy

from host.mime.charsets import decode_bytes
from host.model import Address

_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=")
_ENCODED_RUN = re.compile(rf"{_ENCODED_WORD.pattern}(?:[ \t]*{_ENCODED_WORD.pattern})*")
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n")
_MAILBOX = re.compile(r"[^\s<>\"',;:()\[\]@]+@[^\s<>\"',;:()\[\]@]+")
_MESSAGE_ID = re.compile(r"<[^<>\s]*>")
_STRAY_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
_FACTORY = policy.default.header_factory


def header_text(raw: str, notes: list[str]) -> str:
    """The unfolded Unicode text of a raw header value, its RFC 2047 words re-encoded as UTF-8."""
    value = _FOLD.sub("", raw)
    if has_raw_bytes(value):
        # 8-bit bytes straight in the header (common, and not allowed): read them like a body.
        decoded = decode_bytes(value.encode("ascii", errors="surrogateescape"), None)
        if decoded.problem:
            notes.append(f"A header held {decoded.problem}.")
        value = decoded.text
    value = value.replace("\x00", "")
    return _ENCODED_RUN.sub(lambda match: _reencode(match.group(0), notes), value)


def has_raw_bytes(text: str) -> bool:
    """Whether ``text`` holds 8-bit bytes the parser kept as surrogates (the sender did not encode them)."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def legible(text: str) -> str:
    """``text`` with any bytes the header parser left undecoded read as a guess, and without NUL."""
    if has_raw_bytes(text):
        text = _STRAY_SURROGATE.sub("\ufffd", text)  # not an escaped byte: nothing to decode
        text = decode_bytes(text.encode("utf-8", errors="surrogateescape"), None).text
    return text.replace("\x00", "")


def _reencode(run: str, notes: list[str]) -> str:
    """Decode a run of encoded words the way a mail reader would, as one UTF-8 word.

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
    words = []
    for charset, data in groups:
        decoded = decode_bytes(bytes(data), charset)
        if decoded.problem:
            notes.append(f"A header used {decoded.problem}.")
        words.append("=?utf-8?b?" + base64.b64encode(decoded.text.encode()).decode("ascii") + "?=")
    return " ".join(words)


def unstructured(name: str, text: str) -> str:
    """The decoded value of any header, for display."""
    try:
        return legible(str(_FACTORY(name, text)))
    except Exception:  # the header parser has raised on odd input in every Python release
        return _decode_words(text)


def _decode_words(text: str) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except Exception:
        return text


def addresses(text: str) -> tuple[Address, ...]:
    """Every mailbox that can be read from an address header; garbage yields what is legible."""
    found: list[tuple[str, str]] = []
    try:
        for address in _FACTORY("to", text).addresses:
            found.append((address.display_name, address.addr_spec))
    except Exception:
        found = email.utils.getaddresses([_decode_words(text)])
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


def parameters(name: str, text: str) -> dict[str, str]:
    """The parameters of a Content-Type or Content-Disposition value, RFC 2231 and RFC 2047 decoded."""
    return dict(_FACTORY(name, text).params)


def date(text: str) -> dt.datetime | None:
    """An aware datetime, or None when the value is not a date ("-0000" means UTC, as RFC 5322 says)."""
    try:
        value = _FACTORY("date", text).datetime
    except Exception:
        value = None
    if value is None:
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

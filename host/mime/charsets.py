"""Turning the bytes of a header or a body into text, whatever charset the sender claimed.

Mail lies about charsets: "iso-8859-1" that is really Windows-1252, "utf-8" that is really Latin-1,
"unknown-8bit", names Python does not know. Decoding never raises: it picks the codec a mail reader
would use, falls back to UTF-8 or Windows-1252, and reports what it had to guess so the message can
carry a note.
"""

from __future__ import annotations

import codecs

import attrs

# Names mailers use that Python does not know, or knows as a narrower codec than what they send
# (browsers read Latin-1 as Windows-1252, GB2312 as GB18030, Shift_JIS as CP932, and so on).
_ALIASES = {
    "iso8859-1": "cp1252",
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "x-gbk": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "iso2022_jp": "iso2022_jp_ext",
    "big5": "big5hkscs",
    "cp-850": "cp850",
    "x-sjis": "cp932",
}
# What senders write when they do not know the charset: read as UTF-8 if it is, else Windows-1252.
_UNDECLARED = frozenset({"", "ascii", "unknown-8bit", "x-unknown", "unknown", "8bit", "default", "x-user-defined"})
# Codecs that are not charsets: they would interpret the text rather than decode it.
_REFUSED = frozenset({"unicode-escape", "raw-unicode-escape", "undefined", "idna", "punycode", "mbcs", "oem"})


@attrs.frozen
class Decoded:
    text: str
    problem: str | None = None  # what had to be guessed, for the message's parse note


def decode_bytes(data: bytes, charset: str | None) -> Decoded:
    """Decode ``data`` declared as ``charset``; never raises."""
    declared = (charset or "").strip().strip("\"'").lower()
    codec = _codec(declared)
    if codec is None:
        if data.isascii():
            return Decoded(data.decode("ascii"))
        text, exact = _guess(data)
        if declared in ("", "ascii"):
            return Decoded(text, None if exact else "text without a character set was read as Windows-1252")
        return Decoded(text, f"the character set {declared!r} is unknown, so the text was read as a guess")
    try:
        return Decoded(data.decode(codec))
    except UnicodeError:
        pass
    if codec == "utf-8":
        return Decoded(_guess(data)[0], "text declared as UTF-8 was not, so it was read as a guess")
    return Decoded(
        data.decode(codec, errors="replace"),
        f"the text did not match its character set {declared!r}; some characters could not be shown",
    )


def _codec(declared: str) -> str | None:
    if declared in _UNDECLARED:
        return None
    name = _ALIASES.get(declared, declared)
    try:
        name = codecs.lookup(name).name
    except (LookupError, ValueError):
        return None
    name = _ALIASES.get(name, name)
    if name in _REFUSED:
        return None
    try:
        "".encode(name)  # bytes-to-bytes codecs (base64, zlib, ...) fail here
    except LookupError:
        return None
    return name


def _guess(data: bytes) -> tuple[str, bool]:
    """UTF-8 if the bytes are (mostly) UTF-8, else Windows-1252 with Latin-1 for its five gaps.

    The flag says whether the bytes were valid UTF-8, which needs no note.
    """
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if non_ascii > 2 * damaged:
        return text, False  # UTF-8 with a few broken bytes (a cut line, say): keep the rest readable
    return data.decode("cp1252", errors=_LATIN1_GAPS), False


def _latin1_gaps(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start : error.end].decode("latin-1"), error.end


_LATIN1_GAPS = "zoomclient.latin1-gaps"
codecs.register_error(_LATIN1_GAPS, _latin1_gaps)

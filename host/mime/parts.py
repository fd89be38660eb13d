"""The part tree of a MIME message, numbered like IMAP sections ("1", "2.1", ...).

Parsing and :func:`host.mime.parse.attachment_bytes` both walk the tree through :func:`children`,
so an attachment's id found by one names the same part for the other, also when a multipart had to
be recovered from a missing or wrong boundary.
"""

from __future__ import annotations

import functools
import re
from email.message import Message
from email.policy import EmailPolicy

from host.mime.feed import parse_text
from host.mime.headers import FACTORY, LONG_HEADER, simple_parameters

_BOUNDARY_LINE = re.compile(rb'^--([^\s"]{1,200})[ \t]*\r?$', re.MULTILINE)


class _TolerantPolicy(EmailPolicy):
    """``policy.default`` whose headers never raise and are parsed once.

    The stdlib's header parser still has inputs it fails on (IndexError deep inside a Content-Disposition,
    say): such a header reads as plain text. And it parses a header again on every access, while walking
    a message asks for each part's Content-Type a dozen times: parsed headers are kept (they are immutable).
    """

    def header_fetch_parse(self, name: str, value: str) -> object:
        return value if hasattr(value, "name") else _parsed_header(name, value)


@functools.lru_cache(maxsize=4096)
def _parsed_header(name: str, value: str) -> object:
    # The stdlib's parser takes quadratic time on long structured headers; no real Content-Type needs more.
    unfolded = _LINE_BREAK.sub("", value)[:LONG_HEADER]
    # Every multipart has a boundary of its own, so its Content-Type is never in this cache, and the stdlib
    # takes as long to parse it as the rest of the part: the everyday shape is read without it.
    if (simple := simple_parameters(name, unfolded)) is not None:
        head, params = simple
        return "; ".join([head, *(f'{key}="{value}"' for key, value in params)])  # the stdlib's text of it
    try:
        return FACTORY(name, unfolded)
    except Exception:
        return unfolded


TOLERANT = _TolerantPolicy(header_factory=FACTORY)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_bytes(raw: bytes) -> Message:
    """The part tree of ``raw``, parsed as everywhere in this package (as ``BytesParser.parsebytes`` does)."""
    return parse_text(raw.decode("ascii", errors="surrogateescape"), TOLERANT)


def children(part: Message) -> list[Message]:
    """The sub-parts of a multipart; [] for a leaf or a multipart whose parts cannot be found."""
    if part.is_multipart():
        return [child for child in part.get_payload() if isinstance(child, Message)]
    if part.get_content_maintype() != "multipart":
        return []
    return recovered_children(part)


def recovered_children(part: Message) -> list[Message]:
    """Parts of a multipart whose boundary was missing or wrong, found from the first ``--`` line."""
    payload = part.get_payload(decode=True)  # the raw bytes (or what a wrong transfer encoding hid)
    if not isinstance(payload, bytes):
        return []
    match = _BOUNDARY_LINE.search(payload)
    if match is None:
        return []
    header = b'Content-Type: multipart/mixed; boundary="' + match.group(1) + b'"\r\n\r\n'
    rebuilt = parse_bytes(header + payload)
    if not rebuilt.is_multipart():
        return []
    return [child for child in rebuilt.get_payload() if isinstance(child, Message)]


def child_path(path: str, index: int) -> str:
    return f"{path}.{index + 1}" if path else str(index + 1)


def part_at(message: Message, path: str) -> Message | None:
    """The part an IMAP-style section number names: "1" is the body of a single-part message."""
    try:
        numbers = [int(number) for number in path.split(".")]
    except ValueError:
        return None
    part = message
    if not children(part):
        return part if numbers == [1] else None
    for number in numbers:
        parts = children(part)
        if not 1 <= number <= len(parts):
            return None
        part = parts[number - 1]
    return part

"""The part tree of a MIME message, numbered like IMAP sections ("1", "2.1", ...).

Parsing and :func:`host.mime.parse.attachment_bytes` both walk the tree through :func:`children`,
so an attachment's id found by one names the same part for the other, also when a multipart had to
be recovered from a missing or wrong boundary.
"""

from __future__ import annotations

import functools
import re
from email.message import EmailMessage
from email.policy import EmailPolicy

from host.mime.feed import parse_text
from host.mime.headers import FACTORY, LONG_HEADER, simple_parameters
from host.mime.split import split_message

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
    unfolded = unfold(value)[:LONG_HEADER]
    # Every multipart has a boundary of its own, so its Content-Type is never in this cache, and the stdlib
    # takes as long to parse it as the rest of the part: the everyday shape is read without it.
    if (simple := simple_parameters(name, unfolded)) is not None:
        head, params = simple
        text = _Parameterized("; ".join([head, *(f'{key}="{value}"' for key, value in params)]))
        text.params = ((head, ""), *((key.lower(), f'"{value}"') for key, value in params))
        return text
    try:
        return FACTORY(name, unfolded)
    except Exception:
        return unfolded


class _Parameterized(str):
    """A Content-Type or Content-Disposition of the everyday shape: the text the stdlib's header parser
    makes of it, and its ``params`` as ``Message._get_params_preserve`` reads them from that text (the
    value and ``""``, then each lower-case name with its value quoted), read here without the stdlib's
    splitting, unquoting and RFC 2231 pass, which none of them needs."""

    params: tuple[tuple[str, str], ...]


_MISSING = object()


class ParsedPart(EmailMessage):
    """A part as parsed here, which remembers its headers by name, its content type and their parameters.

    Reading a message asks each part for its type and parameters a dozen times (the charset, the boundary,
    ``format``, the filename), and the stdlib looks through all headers and splits the one it finds again
    for each question. A change to the headers or to the default type forgets what was remembered: every
    such change goes through the methods below or assigns ``_headers`` anew.
    """

    def __init__(self, policy: EmailPolicy | None = None) -> None:
        self._memo: dict[object, object] = {}
        super().__init__(policy)

    @property
    def _headers(self) -> list[tuple[str, str]]:
        return self.__dict__["_header_list"]

    @_headers.setter
    def _headers(self, headers: list[tuple[str, str]]) -> None:
        self._memo = {}
        self.__dict__["_header_list"] = headers

    def __setitem__(self, name: str, value: object) -> None:
        self._memo = {}
        super().__setitem__(name, value)

    def set_raw(self, name: str, value: object) -> None:
        self._memo = {}
        super().set_raw(name, value)

    def add_header(self, name: str, value: str, **params: object) -> None:
        self._memo = {}
        super().add_header(name, value, **params)

    def replace_header(self, name: str, value: object) -> None:
        self._memo = {}
        super().replace_header(name, value)

    def set_default_type(self, ctype: str) -> None:
        self._memo = {}
        super().set_default_type(ctype)

    def _first(self) -> dict[str, tuple[str, str]]:
        """Each header's first occurrence by lower-case name: what ``get`` and ``in`` look for."""
        if (first := self._memo.get("first")) is None:
            first = self._memo["first"] = {}
            for name, value in self._headers:
                first.setdefault(name.lower(), (name, value))
        return first  # type: ignore[return-value]

    def raw_value(self, name: str) -> str | None:
        """The first ``name`` header's value as it came (folded, undecoded), or None."""
        found = self._first().get(name.lower())
        return None if found is None else str(found[1])

    def get(self, name: str, failobj: object = None) -> object:
        found = self._first().get(name.lower())
        return failobj if found is None else self.policy.header_fetch_parse(*found)

    def __getitem__(self, name: str) -> object:
        return self.get(name)

    def __contains__(self, name: str) -> bool:  # type: ignore[override]
        return name.lower() in self._first()

    def get_content_type(self) -> str:
        if (found := self._memo.get("type")) is None:
            found = self._memo["type"] = super().get_content_type()
        return found  # type: ignore[return-value]

    def _get_params_preserve(self, failobj: object, header: str) -> object:
        # Behind get_param, get_params, get_boundary, get_content_charset and get_filename.
        key = ("params", header)
        if (found := self._memo.get(key)) is None:
            value = self.get(header, _MISSING)
            if isinstance(value, _Parameterized):
                found = value.params
            else:
                found = super()._get_params_preserve(_MISSING, header)  # type: ignore[misc]
            self._memo[key] = found
        return failobj if found is _MISSING else list(found)  # type: ignore[call-overload]


TOLERANT = _TolerantPolicy(header_factory=FACTORY, message_factory=ParsedPart)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def unfold(value: str) -> str:
    """A raw header value as the stdlib's policy reads it before parsing: its line breaks taken out."""
    return _LINE_BREAK.sub("", value)


def parse_bytes(raw: bytes) -> ParsedPart:
    """The part tree of ``raw``, parsed as everywhere in this package (as ``BytesParser.parsebytes`` does)."""
    text = raw.decode("ascii", errors="surrogateescape")
    tree = split_message(text, TOLERANT)  # everyday mail; the feed parser reads the rest
    return tree if tree is not None else parse_text(text, TOLERANT)


def children(part: ParsedPart) -> list[ParsedPart]:
    """The sub-parts of a multipart; [] for a leaf or a multipart whose parts cannot be found."""
    if part.is_multipart():
        return [child for child in part.get_payload() if isinstance(child, ParsedPart)]
    if part.get_content_maintype() != "multipart":
        return []
    return recovered_children(part)


def recovered_children(part: ParsedPart) -> list[ParsedPart]:
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
    return [child for child in rebuilt.get_payload() if isinstance(child, ParsedPart)]


def child_path(path: str, index: int) -> str:
    return f"{path}.{index + 1}" if path else str(index + 1)


def part_at(message: ParsedPart, path: str) -> ParsedPart | None:
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

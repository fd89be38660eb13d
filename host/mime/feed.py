"""The stdlib's MIME feed parser, without a regular expression compiled for every multipart boundary.

``email.feedparser`` compiles ``(?P<sep>--BOUNDARY)(?P<end>--)?(?P<ws>[ \\t]*)(?P<linesep>\\r\\n|\\r|\\n)?$``
for each multipart it meets. Every message has boundaries of its own, so the ``re`` cache never helps, and
the compile was a quarter of the time of reading a typical message. Its parse loop runs here unchanged, with
a ``re`` whose ``compile`` answers that one pattern with :class:`BoundaryMatcher`, which matches the same
lines the same way (a differential test holds it to the regex); any other pattern is compiled as ever. When
the running Python's loop does not look as expected, the stdlib's own parser is used.
"""

from __future__ import annotations

import email.feedparser
import re
import types
from typing import Any

_PREFIX = "(?P<sep>"
_SUFFIX = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_LINE_ENDS = ("\r\n", "\r", "\n")


class _Match:
    __slots__ = ("end", "linesep")

    def __init__(self, end: str | None, linesep: str | None) -> None:
        self.end = end
        self.linesep = linesep

    def group(self, name: str) -> str | None:
        if name == "end":
            return self.end
        if name == "linesep":
            return self.linesep
        raise IndexError(f"no such group {name!r}")  # the loop reads only these two, as re's match would


class BoundaryMatcher:
    """``re.compile(_PREFIX + re.escape(separator) + _SUFFIX).match``, by hand."""

    __slots__ = ("separator",)

    def __init__(self, separator: str) -> None:
        self.separator = separator

    def match(self, line: str) -> _Match | None:
        if not line.startswith(self.separator):
            return None
        rest = line[len(self.separator) :]
        if rest.startswith("--"):  # (?P<end>--)? is greedy: with it first, then without
            linesep = _tail(rest[2:])
            if linesep is not None:
                return _Match("--", linesep or None)
        linesep = _tail(rest)
        return None if linesep is None else _Match(None, linesep or None)


def _tail(rest: str) -> str | None:
    """What ``(?P<ws>[ \\t]*)(?P<linesep>\\r\\n|\\r|\\n)?$`` reads from ``rest``: the line end ("" for none),
    or None when it does not match. ``$`` matches at the end, or before a newline that ends the string."""
    rest = rest.lstrip(" \t")  # greedy, and giving blanks back can never help what follows
    for linesep in _LINE_ENDS:
        if rest.startswith(linesep) and _at_end(rest, len(linesep)):
            return linesep
    return "" if _at_end(rest, 0) else None


def _at_end(text: str, position: int) -> bool:
    return position == len(text) or (position == len(text) - 1 and text[position] == "\n")


class _Patterns:
    """The ``re`` module as the feed parser's loop sees it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def compile(pattern: Any, flags: int = 0) -> Any:
        if flags == 0 and isinstance(pattern, str) and pattern.startswith(_PREFIX) and pattern.endswith(_SUFFIX):
            return BoundaryMatcher(_ESCAPED.sub(r"\1", pattern[len(_PREFIX) : -len(_SUFFIX)]))
        return re.compile(pattern, flags)


def _loop() -> types.FunctionType | None:
    stdlib = email.feedparser.FeedParser._parsegen
    code = stdlib.__code__
    if "compile" not in code.co_names or "escape" not in code.co_names or stdlib.__closure__:
        return None  # not the loop this module was written against
    namespace = {**vars(email.feedparser), "re": _Patterns()}
    return types.FunctionType(code, namespace, stdlib.__name__, stdlib.__defaults__)


class FeedParser(email.feedparser.FeedParser):
    _parsegen = _loop() or email.feedparser.FeedParser._parsegen


def parse_text(text: str, policy: Any) -> Any:
    """``email.parser.Parser(policy=policy).parsestr(text)``, through :class:`FeedParser`."""
    parser = FeedParser(policy=policy)
    for start in range(0, len(text), 8192):  # the stdlib's chunks, so that lines split as they do there
        parser.feed(text[start : start + 8192])
    return parser.close()

"""Everyday mail cut into its part tree with ``str.find``, without the stdlib's line-by-line feed parser.

Well-formed mail is headers, a blank line and a body, and a multipart's body is cut at its boundary lines:
no line of it needs reading on its own. :func:`split_message` builds the tree ``email.feedparser`` builds
from such text (the same message class, raw headers, payloads, preambles and epilogues) in about half the
time (on generated mail), or returns None as soon as the text is anything else: a defect
the feed parser would record, a ``message/*`` or ``multipart/digest`` part it reads in a way of its own, a
lone CR it would take as a line end, a header line it would read differently. The caller then runs the
feed parser, so nothing differs but the speed; tests/mime/test_fast_paths.py holds the two to the same trees.

The feed parser ends a part at the first line that is a boundary line of any multipart around it. Here a
part is the text between two boundary lines of its parent, and the parent's text held no boundary line of
the parts around it (the same holds for it, up to the message), so the two end every part at one place.
"""

from __future__ import annotations

import itertools
import re
from email.message import Message
from email.policy import EmailPolicy

from host.mime.feed import BoundaryMatcher

# A header line and its continuation lines, as the feed parser's header loop takes them (its headerRE,
# less the "From " envelope line and the empty name, which it reads in ways of its own).
_HEADER = re.compile(r"([\041-\071\073-\176]+):[ \t]*([^\n]*\n(?:[ \t][^\n]*\n)*)")
_BLANK_LINE = re.compile(r"^\r?\n", re.MULTILINE)
_PLAIN_TRANSFER = frozenset({"7bit", "8bit", "binary"})  # anything else in a multipart is a defect


class _NotEveryday(Exception):
    """The text is not of the shape read here: the feed parser is needed."""


def split_message(text: str, policy: EmailPolicy) -> Message | None:
    """The part tree the feed parser builds from ``text`` under ``policy``, or None when only it can tell."""
    if type(policy).header_source_parse is not EmailPolicy.header_source_parse:
        return None  # a policy that reads header lines its own way
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR ends a line for the feed parser
    try:
        return _part(text, 0, len(text), policy)
    except _NotEveryday:
        return None


def _part(text: str, start: int, end: int, policy: EmailPolicy) -> Message:
    """The part in ``text[start:end]``, which starts at a line start."""
    blank = _BLANK_LINE.search(text, start, end)
    if blank is None:
        raise _NotEveryday  # no blank line after the headers
    part = policy.message_factory(policy=policy)
    position, headers_end = start, blank.start()
    raw_headers = []
    while position < headers_end:
        header = _HEADER.match(text, position, headers_end)
        if header is None:
            raise _NotEveryday  # a line that is no header: the feed parser notes a missing separator
        # EmailPolicy.header_source_parse: the blanks after the colon go, the folds stay, the line end goes.
        raw_headers.append((header.group(1), header.group(2).rstrip("\r\n")))
        position = header.end()
    part._headers = raw_headers  # what set_raw of each would make, in one step
    body = blank.end()
    maintype = part.get_content_maintype()
    if maintype == "message":
        raise _NotEveryday  # read as a message of its own
    if maintype != "multipart":
        part.set_payload(text[body:end])
        return part
    boundary = part.get_boundary()
    if boundary is None or part.get_content_subtype() == "digest":
        raise _NotEveryday
    if str(part.get("content-transfer-encoding", "8bit")).lower() not in _PLAIN_TRANSFER:
        raise _NotEveryday
    _multipart(part, boundary, text, body, end, policy)
    return part


def _multipart(part: Message, boundary: str, text: str, start: int, end: int, policy: EmailPolicy) -> None:
    """Cut the body ``text[start:end]`` of the multipart ``part`` at its boundary lines."""
    lines = _boundary_lines(text, "--" + boundary, start, end)
    if not lines or lines[0][2] or not lines[-1][2]:
        raise _NotEveryday  # no opening boundary, or no closing one
    first = lines[0][0]
    if first > start:
        part.preamble = _without_line_end(text[start:first])  # the last line end belongs to the boundary
    for (_, after, _), (following, _, _) in itertools.pairwise(lines):
        if after == following:
            raise _NotEveryday  # two boundary lines in a row: the feed parser skips the empty part
        child = _part(text, after, following, policy)
        # The line end before a boundary line belongs to the boundary, as the feed parser reads RFC 2046.
        if child.get_content_maintype() == "multipart":
            child.epilogue = None if child.epilogue == "" else _without_line_end(child.epilogue)
        else:
            child.set_payload(_without_line_end(child._payload))  # as held (get_payload decodes 8-bit text)
        part.attach(child)
    part.epilogue = text[lines[-1][1] : end]


def _boundary_lines(text: str, separator: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Each boundary line in ``text[start:end]`` up to the closing one: where it starts, where the next line
    starts, and whether it closes; each line read by the feed parser's own boundary pattern."""
    matcher = BoundaryMatcher(separator)
    found: list[tuple[int, int, bool]] = []
    position = start
    while (at := text.find(separator, position, end)) >= 0:
        newline = text.find("\n", at, end)
        position = end if newline < 0 else newline + 1  # the next line's start
        if at > start and text[at - 1] != "\n":
            continue  # not at a line start
        match = matcher.match(text[at:position])
        if match is None:
            continue
        found.append((at, position, match.end is not None))
        if match.end is not None:
            break
    return found


def _without_line_end(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text

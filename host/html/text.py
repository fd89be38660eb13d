"""Plain text from HTML mail, for search, snippets, quoting and the plain part of what we send.

nh3 (html5ever) first reads the tag soup as a browser would, in linear time, and keeps only the
elements that shape text; the well-formed result is then walked token by token. (The standard
library's HTMLParser is quadratic on unclosed quotes: a hostile mail could hang it for minutes.)
"""

from __future__ import annotations

import html
import re

import nh3

# Elements whose content is never shown to a reader.
_HIDDEN = frozenset({"script", "style", "title", "template", "noscript", "iframe", "object", "embed", "svg", "xml"})
# Elements that start on a new line, and those after which a paragraph gap is kept.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"})
_CELL = frozenset({"td", "th"})
_CLEANER = nh3.Cleaner(
    tags=set(_BLOCK | _CELL | {"br", "img"}),
    clean_content_tags=set(_HIDDEN),
    attributes={"img": {"alt"}},
    link_rel=None,
)
_TOKEN = re.compile(r'<(/?)([a-z0-9]+)((?:[^>"]|"[^"]*")*)>|([^<]+)')
_ALT = re.compile(r'alt="([^"]*)"')
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")


class _Lines:
    """The text being built: finished lines and the pieces of the current one."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.tail = ""  # the end of the current line, to collapse spaces across inline tags
        self.pre = 0
        self.cell_started = False

    def end_line(self, *, line_break: bool = False, gap: bool = False) -> None:
        """A block end drops an empty line, ``<br>`` keeps it, a paragraph adds a gap."""
        line = "".join(self.current).rstrip()
        self.current, self.tail = [], ""
        if line or line_break:
            self.lines.append(line)
        if gap and self.lines and self.lines[-1]:
            self.lines.append("")

    def append(self, text: str) -> None:
        if text:
            self.current.append(text)
            self.tail = text[-1]

    def start(self, tag: str, attributes: str) -> None:
        if tag == "br":
            self.end_line(line_break=True)
        elif tag in _BLOCK:
            self.end_line(gap=tag in _PARAGRAPH)
            self.pre += tag == "pre"
            if tag == "li":
                self.append("- ")
            elif tag == "tr":
                self.cell_started = False
        elif tag in _CELL:
            if self.cell_started:
                self.append("\t")
            self.cell_started = True
        elif tag == "img" and (alt := _ALT.search(attributes)) and alt.group(1).strip():
            self.append(f"[{html.unescape(alt.group(1)).strip()}]")

    def end(self, tag: str) -> None:
        if tag in _BLOCK:
            self.pre -= tag == "pre" and self.pre > 0
            self.end_line(gap=tag in _PARAGRAPH)

    def text(self, data: str) -> None:
        data = html.unescape(data)
        if self.pre:
            first, *rest = data.split("\n")
            self.append(first)
            for line in rest:
                self.end_line(line_break=True)
                self.append(line)
            return
        data = _SPACES.sub(" ", data)
        if not self.tail or self.tail in " \t":
            data = data.lstrip(" ")
        self.append(data)

    def result(self) -> str:
        self.end_line()
        return _BLANK_LINES.sub("\n\n", "\n".join(self.lines)).strip("\n")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML document or fragment: tags dropped, entities decoded, lines kept."""
    lines = _Lines()
    for match in _TOKEN.finditer(_CLEANER.clean(markup)):
        closing, tag, attributes, data = match.groups()
        if data is not None:
            lines.text(data)
        elif closing:
            lines.end(tag)
        else:
            lines.start(tag, attributes)
    return lines.result()

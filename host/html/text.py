"""Plain text from HTML mail, for search, snippets, quoting and the plain part of what we send.

The standard library's tolerant HTMLParser reads any tag soup without raising; block elements
become line breaks so that the text keeps the shape a reader saw.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never shown to a reader.
_HIDDEN = frozenset({"script", "style", "title", "template", "xml"})
# Elements that start on a new line.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements after which a paragraph gap is kept.
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.cell_started = False

    def _break(self, *, line_break: bool = False, gap: bool = False) -> None:
        """End the current line: a block end drops an empty one, ``<br>`` keeps it, a paragraph adds a gap."""
        line = "".join(self.current).rstrip()
        self.current = []
        if line or line_break:
            self.lines.append(line)
        if gap and self.lines and self.lines[-1]:
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
            return
        if self.hidden:
            return
        if tag == "br":
            self._break(line_break=True)
        elif tag in _BLOCK:
            self._break(gap=tag in _PARAGRAPH)
            if tag == "li":
                self.current.append("- ")
            elif tag == "pre":
                self.pre += 1
            elif tag == "tr":
                self.cell_started = False
        elif tag in ("td", "th"):
            if self.cell_started:
                self.current.append("\t")
            self.cell_started = True
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and alt.strip():
                self.current.append(f"[{alt.strip()}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if self.hidden:
            return
        if tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._break(gap=tag in _PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            first, *rest = data.replace("\r\n", "\n").split("\n")
            self.current.append(first)
            for line in rest:
                self._break(line_break=True)
                self.current.append(line)
            return
        text = _SPACES.sub(" ", data)
        if not self.current or "".join(self.current).endswith((" ", "\t", "- ")):
            text = text.lstrip(" ")
        self.current.append(text)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document or fragment: tags dropped, entities decoded, lines kept."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    collector._break()
    return _BLANK_LINES.sub("\n\n", "\n".join(collector.lines)).strip("\n")

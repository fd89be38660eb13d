"""The sanitiser every HTML mail passes through before the reader shows it.

nh3 (ammonia) parses the HTML the way a browser does and keeps only what is listed here. Its defaults
keep remote images and drop ``cid:``; mail needs the opposite: ``cid:`` points at the message's own
inline parts, while a remote image tells the sender when and where the mail was read. So ``cid:`` is
allowed, and every remote reference that a renderer would load by itself (``src``, ``srcset``,
``background`` and CSS ``url()``) is removed and counted unless the user allowed remote content.
nh3 cannot read CSS, so ``style`` attributes go through a small filter here that keeps a list of
harmless properties and refuses every function but colours, ``calc()`` and vetted ``url()``s.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable

import attrs
import nh3

_TAGS = frozenset(nh3.ALLOWED_TAGS | {"font", "tfoot", "big", "address", "section", "main", "center"})
# Dropped together with their content: code, styles, embedded documents and their fallbacks.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "title", "template", "iframe", "frame", "frameset", "noframes", "noscript",
        "noembed", "object", "embed", "applet", "svg", "math", "xmp", "head",
    }
)  # fmt: skip
_CELL = {"colspan", "rowspan", "nowrap", "headers", "scope", "background", "char", "charoff"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "dir", "lang", "title", "align", "valign", "width", "height", "bgcolor"},
    "a": {"href", "hreflang"},
    "area": {"href", "alt", "shape", "coords"},
    "img": {"src", "srcset", "alt", "border", "hspace", "vspace"},
    "font": {"color", "face", "size"},
    "table": {"border", "cellpadding", "cellspacing", "summary", "background", "char", "charoff"},
    "td": _CELL,
    "th": _CELL,
    "tr": {"background", "char", "charoff"},
    "thead": {"char", "charoff"},
    "tbody": {"char", "charoff"},
    "tfoot": {"char", "charoff"},
    "col": {"span", "char", "charoff"},
    "colgroup": {"span", "char", "charoff"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value", "type"},
    "hr": {"size", "noshade", "color"},
    "blockquote": {"cite", "type"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "bdo": {"dir"},
    "map": {"name"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel", "sms", "cid", "data"}
# Attributes a renderer loads on its own, without the user clicking anything.
_LOADED = frozenset({"src", "background"})
_LINKS = frozenset({"href", "cite"})

_CSS_PROPERTIES = frozenset(
    {
        "color", "background", "background-color", "background-image", "background-position",
        "background-repeat", "background-size",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
        "border-style", "border-width", "border-radius", "border-collapse", "border-spacing",
        "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
        "border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
        "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "font", "font-family", "font-size", "font-style", "font-weight", "font-variant",
        "text-align", "text-decoration", "text-indent", "text-transform", "letter-spacing", "word-spacing",
        "line-height", "vertical-align", "white-space", "word-break", "word-wrap", "overflow-wrap",
        "text-overflow", "direction", "width", "height", "max-width", "min-width", "max-height", "min-height",
        "display", "float", "clear", "overflow", "visibility", "opacity",
        "list-style-type", "list-style-position", "table-layout", "caption-side", "empty-cells",
    }
)  # fmt: skip
_CSS_URL_PROPERTIES = frozenset({"background", "background-image"})
_CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla", "calc", "url"})
_CSS_FUNCTION = re.compile(r"(?<![a-zA-Z_-])([a-zA-Z_-]*)\s*\(")  # from a name's start: linear time
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
# Nothing that could hide a keyword from the checks above: escapes, comments, markup, control characters.
_CSS_REFUSED = re.compile(r"[\\<>\x00-\x08\x0b-\x1f\x7f]|/\*|expression|javascript|vbscript|behavior|binding", re.I)
_URL_SAFE = ":/?#[]@!$&*+,;=%~-._"
_URL_WHITESPACE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IMAGE_DATA = re.compile(r"^data:image/(png|gif|jpe?g|webp|bmp|x-icon|vnd\.microsoft\.icon|avif)[;,]", re.I)


@attrs.frozen
class SanitisedHtml:
    """Safe HTML for the reader, and how many remote references were removed from it."""

    html: str
    blocked_remote: int


def sanitise_html(html: str, *, allow_remote: bool = False) -> SanitisedHtml:
    """Keep what a reader may render; with ``allow_remote`` remote images stay, scripts never do."""
    blocked: set[str] = set()
    cleaner = nh3.Cleaner(
        tags=set(_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(allow_remote, blocked),
        url_schemes=set(_URL_SCHEMES),
        url_relative=_refuse_relative,
        link_rel="noopener noreferrer",
    )
    return SanitisedHtml(html=cleaner.clean(html), blocked_remote=len(blocked))


def _attribute_filter(allow_remote: bool, blocked: set[str]) -> Callable[[str, str, str], str | None]:
    def loaded(tag: str, url: str) -> str | None:
        kind, url = _classify(url)
        if kind == "cid" or (kind == "data" and tag == "img" and _IMAGE_DATA.match(url)):
            return url
        if kind == "remote":
            if allow_remote:
                return url
            blocked.add(url)
        return None

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "style":
            return _filter_style(value, lambda url: loaded("img", url)) or None
        if attribute in _LOADED:
            return loaded(tag, value)
        if attribute == "srcset":
            candidates = []
            for candidate in value.split(","):
                url, _, descriptor = candidate.strip().partition(" ")
                kept = loaded(tag, url)
                if kept:
                    candidates.append(f"{kept} {descriptor.strip()}".strip())
            return ", ".join(candidates) or None
        if attribute in _LINKS:
            kind, url = _classify(value)
            return url if kind in ("remote", "other") else None
        return value

    return keep


def _refuse_relative(url: str) -> str | None:
    """Relative URLs mean nothing in a mail; the filter has already made protocol-relative ones absolute."""
    return None


def _classify(value: str) -> tuple[str, str]:
    """What a URL points at, as a browser would read it: remote, cid, data, refused or other."""
    # Browsers drop tabs and newlines anywhere in a URL and trim control characters and spaces.
    url = _URL_WHITESPACE.sub("", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f "
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
    )
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return "remote", "https://" + url[2:].replace("\\", "/")
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme in ("http", "https"):
        return "remote", url
    if scheme == "cid":
        return "cid", url
    if scheme == "data":
        return "data", url
    if scheme in ("mailto", "tel", "sms"):
        return "other", url
    return "refused", url


def _filter_style(style: str, vet_url: Callable[[str], str | None]) -> str:
    """The declarations of a ``style`` attribute that are known to be harmless."""
    kept = []
    for declaration in _split_declarations(style):
        name, colon, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not colon or not value or name not in _CSS_PROPERTIES or _CSS_REFUSED.search(value):
            continue
        if any(function.lower() not in _CSS_FUNCTIONS for function in _CSS_FUNCTION.findall(value)):
            continue
        urls = list(_CSS_URL.finditer(value))
        if value.lower().count("url(") != len(urls) or (urls and name not in _CSS_URL_PROPERTIES):
            continue
        vetted = [vet_url(next(group for group in url.groups() if group is not None)) for url in urls]
        if None in vetted:
            continue
        for url, safe in zip(reversed(urls), reversed(vetted), strict=True):
            # quotes, parentheses and spaces escaped: a URL cannot end the CSS string and add declarations
            quoted = urllib.parse.quote(safe or "", safe=_URL_SAFE)
            value = f'{value[: url.start()]}url("{quoted}"){value[url.end() :]}'
        kept.append(f"{name}: {value}")
    return "; ".join(kept)


def _split_declarations(style: str) -> list[str]:
    """Split at semicolons outside quotes and parentheses; an unbalanced quote drops the rest."""
    declarations, current, quote, depth = [], [], "", 0
    for char in style:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == ";" and not depth:
            declarations.append("".join(current))
            current = []
            continue
        current.append(char)
    if not quote:
        declarations.append("".join(current))
    return declarations

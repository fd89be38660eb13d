"""A structural check of sanitised HTML: what a browser would build from it, element by element."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "sms:", "cid:")
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "background", "cite", "action", "formaction", "data", "poster"})
FORBIDDEN_TAGS = frozenset(
    {"script", "style", "iframe", "frame", "object", "embed", "form", "input", "button", "meta", "base", "link",
     "svg", "math", "applet", "textarea", "select", "noscript", "template", "xmp", "title"}
)  # fmt: skip


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def _normalised(url: str) -> str:
    return "".join(char for char in url if char > " ").lower()


def check_safe(html: str) -> list[tuple[str, dict[str, str]]]:
    """Fail unless ``html`` can run nothing and load nothing but ``cid:``/``data:image``/allowed remote URLs."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.elements:
        assert tag not in FORBIDDEN_TAGS, (tag, html)
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, html)
            assert name not in ("srcdoc", "formaction", "action", "http-equiv", "id", "class"), (tag, name)
            if name in URL_ATTRIBUTES:
                for url in value.split(",") if name == "srcset" else [value]:
                    url = _normalised(url.strip().split(" ")[0])
                    assert url.startswith(SAFE_SCHEMES) or url.startswith("data:image/"), (tag, name, value)
                    assert not url.startswith("data:image/svg"), (tag, name, value)
            if name == "style":
                lowered = _normalised(value)
                for word in ("expression", "javascript", "behavior", "binding", "@import", "\\", "position"):
                    assert word not in lowered, (tag, value)
    return parser.elements


@pytest.fixture(scope="session")
def safe() -> Callable[[str], list[tuple[str, dict[str, str]]]]:
    return check_safe

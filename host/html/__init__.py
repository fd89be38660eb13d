"""HTML mail: the sanitiser the reader shows mail through, and the text that search and snippets use."""

from host.html.sanitise import SanitisedHtml, sanitise_html
from host.html.text import html_to_text

__all__ = ["SanitisedHtml", "html_to_text", "sanitise_html"]

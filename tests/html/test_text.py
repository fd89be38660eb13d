"""Plain text from HTML for search, snippets and the plain part of what we send."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from host.html import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hello&nbsp;<b>world</b></p><p>Second</p>", "Hello world\n\nSecond"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("<ul><li>one<li>two</ul>after", "- one\n- two\n\nafter"),
        ("<table><tr><td>a<td>b</tr><tr><td>c</td><td>d</td></tr></table>", "a\tb\nc\td"),
        ("<pre>  x\n    y</pre>", "  x\n    y"),
        ("<p>  lots   of\n\n  space  </p>", "lots of space"),
        ("<html><head><title>T</title><style>p{}</style></head><body><script>x()</script>Body", "Body"),
        ("Tom &amp; Jerry &lt;3 &#8364; &euro;", "Tom & Jerry <3 € €"),
        ('<img src="cid:x" alt="Logo"> text', "[Logo] text"),
        ("<p>unclosed <b>bold <i>both", "unclosed bold both"),
        ("<!-- comment --><p>kept</p>", "kept"),
        ("", ""),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=500)
    | st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<br>",
                "<pre>",
                "</pre>",
                "<script>",
                "</script>",
                "<li>",
                "x",
                " ",
                "&amp;",
                "<td>",
                "<title>",
                "</title>",
                "\n",
            ]
        ),
        max_size=60,
    ).map("".join)
)
def test_html_to_text_never_raises(html):
    assert isinstance(html_to_text(html), str)

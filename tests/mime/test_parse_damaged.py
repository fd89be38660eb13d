"""Broken charsets and broken structure: always a message, with a note saying what was wrong."""

from __future__ import annotations

import pytest

from host.mime import attachment_bytes, parse_message
from host.mime.charsets import decode_bytes


def test_windows_1252_declared_as_latin_1(corpus, parse):
    message = parse(corpus["windows1252"])
    assert message.body_text == "\u201cSmart\u201d quotes \u2013 and \u20ac5 caf\u00e9\n"
    assert message.parse_note is None


def test_unknown_8bit_is_read_and_noted(corpus, parse):
    message = parse(corpus["unknown8bit"])
    assert message.subject == "Café"
    assert message.body_text == "naïve café\n"
    assert "unknown-8bit" in (message.parse_note or "")


def test_utf8_that_is_latin_1(corpus, parse):
    message = parse(corpus["lying_utf8"])
    assert message.body_text == "Grüße aus Köln\n"
    assert "declared as UTF-8" in (message.parse_note or "")


@pytest.mark.parametrize(
    ("data", "charset", "text", "noted"),
    [
        (b"plain", None, "plain", False),
        ("café".encode(), None, "café", False),
        ("café".encode("cp1252"), None, "café", True),
        ("Grüße".encode() + b"\xff", "utf-8", "Grüße\ufffd", True),  # mostly UTF-8: keep it, mark the damage
        (b"\x81\x8d", "utf-8", "\x81\x8d", True),  # Windows-1252's gaps read as Latin-1, never an error
        (b"abc", "base64", "abc", False),  # not a charset: ASCII needs no guess
        (b"ab\xe9", "x-no-such-charset", "abé", True),
        (b"ab\xe9", "unicode_escape", "abé", True),
        ("中文".encode("gbk"), "gb2312", "中文", False),
        ("한국어".encode("cp949"), "ks_c_5601-1987", "한국어", False),
        ("ｶﾀｶﾅ".encode("cp932"), "shift_jis", "ｶﾀｶﾅ", False),
        (b"\x1b$B\xff\xff", "iso-2022-jp", None, True),
    ],
)
def test_decode_bytes(data, charset, text, noted):
    decoded = decode_bytes(data, charset)
    if text is not None:
        assert decoded.text == text
    assert (decoded.problem is not None) == noted


def test_missing_boundary_is_recovered(corpus, parse, payloads):
    message = parse(corpus["missing_boundary"])
    assert message.body_text == "Recovered body."
    (pdf,) = message.attachments
    assert pdf.filename == "a.pdf"
    assert attachment_bytes(corpus["missing_boundary"], pdf.id) == payloads["pdf"]
    assert "damaged" in (message.parse_note or "")


def test_wrong_boundary_is_recovered(corpus, parse):
    message = parse(corpus["wrong_boundary"])
    assert message.body_text == "plain version"
    assert message.body_html == "<p>html version</p>"
    assert "damaged" in (message.parse_note or "")


def test_truncated_multipart_keeps_body_and_lists_the_cut_part(corpus, parse):
    message = parse(corpus["truncated"])
    assert message.body_text == "The body survived."
    (cut,) = message.attachments
    assert cut.filename == "cut.pdf"
    assert attachment_bytes(corpus["truncated"], cut.id).startswith(b"%PDF-1.4")
    assert "truncated" in (message.parse_note or "")


def test_multipart_without_any_parts_shows_its_text(parse, make_raw):
    message = parse(make_raw("Subject: x", 'Content-Type: multipart/mixed; boundary="nope"', "", "only text here"))
    assert message.body_text == "only text here"
    assert "damaged" in (message.parse_note or "")


def test_headers_without_body(corpus, parse):
    message = parse(corpus["headers_only"])
    assert message.subject == "nothing else"
    assert message.body_text == ""


def test_body_without_headers(corpus, parse):
    message = parse(corpus["body_only"])
    assert message.subject == "" and message.sender is None
    assert message.body_text == "Hello,\nthere are no headers here.\n"
    assert "headers are not separated" in (message.parse_note or "")


def test_empty_bytes(corpus, parse):
    message = parse(corpus["empty"])
    assert (message.subject, message.body_text, message.attachments, message.size) == ("", "", (), 0)
    assert "empty" in (message.parse_note or "")


def test_nul_bytes_everywhere(parse):
    message = parse(b"Subj\x00ect: a\x00b\r\nFrom: \x00x@example.com\r\n\r\nbo\x00dy\x00")
    texts = [message.subject, message.body_text, message.snippet, *(v for _, v in message.headers)]
    assert all("\x00" not in text for text in texts)
    assert "body" in message.body_text


def test_bad_base64_body_is_decoded_as_far_as_possible(parse, make_raw):
    raw = make_raw(
        "Subject: x",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        "SGVsbG8g!!!d29y",
        "",
    )
    message = parse(raw)
    assert message.body_text.startswith("Hello ")
    assert "base64" in (message.parse_note or "")


def test_unknown_transfer_encoding_passes_the_bytes(parse, make_raw):
    raw = make_raw("Subject: x", "Content-Transfer-Encoding: x-martian", "", "readable anyway")
    assert parse(raw).body_text == "readable anyway"


def test_an_exception_inside_still_gives_a_message(monkeypatch, corpus):
    """The last line of defence: whatever the parser raises, the message is kept with a note."""
    import host.mime.parse as parse_module

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parse_module, "_parse", explode)
    message = parse_message(corpus["bad_headers"], id="m", thread_id="t", folder_ids=("INBOX",))
    assert message.parse_note is not None
    assert message.parse_note.startswith("This message could not be fully read: RecursionError")
    assert message.subject == "café Grüße中文"
    assert message.sender is not None and message.sender.email == "joerg@example.de"
    assert message.body_text == "body with a NUL  byte\r\n"
    assert message.raw == corpus["bad_headers"]
    assert message.folder_ids == ("INBOX",)


def nested(depth: int) -> bytes:
    lines = ["Subject: deep"]
    for level in range(depth):
        lines += [f'Content-Type: multipart/mixed; boundary="b{level}"', "", f"--b{level}"]
    lines += ["Content-Type: text/plain", "", "bottom"]
    lines += [f"--b{level}--" for level in reversed(range(depth))]
    return "\r\n".join(lines).encode()


def test_deep_nesting_is_cut_with_a_note(parse):
    message = parse(nested(100))
    assert message.subject == "deep"
    assert message.parse_note is not None and "nested deeper than 40 levels" in message.parse_note


def test_nesting_beyond_the_stdlib_parser_still_gives_a_message(parse):
    """The email package recurses per level and gives up near 1000; the message is kept as text."""
    message = parse(nested(1200))
    assert message.subject == "deep"
    assert message.parse_note is not None and "RecursionError" in message.parse_note
    assert "bottom" in message.body_text


HOSTILE_HEADERS = {
    "unclosed quotes in To": b"To: " + b'"<a@example.com>,' * 40000,
    "a 500 kB word in To": b"To: " + b"a" * 500_000,
    "unclosed filename quotes": b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
    + b'filename="x;' * 20000,
    "20,000 parameters": b"Content-Type: text/plain; " + b"a=b; " * 20000,
    "nested comments in From": b"From: " + b"(" * 100_000,
}


@pytest.mark.timeout(60)  # each took from 40 s to hours when the stdlib parser or a regex was quadratic
@pytest.mark.parametrize("name", sorted(HOSTILE_HEADERS))
def test_hostile_headers_are_read_in_linear_time(parse, name):
    message = parse(HOSTILE_HEADERS[name] + b"\r\n\r\nbody")
    assert message.body_text == "body" or message.attachments
    assert not (message.parse_note or "").startswith("This message could not be fully read")

"""Headers: RFC 2047 and raw 8-bit text, garbage addresses, dates, message ids."""

from __future__ import annotations

import datetime as dt

import pytest

from host.mime.headers import addresses, date, decoded, header_text, message_ids
from host.model import Address


def test_rfc2047_and_raw_8bit_headers(corpus, parse):
    message = parse(corpus["bad_headers"])
    # raw UTF-8, a UTF-8 character split across two encoded words, a charset Python does not know
    assert message.subject == "café Grüße中文"
    assert message.sender == Address(email="joerg@example.de", name="Jörg Müller")
    assert message.to == ()  # "undisclosed-recipients:;" is an empty group
    assert Address(email="x@y.z") in message.cc and Address(email="", name="bar") in message.cc
    assert message.message_id_header == "<bare-id@example.com>"
    assert message.in_reply_to == "<parent@example.com>"
    assert message.references == ("<root@example.com>", "<parent@example.com>")
    assert ("X-Nul", "ab") in message.headers
    assert [value for name, value in message.headers if name == "Subject"][1] == "second subject is ignored"
    assert "\x00" not in message.body_text


def test_iso_2022_jp(corpus, parse):
    message = parse(corpus["iso2022jp"])
    assert message.subject == "会議の件"
    assert message.body_text == "明日の会議は十時からです。\n"
    assert message.parse_note is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?utf-8?B?SGVsbG8gV8O2cmxk?=", "Hello Wörld"),
        ("=?ISO-8859-1?Q?Caf=E9?= au lait", "Café au lait"),
        ("=?iso-8859-1?q?Caf=E9?=\r\n =?iso-8859-1?q?_cr=E8me?=", "Café crème"),
        ("=?utf-8?b?w6k=?==?utf-8?b?w6k=?=", "éé"),  # adjacent words without space
        ("=?windows-1252?q?=93quoted=94?=", "\u201cquoted\u201d"),
        ("=?gb2312?B?1tDOxA==?=", "中文"),
        ("=?utf-8*en?q?tagged?=", "tagged"),  # RFC 2231 language tag
        ("plain \udcc3\udca9 8-bit", "plain é 8-bit"),
    ],
)
def test_header_decoding(raw, expected):
    assert decoded(raw, []) == expected


def test_broken_encoded_word_is_read_as_far_as_possible():
    assert decoded("=?utf-8?B?broken!!?= rest", []).endswith(" rest")


def test_unknown_charset_in_header_is_noted():
    notes: list[str] = []
    assert decoded("=?x-klingon?q?caf=C3=A9?=", notes) == "café"
    assert notes and "x-klingon" in notes[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            '"Müller, Ana" <ana@example.de>, bob@example.com',
            [("ana@example.de", "Müller, Ana"), ("bob@example.com", "")],
        ),
        ("=?utf-8?q?M=C3=BCller=2C_Ana?= <ana@example.de>", [("ana@example.de", "Müller, Ana")]),
        ("undisclosed-recipients:;", []),
        ("Team: a@example.com, b@example.com;", [("a@example.com", ""), ("b@example.com", "")]),
        ('"unterminated <a@example.com', [("a@example.com", "")]),
        ("a@b@c, @@, <<<>>>", [("a@b", "")]),
        ("", []),
        ("just a name", [("", "just a name")]),
        ("<bar>, foo@", [("", "bar")]),
        ("<x@example.com> (Comment Name)", [("x@example.com", "")]),
    ],
)
def test_addresses_never_raise_and_keep_what_is_legible(raw, expected):
    assert [(a.email, a.name) for a in addresses(header_text(raw, []))] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tue, 05 Mar 2024 09:30:00 +0100", dt.datetime(2024, 3, 5, 8, 30, tzinfo=dt.UTC)),
        ("5 Mar 2024 09:30 -0000", dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)),
        ("Tue, 5 Mar 24 09:30:00 GMT", dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)),
        ("garbage", None),
        ("Thu, 32 Foo 2024 99:00:00 +9999", None),
        ("1 Jan 99999 10:00 +0000", None),
        ("", None),
    ],
)
def test_dates(raw, expected):
    value = date(raw)
    assert value == expected
    assert value is None or value.tzinfo is not None


def test_missing_and_invalid_dates_fall_back_with_a_note(corpus, parse, fallback_date, make_raw):
    received = parse(corpus["no_date"])
    assert received.date == dt.datetime(2024, 3, 6, 8, 0, tzinfo=dt.UTC)
    assert "no Date header" in (received.parse_note or "")
    given = parse(corpus["no_date"], date_fallback=fallback_date)
    assert given.date == fallback_date
    naive = parse(corpus["no_date"], date_fallback=fallback_date.replace(tzinfo=None))
    assert naive.date == fallback_date  # a naive fallback is taken as UTC
    invalid = parse(make_raw("Date: someday", "Subject: x", "", "body"), date_fallback=fallback_date)
    assert invalid.date == fallback_date
    assert "invalid Date header ('someday')" in (invalid.parse_note or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<a@b>", ("<a@b>",)),
        (" <a@b>\r\n <c@d> <e@f>", ("<a@b>", "<c@d>", "<e@f>")),
        ("bare@x", ("<bare@x>",)),
        ("two words", ()),
        ("", ()),
    ],
)
def test_message_ids(raw, expected):
    assert message_ids(raw) == expected

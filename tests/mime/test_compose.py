"""Building outgoing messages: structure, encodings, threading headers, Gmail's raw form."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from host.errors import ZoomclientError
from host.mime import attachment_bytes, build_message, parse_message, to_base64url
from host.model import Address, OutgoingAttachment, OutgoingMessage

ME = Address("me@example.com", "Zoë Example")
WHEN = dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)


def roundtrip(outgoing: OutgoingMessage, **options):
    built = build_message(outgoing, sender=ME, date=WHEN, **options)
    raw = built.as_bytes()
    return built, raw, parse_message(raw, id="x", thread_id="t")


def test_plain_html_inline_image_and_attachment(payloads):
    outgoing = OutgoingMessage(
        to=(Address("ana@example.com", "Ana Müller"), Address("bob@example.com")),
        cc=(Address("carl@example.org", "Carl, the Boss"),),
        bcc=(Address("dora@example.net"),),
        subject="Grüße — Bericht für März",
        body_text="Hallo Ana,\n\nanbei der Bericht.\n",
        body_html='<p>Hallo Ana,</p><p>anbei der Bericht.</p><img src="cid:chart">',
        attachments=(
            OutgoingAttachment("chart.png", "image/png", payloads["png"], content_id="chart"),
            OutgoingAttachment("Bericht März 2024.pdf", "application/pdf", payloads["pdf"]),
        ),
    )
    built, raw, message = roundtrip(outgoing, message_id="<fixed@example.com>")
    assert built.get_content_type() == "multipart/mixed"
    alternative = built.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in alternative.get_payload()] == ["text/plain", "multipart/related"]
    assert raw.isascii()  # every non-ASCII name and subject is encoded
    assert message.parse_note is None
    assert message.subject == "Grüße — Bericht für März"
    assert message.sender == ME
    assert message.to == outgoing.to and message.cc == outgoing.cc and message.bcc == outgoing.bcc
    assert message.date == WHEN
    assert message.message_id_header == "<fixed@example.com>"
    assert message.body_text == "Hallo Ana,\n\nanbei der Bericht.\n"
    assert message.body_html is not None and message.body_html.startswith("<p>Hallo Ana,</p>")
    chart, report = message.attachments
    assert (chart.content_id, chart.inline, chart.filename) == ("chart", True, "chart.png")
    assert (report.filename, report.inline, report.size) == ("Bericht März 2024.pdf", False, len(payloads["pdf"]))
    assert attachment_bytes(raw, chart.id) == payloads["png"]
    assert attachment_bytes(raw, report.id) == payloads["pdf"]


def test_html_only_draft_gets_a_plain_part():
    _, _, message = roundtrip(
        OutgoingMessage(to=(Address("a@example.com"),), subject="x", body_html="<p>Hi <b>there</b></p>")
    )
    assert message.body_text.strip() == "Hi there"
    assert message.body_html is not None and "<b>there</b>" in message.body_html


def test_threading_headers():
    outgoing = OutgoingMessage(
        to=(Address("a@example.com"),),
        subject="Re: x",
        in_reply_to="<parent@example.com>",
        references=("<root@example.com>", "parent@example.com"),
    )
    built, _, message = roundtrip(outgoing)
    assert built["In-Reply-To"] == "<parent@example.com>"
    assert message.in_reply_to == "<parent@example.com>"
    assert message.references == ("<root@example.com>", "<parent@example.com>")
    assert message.message_id_header is not None and message.message_id_header.endswith("@example.com>")


def test_many_recipients_with_long_non_ascii_names_stay_apart():
    """CPython's folder can encode the separating comma into a word; our folding must not."""
    to = tuple(Address(f"user{n}@example.com", "Ünïcödé Nàmé " * (n % 4 + 1)) for n in range(12))
    _, raw, message = roundtrip(OutgoingMessage(to=to, subject="s"))
    assert [a.email for a in message.to] == [a.email for a in to]
    assert [a.name for a in message.to] == [" ".join(a.name.split()) for a in to]
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_message_attachment_is_sent_as_a_message():
    inner = b"From: x@example.com\r\nSubject: inner\r\n\r\nhello\r\n"
    outgoing = OutgoingMessage(
        to=(Address("a@example.com"),),
        subject="fwd",
        attachments=(OutgoingAttachment("inner.eml", "message/rfc822", inner),),
    )
    _, raw, message = roundtrip(outgoing)
    (attached,) = message.attachments
    assert attached.content_type == "message/rfc822"
    assert parse_message(attachment_bytes(raw, attached.id), id="i", thread_id="t").subject == "inner"


def test_odd_content_type_falls_back_to_octet_stream():
    outgoing = OutgoingMessage(
        to=(Address("a@example.com"),), subject="s", attachments=(OutgoingAttachment("x", "not a type", b"\x00"),)
    )
    _, _, message = roundtrip(outgoing)
    assert message.attachments[0].content_type == "application/octet-stream"


def test_header_injection_is_impossible():
    outgoing = OutgoingMessage(
        to=(Address("a@example.com", "Eve\r\nBcc: victim@example.com"),), subject="hi\r\nBcc: victim@example.com"
    )
    _, _, message = roundtrip(outgoing)
    assert message.bcc == ()
    assert message.subject == "hi Bcc: victim@example.com"


@pytest.mark.parametrize("bad", ["not an address", "a b@example.com", "<>", "a@b@c"])
def test_invalid_recipient_is_a_clear_error(bad):
    with pytest.raises(ZoomclientError, match="not a valid email address") as caught:
        build_message(OutgoingMessage(to=(Address(bad),), subject="s"), sender=ME)
    assert caught.value.hint


def test_base64url_for_gmail():
    built = build_message(OutgoingMessage(to=(Address("a@example.com"),), subject="Grüße", body_text="ä"), sender=ME)
    encoded = to_base64url(built)
    assert "+" not in encoded and "/" not in encoded
    raw = base64.urlsafe_b64decode(encoded)
    assert b"\r\n" in raw
    assert parse_message(raw, id="x", thread_id="t").subject == "Grüße"

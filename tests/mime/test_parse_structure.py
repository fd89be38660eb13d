"""Bodies and attachments from the part tree: nested multiparts, cid images, TNEF, attached messages."""

from __future__ import annotations

import base64
import os

import pytest

from host.errors import ZoomclientError
from host.mime import attachment_bytes, parse_message


def test_simple_message(corpus, parse):
    message = parse(corpus["simple"], folder_ids=("INBOX",), unread=True, flagged=True)
    assert (message.id, message.thread_id, message.folder_ids) == ("m1", "t1", ("INBOX",))
    assert message.unread and message.flagged
    assert message.subject == "Lunch"
    assert message.body_text == "See you at noon.\n"
    assert message.body_html is None
    assert message.snippet == "See you at noon."
    assert message.raw == corpus["simple"]
    assert message.size == len(corpus["simple"])
    assert message.parse_note is None


def test_four_deep_nesting_picks_best_alternatives(corpus, parse, payloads):
    """mixed > related > alternative > mixed: plain and both HTML parts, the cid image, the PDF."""
    message = parse(corpus["nested"])
    assert message.subject == "Quartalsbericht für März"
    assert message.body_text == "Grüße, here is the report."
    assert message.body_html is not None
    assert "<b>report</b>" in message.body_html and "Second part." in message.body_html
    assert message.body_html.index("report") < message.body_html.index("Second part.")
    image, pdf = message.attachments
    assert (image.id, image.content_type, image.content_id, image.inline) == (
        "1.2",
        "image/png",
        "chart@example.com",
        True,
    )
    assert image.size == len(payloads["png"])
    assert (pdf.id, pdf.filename, pdf.content_type, pdf.inline) == ("2", "€ Bericht März.pdf", "application/pdf", False)
    assert pdf.size == len(payloads["pdf"])
    assert message.has_attachments
    assert attachment_bytes(corpus["nested"], "1.2") == payloads["png"]
    assert attachment_bytes(corpus["nested"], "2") == payloads["pdf"]
    assert message.parse_note is None


def test_winmail_dat_is_an_ordinary_attachment(corpus, parse, payloads):
    message = parse(corpus["winmail"])
    assert message.body_text == "Plain part."
    (tnef,) = message.attachments
    assert (tnef.filename, tnef.content_type, tnef.inline) == ("winmail.dat", "application/ms-tnef", False)
    assert tnef.size == len(payloads["tnef"])
    assert attachment_bytes(corpus["winmail"], tnef.id) == payloads["tnef"]


def test_attached_message_is_one_attachment(corpus, parse):
    message = parse(corpus["rfc822"])
    assert message.body_text == "Forwarding as attachment."
    (attached,) = message.attachments  # the inner message's own attachment does not leak out
    assert attached.content_type == "message/rfc822"
    assert attached.filename == "Ursprüngliche Nachricht.eml"
    inner = parse_message(attachment_bytes(corpus["rfc822"], attached.id), id="inner", thread_id="t")
    assert inner.subject == "Ursprüngliche Nachricht"
    assert inner.body_text.strip() == "inner body\nFrom here on the line starts with From."
    assert [a.filename for a in inner.attachments] == ["inner.bin"]
    assert attached.size == len(attachment_bytes(corpus["rfc822"], attached.id))
    assert b"\r\nFrom here on" in attachment_bytes(corpus["rfc822"], attached.id)  # CRLF, no mbox quoting


def test_inline_image_in_mixed_is_an_attachment_and_texts_join(corpus, parse, payloads):
    """Apple Mail puts text, image, text in multipart/mixed: both texts are the body, the image is listed."""
    message = parse(corpus["apple_mixed"])
    assert message.body_text == "Before the picture.\n\nAfter the picture."
    (photo,) = message.attachments
    assert (photo.filename, photo.inline) == ("photo.png", False)  # no cid reference shows it in the body
    assert attachment_bytes(corpus["apple_mixed"], photo.id) == payloads["png"]


def test_html_only_gives_text_for_search(corpus, parse):
    message = parse(corpus["html_only"])
    assert message.body_html is not None and "<h1>Hello</h1>" in message.body_html  # sanitised at display
    assert message.body_text == "Hello\n\nFirst line\nsecond line"
    assert "track" not in message.body_text and "News" not in message.body_text
    assert message.snippet == "Hello First line second line"


def test_calendar_alternative_is_listed(corpus, parse):
    message = parse(corpus["calendar"])
    assert message.body_text == "You are invited."
    assert message.body_html == "<p>You are <i>invited</i>.</p>"
    (invite,) = message.attachments
    assert (invite.filename, invite.content_type) == ("invite.ics", "text/calendar")
    assert b"METHOD:REQUEST" in attachment_bytes(corpus["calendar"], invite.id)


def test_signed_message_keeps_the_signature_as_attachment(corpus, parse):
    message = parse(corpus["signed"])
    assert message.body_text == "Signed text."
    assert [a.filename for a in message.attachments] == ["signature.asc"]


def test_format_flowed_is_joined(corpus, parse):
    message = parse(corpus["flowed"])
    assert message.body_text.split("\n")[:4] == [
        "This paragraph was soft broken by the sender.",
        "",
        "> quoted and flowed",
        "-- ",
    ]


def test_single_part_attachment_message(corpus, parse, payloads):
    message = parse(corpus["pdf_only"])
    assert message.body_text == "" and message.body_html is None
    (scan,) = message.attachments
    assert (scan.id, scan.filename) == ("1", "scan.pdf")
    assert attachment_bytes(corpus["pdf_only"], "1") == payloads["pdf"]


def test_filenames_are_safe_to_save(corpus, parse):
    message = parse(corpus["hostile_names"])
    assert [a.filename for a in message.attachments] == ["passwd", "evil_.exe", "Résumé.doc", "attachment-5.bin"]


def test_related_start_parameter_names_the_root(parse, make_raw):
    raw = make_raw(
        "Subject: start",
        'Content-Type: multipart/related; boundary="R"; start="<root@x>"',
        "",
        "--R",
        "Content-Type: image/gif",
        "Content-ID: <pic@x>",
        "Content-Transfer-Encoding: base64",
        "",
        "R0lGODlhAQABAAAAACw=",
        "--R",
        "Content-Type: text/html",
        "Content-ID: <root@x>",
        "",
        '<img src="CID:pic%40x">',
        "--R--",
    )
    message = parse(raw)
    assert message.body_html == '<img src="CID:pic%40x">'
    (picture,) = message.attachments
    assert (picture.id, picture.content_id, picture.inline) == ("1", "pic@x", True)


def test_ten_megabyte_attachment(parse, make_raw):
    data = os.urandom(10 * 1024 * 1024)
    raw = make_raw(
        "Subject: big",
        'Content-Type: multipart/mixed; boundary="B"',
        "",
        "--B",
        "Content-Type: text/plain",
        "",
        "see attachment",
        "--B",
        'Content-Type: application/octet-stream; name="big.bin"',
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(data).decode("ascii").replace("\n", "\r\n"),
        "--B--",
    )
    message = parse(raw)
    assert message.body_text == "see attachment"
    (big,) = message.attachments
    assert big.size == len(data)
    assert attachment_bytes(raw, big.id) == data


@pytest.mark.parametrize("part_id", ["3", "0", "1.1", "x", "", "2.1.1"])
def test_unknown_part_is_a_clear_error(corpus, part_id):
    with pytest.raises(ZoomclientError, match="has no part") as caught:
        attachment_bytes(corpus["winmail"], part_id)
    assert caught.value.hint

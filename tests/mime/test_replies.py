"""Reply, reply-all and forward: subjects, recipients, quoting, the References chain."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from host.errors import ZoomclientError
from host.mime import build_message, forward, parse_message, reply_to
from host.mime.replies import forward_subject, reply_subject
from host.model import Address, Message

ANA = Address("ana@example.com", "Ana Müller")
BOB = Address("bob@example.com", "Bob")
CARL = Address("carl@example.org", "Carl")
ME = "me@example.com"
WHEN = dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)


def original(**changes) -> Message:
    fields = {
        "id": "m1",
        "thread_id": "t1",
        "subject": "Planning",
        "sender": ANA,
        "to": (Address(ME, "Me"), BOB),
        "cc": (CARL, Address("ME@EXAMPLE.COM")),
        "date": WHEN,
        "body_text": "Line one\n> earlier quote\n\nLine three\n",
        "body_html": '<p onclick="x()">Line <b>one</b></p><script>evil()</script>',
        "message_id_header": "<m1@example.com>",
        "references": ("<root@example.com>", "<p@example.com>"),
        "in_reply_to": "<p@example.com>",
    }
    fields.update(changes)
    return Message(**fields)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Planning", "Re: Planning"),
        ("Re: Planning", "Re: Planning"),
        ("RE: re: Re[2]: Planning", "Re: Planning"),
        ("AW: SV: Antw: Planning", "Re: Planning"),
        ("Re : Planning", "Re: Planning"),
        ("Fwd: Planning", "Re: Fwd: Planning"),
        ("Regarding the plan", "Re: Regarding the plan"),
        ("", "Re:"),
    ],
)
def test_reply_subject(subject, expected):
    assert reply_subject(subject) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Planning", "Fwd: Planning"),
        ("Fwd: FW: Planning", "Fwd: Planning"),
        ("WG: Planning", "Fwd: Planning"),
        ("Re: Planning", "Fwd: Re: Planning"),
        ("Fwdx: Planning", "Fwd: Fwdx: Planning"),
    ],
)
def test_forward_subject(subject, expected):
    assert forward_subject(subject) == expected


def test_reply_goes_to_the_sender_or_reply_to():
    assert reply_to(original(), reply_all=False, me=ME).to == (ANA,)
    list_address = Address("list@example.com", "The List")
    reply = reply_to(original(reply_to=(list_address,)), reply_all=False, me=ME)
    assert (reply.to, reply.cc) == ((list_address,), ())


def test_reply_all_minus_me_without_duplicates():
    message = original(
        to=(Address(ME, "Me"), BOB, Address("BOB@example.com", "Bob again")), cc=(CARL, ANA, Address("Me@Example.com"))
    )
    reply = reply_to(message, reply_all=True, me=ME)
    assert reply.to == (ANA, BOB)
    assert reply.cc == (CARL,)


def test_reply_to_my_own_message_goes_to_its_recipients():
    message = original(sender=Address(ME, "Me"), to=(BOB,), cc=(CARL,))
    assert reply_to(message, reply_all=False, me=ME).to == (BOB,)
    reply_all = reply_to(message, reply_all=True, me=ME)
    assert (reply_all.to, reply_all.cc) == ((BOB,), (CARL,))


def test_reply_to_a_note_to_self_still_has_a_recipient():
    message = original(sender=Address(ME), to=(Address(ME),), cc=())
    assert reply_to(message, reply_all=True, me=ME).to == (Address(ME),)


def test_reply_threading():
    reply = reply_to(original(), reply_all=False, me=ME)
    assert reply.in_reply_to == "<m1@example.com>"
    assert reply.references == ("<root@example.com>", "<p@example.com>", "<m1@example.com>")
    assert reply.thread_id == "t1"
    first = reply_to(original(references=(), in_reply_to="<p@example.com>"), reply_all=False, me=ME)
    assert first.references == ("<p@example.com>", "<m1@example.com>")
    long = reply_to(original(references=tuple(f"<r{n}@x>" for n in range(40))), reply_all=False, me=ME)
    assert len(long.references) == 20
    assert long.references[0] == "<r0@x>" and long.references[-1] == "<m1@example.com>"


def test_reply_quotes_text_and_html():
    reply = reply_to(original(), reply_all=False, me=ME)
    local = WHEN.astimezone()
    said = f"On {local:%a}, {local.day} {local:%b} {local.year} at {local:%H:%M}, Ana Müller <ana@example.com> wrote:"
    assert reply.body_text == f"\n\n{said}\n> Line one\n>> earlier quote\n>\n> Line three\n"
    assert reply.body_html is not None
    assert '<blockquote type="cite"' in reply.body_html and "Line <b>one</b>" in reply.body_html
    assert "script" not in reply.body_html and "onclick" not in reply.body_html
    assert reply.attachments == ()
    plain = reply_to(original(body_html=None), reply_all=False, me=ME)
    assert plain.body_html is None


def test_reply_carries_inline_images_from_raw(corpus):
    message = parse_message(corpus["nested"], id="m", thread_id="t")
    reply = reply_to(message, reply_all=False, me=ME)
    (image,) = reply.attachments
    assert (image.content_id, image.content_type) == ("chart@example.com", "image/png")
    built = parse_message(build_message(reply, sender=Address(ME)).as_bytes(), id="r", thread_id="t")
    assert built.subject == "Re: Quartalsbericht für März"
    assert [(a.content_id, a.inline) for a in built.attachments] == [("chart@example.com", True)]


def test_forward_with_attachments(corpus, payloads):
    message = parse_message(corpus["nested"], id="m", thread_id="t")
    forwarded = forward(message)
    assert forwarded.subject == "Fwd: Quartalsbericht für März"
    assert forwarded.to == () and forwarded.in_reply_to is None and forwarded.thread_id is None
    assert "---------- Forwarded message ---------\nFrom: Ana <ana@example.com>\n" in forwarded.body_text
    assert (
        "Subject: Quartalsbericht für März\nTo: Bob <bob@example.com>\n\nGrüße, here is the report."
        in forwarded.body_text
    )
    assert forwarded.body_html is not None and "Forwarded message" in forwarded.body_html
    assert [(a.filename, a.data) for a in forwarded.attachments] == [
        ("attachment-1.2.png", payloads["png"]),
        ("€ Bericht März.pdf", payloads["pdf"]),
    ]
    assert forwarded.attachments[0].content_id == "chart@example.com"
    assert forwarded.attachments[1].content_id is None


def test_forward_without_downloaded_attachments_says_so(corpus):
    message = parse_message(corpus["winmail"], id="m", thread_id="t")
    stripped = attrs.evolve(message, raw=None)  # as a provider that keeps attachments apart delivers it
    with pytest.raises(ZoomclientError, match="not been downloaded"):
        forward(stripped)
    assert forward(stripped, attachments=()).attachments == ()


def test_reply_goes_out_without_inline_images_it_cannot_find(corpus):
    message = parse_message(corpus["nested"], id="m", thread_id="t")
    wrong_ids = attrs.evolve(message, attachments=tuple(attrs.evolve(a, id="9.9") for a in message.attachments))
    assert reply_to(wrong_ids, reply_all=False, me=ME).attachments == ()
    with pytest.raises(ZoomclientError, match="no part"):
        forward(wrong_ids)

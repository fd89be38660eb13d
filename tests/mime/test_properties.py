"""Properties: the parser survives anything, and what we compose reads back as we wrote it."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from host.mime import attachment_bytes, build_message, parse_message
from host.model import Address, Message, OutgoingAttachment, OutgoingMessage

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_storable(message: Message) -> None:
    """Every text the store and the UI receive is valid Unicode without NUL (SQLite and Qt need both)."""
    texts = [message.subject, message.body_text, message.snippet, message.body_html or "", message.parse_note or ""]
    texts += [value for pair in message.headers for value in pair]
    texts += [a.email for a in (*message.to, *message.cc, *message.bcc, *message.reply_to)]
    texts += [a.name for a in (*message.to, *message.cc, *message.bcc, *message.reply_to)]
    texts += [message.sender.email, message.sender.name] if message.sender else []
    texts += [a.filename for a in message.attachments] + [a.content_id or "" for a in message.attachments]
    for text in texts:
        text.encode("utf-8")  # raises on lone surrogates
    assert "\x00" not in message.body_text + message.subject + message.snippet
    assert message.date.tzinfo is not None
    assert len(message.snippet) <= 200
    # the fallback for an exception inside the parser is a last resort, not a way of reading mail
    assert not (message.parse_note or "").startswith("This message could not be fully read")


@FAST
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(raw):
    message = parse_message(raw, id="x", thread_id="t")
    assert message.raw == raw
    assert_storable(message)
    for attachment in message.attachments:
        attachment_bytes(raw, attachment.id)


@st.composite
def mutated(draw, corpus):
    raw = bytearray(corpus[draw(st.sampled_from(sorted(corpus)))])
    for _ in range(draw(st.integers(1, 6))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "flip", "duplicate", "truncate", "header"]))
        if kind == "delete":
            del raw[at : at + draw(st.integers(1, 200))]
        elif kind == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif kind == "duplicate":
            raw[at:at] = raw[at : at + draw(st.integers(1, 400))]
        elif kind == "truncate":
            del raw[at:]
        else:
            raw[at:at] = draw(
                st.sampled_from(
                    [
                        b"\r\n--L1\r\n",
                        b'\r\nContent-Type: multipart/mixed; boundary="L2"\r\n\r\n',
                        b"=?utf-8?b?",
                        b"\r\nContent-Transfer-Encoding: base64\r\n",
                        b"; charset=x-unknown",
                        b"\r\nContent-Type: message/rfc822\r\n\r\n",
                        b"\r\n\r\n",
                        b"\x00\xff\xfe",
                    ]
                )
            )
    return bytes(raw)


def test_mutated_messages_never_raise(corpus):
    @FAST
    @given(mutated(corpus))
    def check(raw):
        message = parse_message(raw, id="x", thread_id="t")
        assert_storable(message)
        for attachment in message.attachments:
            attachment_bytes(raw, attachment.id)

    check()


# Text a user can type: anything but control characters and lone surrogates; bodies also hold newlines.
typed = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)
body = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=400)
local = st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,15}", fullmatch=True).filter(lambda s: ".." not in s and s[-1] != ".")
mailbox = st.builds(
    Address,
    email=st.builds("{}@{}.example".format, local, st.sampled_from(["mail", "b", "xn--bcher-kva"])),
    name=typed,
)
attachment = st.builds(
    OutgoingAttachment,
    # A name of blanks only (a no-break space, say) is no name: the reader gives the part one of its own.
    filename=typed.map(lambda name: name.strip(" .").replace("/", "_").replace("\\", "_")).filter(str.strip),
    content_type=st.sampled_from(["application/pdf", "image/png", "text/plain", "application/octet-stream"]),
    data=st.binary(max_size=300),
)


@FAST
@given(
    subject=typed,
    to=st.lists(mailbox, min_size=1, max_size=3),
    cc=st.lists(mailbox, max_size=2),
    text=body,
    html=st.none() | body.map(lambda text: f"<p>{text}</p>"),
    attachments=st.lists(attachment, max_size=3),
)
def test_compose_then_parse_round_trip(subject, to, cc, text, html, attachments):
    outgoing = OutgoingMessage(
        to=tuple(to), cc=tuple(cc), subject=subject, body_text=text, body_html=html, attachments=tuple(attachments)
    )
    sent = build_message(
        outgoing, sender=Address("me@mail.example", "Me Ünïcode"), date=dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.UTC)
    )
    raw = sent.as_bytes()
    message = parse_message(raw, id="x", thread_id="t")
    assert message.parse_note is None
    assert message.subject == " ".join(subject.split())
    assert message.sender == Address("me@mail.example", "Me Ünïcode")
    assert [(a.email, a.name) for a in message.to] == [(a.email, " ".join(a.name.split())) for a in to]
    assert [(a.email, a.name) for a in message.cc] == [(a.email, " ".join(a.name.split())) for a in cc]
    expected_text = text if text or html is None else message.body_text  # an HTML-only draft gets derived text
    assert message.body_text.rstrip("\n") == expected_text.rstrip("\n")
    assert (message.body_html or "").rstrip("\n") == (html or "").rstrip("\n")
    assert [(a.filename, a.content_type) for a in message.attachments] == [
        (a.filename, a.content_type) for a in attachments
    ]
    for sent_attachment, parsed in zip(attachments, message.attachments, strict=True):
        data = attachment_bytes(raw, parsed.id)
        if sent_attachment.content_type == "text/plain":
            data = data.replace(b"\r\n", b"\n")  # text travels with canonical line ends
            assert data.rstrip(b"\n") == sent_attachment.data.replace(b"\r\n", b"\n").rstrip(b"\n")
        else:
            assert data == sent_attachment.data
            assert parsed.size == len(sent_attachment.data)
    assert_storable(message)

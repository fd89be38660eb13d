"""The data generator: deterministic, lazy, and holding every case it promises."""

from __future__ import annotations

import datetime as dt
import email
from collections import Counter
from email import policy

import pytest

from host.mime import parse_message
from host.model.calendar import CalendarKind, ResponseStatus
from host.sandbox.datagen import MALFORMED_AT, MALFORMED_EVERY, Mailbox, generate_calendars

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def mailbox() -> Mailbox:
    return Mailbox(400, seed=5, now=NOW)


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def test_same_seed_same_bytes_and_other_seed_other_bytes() -> None:
    one, two, other = Mailbox(50, seed=3, now=NOW), Mailbox(50, seed=3, now=NOW), Mailbox(50, seed=4, now=NOW)
    assert [one.raw(i) for i in range(50)] == [two.raw(i) for i in range(50)]
    assert [one.meta(i) for i in range(50)] == [two.meta(i) for i in range(50)]
    assert [one.raw(i) for i in range(50)] != [other.raw(i) for i in range(50)]


def test_a_huge_mailbox_is_lazy_and_indexable() -> None:
    huge = Mailbox(1_000_000, seed=1, now=NOW)
    newest = huge.message(999_999)
    assert len(huge) == 1_000_000
    assert huge.index_of(newest.meta.id) == 999_999
    assert huge.index_of("not-an-id") is None
    assert parsed(newest.raw)["Message-ID"] == newest.meta.message_id
    with pytest.raises(IndexError):
        huge.meta(1_000_000)


def test_dates_increase_with_the_index_over_the_last_years(mailbox: Mailbox) -> None:
    dates = [mailbox.meta(i).date for i in range(len(mailbox))]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert NOW - dt.timedelta(hours=1) < dates[-1] < NOW
    assert dates[0] < NOW - dt.timedelta(days=2 * 365)
    assert parsed(mailbox.raw(len(mailbox) - 1))["Date"].datetime == dates[-1]


def test_every_promised_feature_occurs(mailbox: Mailbox) -> None:
    counts = Counter(feature for i in range(len(mailbox)) for feature in mailbox.meta(i).features)
    for feature in ("html", "cid", "attachment", "non-ascii", "rfc2047-latin1", "reply", "malformed"):
        assert counts[feature] > 0, feature
    labels = Counter(label for i in range(len(mailbox)) for label in mailbox.meta(i).labels)
    assert {"INBOX", "SENT", "STARRED", "IMPORTANT", "TRASH"} <= set(labels)
    assert any(mailbox.meta(i).unread for i in range(len(mailbox)))


def test_non_ascii_headers_are_rfc2047_encoded_and_decode_back(mailbox: Mailbox) -> None:
    checked = 0
    for i in range(len(mailbox)):
        meta = mailbox.meta(i)
        if "non-ascii" not in meta.features or "malformed" in meta.features:
            continue
        raw = mailbox.raw(i)
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii(), "headers must be 7-bit: non-ASCII goes into encoded words"
        message = parsed(raw)
        assert message["Subject"] == meta.subject
        assert message["From"].addresses[0].display_name == meta.sender.name
        checked += 1
    assert checked > 20


def test_latin1_encoded_words(mailbox: Mailbox) -> None:
    index = next(i for i in range(len(mailbox)) if "rfc2047-latin1" in mailbox.meta(i).features)
    raw = mailbox.raw(index)
    assert b"=?iso-8859-1?" in raw
    assert parsed(raw)["Subject"] == mailbox.meta(index).subject
    assert "Grüße" in mailbox.meta(index).subject


def test_html_alternatives_and_inline_cid_images(mailbox: Mailbox) -> None:
    index = next(i for i in range(len(mailbox)) if "cid" in mailbox.meta(i).features)
    message = parsed(mailbox.raw(index))
    html = message.get_body(preferencelist=("html",)).get_content()
    plain = message.get_body(preferencelist=("plain",)).get_content()
    content_ids = [p["Content-ID"].strip("<>") for p in message.walk() if p["Content-ID"]]
    assert content_ids and f"cid:{content_ids[0]}" in html
    image = next(p for p in message.walk() if p["Content-ID"])
    assert image.get_content_type() == "image/png" and image.get_content().startswith(b"\x89PNG")
    assert plain.strip() and "<p>" not in plain


def test_attachments_of_several_types_decode(mailbox: Mailbox) -> None:
    types: set[str] = set()
    for i in range(len(mailbox)):
        if "attachment" in mailbox.meta(i).features:
            for part in parsed(mailbox.raw(i)).iter_attachments():
                assert part.get_filename()
                assert part.get_payload(decode=True)
                types.add(part.get_content_type())
    assert len(types) >= 4


def test_threads_have_replies_that_point_at_earlier_messages(mailbox: Mailbox) -> None:
    by_message_id = {mailbox.meta(i).message_id: mailbox.meta(i) for i in range(len(mailbox))}
    replies = [mailbox.meta(i) for i in range(len(mailbox)) if "reply" in mailbox.meta(i).features]
    assert replies
    for reply in replies:
        parent = by_message_id[reply.in_reply_to]
        assert parent.thread_id == reply.thread_id and parent.index < reply.index
        assert reply.subject.startswith("Re: ")
        if "malformed" not in reply.features:
            assert parsed(mailbox.raw(reply.index))["In-Reply-To"] == reply.in_reply_to


def test_malformed_messages_are_there_and_parse_without_crashing(mailbox: Mailbox) -> None:
    broken = [i for i in range(len(mailbox)) if "malformed" in mailbox.meta(i).features]
    assert broken == [i for i in range(len(mailbox)) if i % MALFORMED_EVERY == MALFORMED_AT]
    notes = []
    for index in broken:
        message = parse_message(mailbox.raw(index), id="x", thread_id="x", date_fallback=mailbox.meta(index).date)
        notes.append(message.parse_note)
    assert len(set(mailbox.raw(i) for i in broken)) == len(broken)
    assert any(notes)


def test_calendars_cover_kinds_recurrence_zones_attendees_and_reminders() -> None:
    calendars = generate_calendars(300, seed=2, now=NOW)
    assert calendars == generate_calendars(300, seed=2, now=NOW)
    assert {c.kind for c in calendars.calendars} == set(CalendarKind)
    assert sum(c.primary for c in calendars.calendars) == 1
    events = calendars.events
    calendar_ids = {c.id for c in calendars.calendars}
    assert {e.calendar_id for e in events} == calendar_ids
    masters = [e for e in events if e.recurrence]
    assert masters and any(any(line.startswith("EXDATE") for line in e.recurrence) for e in masters)
    exceptions = [e for e in events if e.series_id]
    assert exceptions and all(e.original_start is not None for e in exceptions)
    assert {e.series_id for e in exceptions} <= {e.id for e in masters}
    assert any(e.all_day for e in events)
    assert len({e.time_zone for e in events}) >= 4
    responses = {a.response for e in events for a in e.attendees}
    assert responses == set(ResponseStatus)
    assert any(a.is_self for e in events for a in e.attendees)
    assert any(e.reminders for e in events)
    assert all(e.start.tzinfo is not None and e.end >= e.start for e in events)
    assert all(abs(e.start - NOW) <= dt.timedelta(days=182) for e in events if not e.series_id)
    assert calendars.delegations and calendars.delegations[0].calendar_id == "delegated-lena"

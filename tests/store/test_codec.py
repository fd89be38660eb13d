"""The JSON codec of queued messages and the store's millisecond times."""

from __future__ import annotations

import datetime as dt
import json

import attrs
from hypothesis import given
from hypothesis import strategies as st

from host.model.mail import Address, OutgoingAttachment, OutgoingMessage
from host.store.codec import from_ms, outgoing_from_json, outgoing_to_json, to_ms

_ADDRESSES = st.lists(st.builds(Address, st.text(), st.text()), max_size=3).map(tuple)
_OUTGOING = st.builds(
    OutgoingMessage,
    to=_ADDRESSES,
    subject=st.text(),
    body_text=st.text(),
    body_html=st.none() | st.text(),
    cc=_ADDRESSES,
    sender=st.none() | st.builds(Address, st.text(), st.text()),
    attachments=st.lists(
        st.builds(OutgoingAttachment, st.text(), st.text(), st.binary(), st.none() | st.text()), max_size=2
    ).map(tuple),
    references=st.lists(st.text(), max_size=2).map(tuple),
    message_id_header=st.none() | st.text(),
)


@given(_OUTGOING)
def test_outgoing_messages_round_trip_through_json_text(message: OutgoingMessage) -> None:
    text = json.dumps(outgoing_to_json(message))
    again = outgoing_from_json(json.loads(text))
    assert again == message
    assert [a.data for a in again.attachments] == [a.data for a in message.attachments]


def test_the_codec_knows_every_outgoing_field() -> None:
    """A field added to the model must be encoded too: the keys name the fields."""
    message = OutgoingMessage(to=(), subject="x")
    assert set(outgoing_to_json(message)) == {f.name for f in attrs.fields(OutgoingMessage)}


def test_messages_queued_before_the_message_id_field_still_load() -> None:
    stored = outgoing_to_json(OutgoingMessage(to=(Address("a@example.com"),), subject="old"))
    del stored["message_id_header"]
    assert outgoing_from_json(stored).message_id_header is None


def test_times_are_whole_milliseconds_in_utc() -> None:
    value = dt.datetime(2024, 5, 6, 7, 8, 9, 123999, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert to_ms(value) == 1714997289123  # 2024-05-06T12:08:09.123Z
    assert from_ms(to_ms(value)) == value.replace(microsecond=123000)
    assert from_ms(to_ms(value)).tzinfo == dt.UTC
    assert to_ms(dt.datetime(1970, 1, 1)) == 0  # naive means UTC
    assert to_ms(dt.datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=dt.UTC)) == -1  # floored

"""The event index answers exactly what a full scan would, whatever the changes before the query."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from host.calendar.index import EventIndex, overlaps
from host.model.calendar import Event

BASE = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def make(calendar: str, event_id: str, start_hours: int, length_hours: int, series: str | None = None) -> Event:
    start = BASE + start_hours * HOUR
    return Event(event_id, calendar, f"title {event_id}", start, start + length_hours * HOUR, series_id=series)


events = st.builds(
    make,
    st.sampled_from(["a", "b"]),
    st.sampled_from([f"e{i}" for i in range(12)]),
    st.integers(-100, 400),
    # zero length, ordinary, and longer than the index's LONG bound
    st.sampled_from([0, 1, 3, 24, 47, 48, 49, 200]),
    st.sampled_from([None, "s1", "s2"]),
)
operations = st.lists(st.one_of(st.tuples(st.just("put"), events), st.tuples(st.just("remove"), events)), max_size=60)
queries = st.lists(
    st.tuples(st.integers(-150, 450), st.integers(0, 300), st.sampled_from([None, ("a",), ("b",), ("a", "b")])),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(operations, queries)
def test_between_matches_a_full_scan(ops, qs):
    index = EventIndex()
    model: dict[tuple[str, str], Event] = {}
    for op, event in ops:
        if op == "put":
            index.put(event)
            model[(event.calendar_id, event.id)] = event
        else:
            index.remove(event.calendar_id, event.id)
            head = (event.calendar_id, event.id)
            model = {
                k: e
                for k, e in model.items()
                if k != head and not (e.calendar_id == event.calendar_id and e.series_id == event.id)
            }
        for start_hours, span, calendars in qs:
            start = BASE + start_hours * HOUR
            end = start + span * HOUR
            expected = sorted(
                (
                    e
                    for e in model.values()
                    if overlaps(e, start, end) and (calendars is None or e.calendar_id in calendars)
                ),
                key=lambda e: (e.start, e.end, e.calendar_id, e.id),
            )
            assert index.between(start, end, calendars) == expected
    assert len(index) == len(model)


def test_overlap_edges():
    event = make("a", "x", 10, 2)
    assert overlaps(event, BASE + 11 * HOUR, BASE + 11 * HOUR + dt.timedelta(minutes=1))
    assert not overlaps(event, BASE + 12 * HOUR, BASE + 13 * HOUR)  # ends as the range starts
    assert not overlaps(event, BASE + 8 * HOUR, BASE + 10 * HOUR)  # starts as the range ends
    point = make("a", "p", 10, 0)
    assert overlaps(point, BASE + 10 * HOUR, BASE + 11 * HOUR)
    assert not overlaps(point, BASE + 9 * HOUR, BASE + 10 * HOUR)


def test_removing_a_series_head_removes_its_occurrences():
    index = EventIndex()
    for i in range(3):
        index.put(make("a", f"s1_{i}", i * 24, 1, series="s1"))
    index.put(make("a", "other", 5, 1))
    assert index.remove("a", "s1") == 3
    assert [e.id for e in index.between(BASE - 10 * HOUR, BASE + 100 * HOUR)] == ["other"]

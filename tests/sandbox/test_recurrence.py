"""Expanding recurring series: EXDATE, moved occurrences, UNTIL, and wall-clock times across DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs

from host.model.calendar import Event
from host.sandbox.recurrence import is_occurrence, occurrence_id, occurrences, slot_start, split_occurrence_id

BERLIN = ZoneInfo("Europe/Berlin")


def weekly(*lines: str) -> Event:
    start = dt.datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)  # a Monday, two weeks before DST starts
    return Event(
        id="standup",
        calendar_id="primary",
        title="Standup",
        start=start,
        end=start + dt.timedelta(minutes=15),
        time_zone="Europe/Berlin",
        recurrence=("RRULE:FREQ=WEEKLY;COUNT=4", *lines),
    )


WINDOW = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC))


def test_weekly_series_keeps_its_wall_clock_time_across_dst() -> None:
    found = occurrences(weekly(), [], *WINDOW)
    assert [o.start.astimezone(BERLIN).hour for o in found] == [9, 9, 9, 9]
    assert [o.start.astimezone(dt.UTC).hour for o in found] == [8, 8, 7, 7]
    assert all(o.series_id == "standup" and o.recurrence == () for o in found)
    assert found[0].id == "standup_20260316T080000Z"


def test_exdate_removes_an_occurrence_in_any_notation() -> None:
    local = occurrences(weekly("EXDATE;TZID=Europe/Berlin:20260323T090000"), [], *WINDOW)
    utc = occurrences(weekly("EXDATE:20260323T080000Z"), [], *WINDOW)
    assert [o.id for o in local] == [o.id for o in utc]
    assert len(local) == 3 and "standup_20260323T080000Z" not in {o.id for o in local}


def test_a_moved_occurrence_replaces_its_slot() -> None:
    master = weekly()
    slot = dt.datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)
    moved = attrs.evolve(
        master,
        id=occurrence_id(master, slot),
        start=slot + dt.timedelta(hours=2),
        end=slot + dt.timedelta(hours=2, minutes=15),
        recurrence=(),
        series_id=master.id,
        original_start=slot,
        title="Standup (late)",
    )
    found = occurrences(master, [moved], *WINDOW)
    assert len(found) == 4
    assert [o.title for o in found if o.id == moved.id] == ["Standup (late)"]


def test_until_in_utc_and_windows() -> None:
    master = attrs.evolve(weekly(), recurrence=("RRULE:FREQ=DAILY;UNTIL=20260318T080000Z",))
    assert len(occurrences(master, [], *WINDOW)) == 3
    narrow = occurrences(
        master, [], dt.datetime(2026, 3, 17, 8, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC)
    )
    assert [o.id for o in narrow] == ["standup_20260317T080000Z"]  # overlapping counts, not only starting


def test_single_events_and_occurrence_ids() -> None:
    single = attrs.evolve(weekly(), recurrence=())
    assert occurrences(single, [], *WINDOW) == [single]
    assert occurrences(single, [], dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 2, 1, tzinfo=dt.UTC)) == []
    assert split_occurrence_id("standup_20260316T080000Z") == ("standup", "20260316T080000Z")
    assert split_occurrence_id("plain-id") is None
    master = weekly()
    assert slot_start(master, "20260316T080000Z") == master.start
    assert is_occurrence(master, master.start)
    assert not is_occurrence(master, master.start + dt.timedelta(days=1))

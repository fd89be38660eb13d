"""Where events go on the grids, which days a view shows, and the editor's recurrence rules: no screen needed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from calendar_view.days import Mode, month_weeks, range_title, step, visible_days
from calendar_view.placement import all_day_spans, side_by_side, snap, suggest_slot, timed_segments
from calendar_view.recurrence import Repeat, parse, to_rrule, with_rule
from hypothesis import given
from hypothesis import strategies as st

from host.model.calendar import Event

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = dt.date(2026, 11, 23)


def event(title: str, start: dt.datetime, end: dt.datetime, **changes) -> Event:
    return Event(title.lower(), "primary", title, start, end, **changes)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute), zone)


def test_an_event_in_another_zone_shows_at_the_users_local_time() -> None:
    call = event("Call", at(3, 9, zone=NEW_YORK), at(3, 10, zone=NEW_YORK), time_zone="America/New_York")
    (segment,) = timed_segments([call], visible_days(Mode.WEEK, MONDAY), BERLIN)
    assert (segment.day, segment.start_minute, segment.end_minute) == (3, 15 * 60, 16 * 60)


def test_an_event_past_midnight_is_cut_into_both_days() -> None:
    late = event("Late", at(0, 22), at(1, 2))
    segments = timed_segments([late], visible_days(Mode.WEEK, MONDAY), BERLIN)
    assert [(s.day, s.start_minute, s.end_minute) for s in segments] == [(0, 1320, 1440), (1, 0, 120)]


def test_overlapping_events_share_the_width_and_others_keep_all_of_it() -> None:
    events = [
        event("A", at(0, 10), at(0, 11)),
        event("B", at(0, 10, 30), at(0, 11, 30)),
        event("C", at(0, 11), at(0, 12)),  # overlaps B only: takes A's column again
        event("D", at(0, 14), at(0, 15)),
    ]
    placed = {s.event.title: s for s in timed_segments(events, [MONDAY], BERLIN)}
    assert (placed["A"].column, placed["B"].column, placed["C"].column) == (0, 1, 0)
    assert placed["A"].columns == placed["B"].columns == placed["C"].columns == 2
    assert (placed["D"].column, placed["D"].columns) == (0, 1)


@given(
    st.lists(
        st.tuples(st.integers(0, 1400), st.integers(1, 300)),
        min_size=1,
        max_size=25,
    )
)
def test_side_by_side_never_puts_two_overlapping_events_in_one_column(spans) -> None:
    events = [
        event(f"e{i}", at(0, 0) + dt.timedelta(minutes=a), at(0, 0) + dt.timedelta(minutes=a + n))
        for i, (a, n) in enumerate(spans)
    ]
    segments = side_by_side(timed_segments(events, [MONDAY], BERLIN))
    for one in segments:
        assert 0 <= one.column < one.columns
        for other in segments:
            if other is not one and one.column == other.column:
                one_end = max(one.end_minute, one.start_minute + 15)
                other_end = max(other.end_minute, other.start_minute + 15)
                assert one_end <= other.start_minute or other_end <= one.start_minute


def test_all_day_events_keep_their_own_dates_and_stack_in_rows() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    holiday = event(
        "Holiday",
        dt.datetime.combine(MONDAY + dt.timedelta(days=2), dt.time(), tokyo),
        dt.datetime.combine(MONDAY + dt.timedelta(days=3), dt.time(), tokyo),
        all_day=True,
        time_zone="Asia/Tokyo",
    )
    trip = event("Trip", at(1, 0), at(4, 0), all_day=True, time_zone="Europe/Berlin")
    spans = {s.event.title: s for s in all_day_spans([holiday, trip], visible_days(Mode.WEEK, MONDAY), BERLIN)}
    assert (spans["Holiday"].first, spans["Holiday"].last) == (2, 2)  # Wednesday, though Tokyo is 8 hours ahead
    assert (spans["Trip"].first, spans["Trip"].last) == (1, 3)
    assert {spans["Holiday"].row, spans["Trip"].row} == {0, 1}
    assert timed_segments([holiday, trip], visible_days(Mode.WEEK, MONDAY), BERLIN) == []


def test_views_page_by_their_own_length() -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    assert visible_days(Mode.DAY, wednesday) == [wednesday]
    assert visible_days(Mode.WORK_WEEK, wednesday)[0] == MONDAY and len(visible_days(Mode.WORK_WEEK, wednesday)) == 5
    assert visible_days(Mode.WEEK, wednesday, first_weekday=6)[0] == MONDAY - dt.timedelta(days=1)
    assert step(Mode.DAY, wednesday, 1) == wednesday + dt.timedelta(days=1)
    assert step(Mode.WEEK, wednesday, -1) == wednesday - dt.timedelta(weeks=1)
    assert step(Mode.MONTH, dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 1)
    assert step(Mode.MONTH, dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    weeks = month_weeks(dt.date(2026, 11, 1))
    assert len(weeks) == 6 and weeks[0][0] == dt.date(2026, 10, 26) and dt.date(2026, 11, 30) in weeks[5]
    assert range_title(Mode.WEEK, visible_days(Mode.WEEK, wednesday), wednesday) == "23–29 November 2026"
    assert range_title(Mode.WEEK, visible_days(Mode.WEEK, dt.date(2026, 12, 30)), dt.date(2026, 12, 30)) == (
        "28 Dec 2026 – 03 Jan 2027"
    )


def test_snap_and_suggest() -> None:
    assert [snap(m) for m in (7, 8, 22, 23, -8)] == [0, 15, 15, 30, -15]
    busy = [(at(0, 8), at(0, 9)), (at(0, 9, 30), at(0, 10, 10))]
    assert suggest_slot(busy, at(0, 8), at(0, 18), dt.timedelta(minutes=30)) == (at(0, 9), at(0, 9, 30))
    assert suggest_slot(busy, at(0, 8), at(0, 18), dt.timedelta(hours=1)) == (at(0, 10, 15), at(0, 11, 15))
    assert suggest_slot(busy, at(0, 8), at(0, 10), dt.timedelta(hours=1)) is None
    later = suggest_slot([], at(0, 8), at(0, 18), dt.timedelta(hours=1), not_before=at(0, 12, 5))
    assert later == (at(0, 12, 15), at(0, 13, 15))


def test_recurrence_choices_become_rrule_lines() -> None:
    assert to_rrule(Repeat(), BERLIN) is None
    assert to_rrule(Repeat("DAILY"), BERLIN) == "RRULE:FREQ=DAILY"
    weekly = Repeat("WEEKLY", 2, (4, 0), count=6)
    assert to_rrule(weekly, BERLIN) == "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=6"
    # UNTIL is the end of the chosen day in the event's zone, in UTC.
    until = Repeat("MONTHLY", until=dt.date(2027, 3, 31))
    assert to_rrule(until, BERLIN) == "RRULE:FREQ=MONTHLY;UNTIL=20270331T215959Z"
    assert to_rrule(until, BERLIN, all_day=True) == "RRULE:FREQ=MONTHLY;UNTIL=20270331"
    assert parse([to_rrule(until, BERLIN)], BERLIN) == until
    assert parse(["RRULE:FREQ=YEARLY;COUNT=3"], BERLIN) == Repeat("YEARLY", count=3)
    assert parse(["EXDATE:20270101T100000Z"], BERLIN) == Repeat()
    assert parse(["RRULE:FREQ=HOURLY"], BERLIN) == Repeat()  # not offered by the editor: shown as "does not repeat"
    assert with_rule(("RRULE:FREQ=DAILY", "EXDATE:20270101T100000Z"), "RRULE:FREQ=WEEKLY") == (
        "RRULE:FREQ=WEEKLY",
        "EXDATE:20270101T100000Z",
    )
    assert with_rule(("RRULE:FREQ=DAILY", "EXDATE:20270101T100000Z"), None) == ()


@given(
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.integers(1, 9),
    st.lists(st.integers(0, 6), max_size=7),
    st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
    st.one_of(st.none(), st.integers(1, 500)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"]),
)
def test_rrule_round_trips(freq, interval, weekdays, until, count, zone_name) -> None:
    zone = ZoneInfo(zone_name)
    weekly = tuple(sorted(set(weekdays))) if freq == "WEEKLY" else ()
    repeat = Repeat(freq, interval, weekly, None if count else until, count)
    assert parse([to_rrule(repeat, zone)], zone) == repeat

"""An event's RRULE as Zoom's recurrence object."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zoom_meetings.recurrence import RECURRING_FIXED_TIME, RECURRING_NO_FIXED_TIME, SCHEDULED, zoom_recurrence

START = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)  # a Monday


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5", {"type": 1, "repeat_interval": 2, "end_times": 5}),
        ("RRULE:FREQ=WEEKLY", {"type": 2, "repeat_interval": 1, "weekly_days": "2", "end_times": 60}),
        (
            "RRULE:FREQ=WEEKLY;BYDAY=SU,SA;COUNT=200",
            {"type": 2, "repeat_interval": 1, "weekly_days": "1,7", "end_times": 60},
        ),
        (
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20301231T235959Z",
            {"type": 3, "repeat_interval": 1, "monthly_day": 15, "end_date_time": "2030-12-31T23:59:59Z"},
        ),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20300601",
            {
                "type": 3,
                "repeat_interval": 1,
                "monthly_week": -1,
                "monthly_week_day": 6,
                "end_date_time": "2030-06-01T23:59:59Z",
            },
        ),
        ("RRULE:FREQ=MONTHLY;COUNT=3", {"type": 3, "repeat_interval": 1, "monthly_day": 4, "end_times": 3}),
    ],
)
def test_rules_zoom_can_say(rule: str, expected: dict) -> None:
    assert zoom_recurrence((rule,), START) == (RECURRING_FIXED_TIME, expected)


@pytest.mark.parametrize(
    "lines",
    [
        ("RRULE:FREQ=YEARLY",),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",),
        ("RRULE:FREQ=MONTHLY;BYDAY=MO,TU",),
        ("RRULE:FREQ=DAILY", "RRULE:FREQ=WEEKLY"),
    ],
)
def test_rules_zoom_cannot_say_become_a_meeting_without_fixed_time(lines: tuple[str, ...]) -> None:
    assert zoom_recurrence(lines, START) == (RECURRING_NO_FIXED_TIME, None)


def test_no_rule_is_a_scheduled_meeting_and_a_bad_rule_fails_early() -> None:
    assert zoom_recurrence(("EXDATE:20300311T090000Z",), START) == (SCHEDULED, None)
    with pytest.raises(ValueError):
        zoom_recurrence(("RRULE:FREQ=WEEKLY;BYDAY=XX",), START)


@given(
    frequency=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    interval=st.integers(1, 12),
    count=st.integers(1, 500),
)
def test_every_simple_rule_maps_within_zooms_bounds(frequency: str, interval: int, count: int) -> None:
    kind, recurrence = zoom_recurrence((f"RRULE:FREQ={frequency};INTERVAL={interval};COUNT={count}",), START)
    assert kind == RECURRING_FIXED_TIME
    assert recurrence["repeat_interval"] == interval and 1 <= recurrence["end_times"] <= 60

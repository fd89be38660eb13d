"""Windows time-zone names <-> IANA both ways, and patternedRecurrence <-> RRULE."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from provider_m365.patterns import UnsupportedRecurrence, from_pattern, to_pattern
from provider_m365.timezones import IANA_TO_WINDOWS, WINDOWS_TO_IANA, to_iana, to_windows, zone


@pytest.mark.parametrize(
    ("windows", "iana"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Eastern Standard Time", "America/New_York"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("India Standard Time", "Asia/Kolkata"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("GMT Standard Time", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_common_zones_map_both_ways(windows: str, iana: str) -> None:
    assert to_iana(windows) == iana
    assert to_windows(iana) == windows


def test_every_table_entry_round_trips_and_names_a_real_zone() -> None:
    for windows, iana in WINDOWS_TO_IANA.items():
        ZoneInfo(iana)  # raises for a name tzdata does not know
        assert to_windows(to_iana(windows)) == windows
        assert to_iana(to_windows(to_iana(windows))) == to_iana(windows)
    for iana, windows in IANA_TO_WINDOWS.items():
        ZoneInfo(iana)
        assert windows in WINDOWS_TO_IANA, iana
        # A city that shares a Windows zone keeps the same rules: same offset in winter and summer.
        for month in (1, 7):
            when = dt.datetime(2025, month, 15, 12, tzinfo=dt.UTC)
            assert when.astimezone(ZoneInfo(iana)).utcoffset() == when.astimezone(zone(windows)).utcoffset(), iana


def test_old_iana_names_and_fallbacks() -> None:
    assert to_windows("Asia/Calcutta") == "India Standard Time"  # an old link name
    assert to_iana("Asia/Calcutta") == "Asia/Kolkata"
    assert to_iana("Etc/GMT") == "UTC"
    assert to_iana("America/Regina") == "America/Regina"  # Graph echoing an IANA name is kept
    assert to_iana("Martian Standard Time") == "UTC"  # unknown: UTC rather than a crash
    assert to_iana(None) == "UTC" and to_windows(None) == "UTC"
    assert to_windows("Pacific/Chatham") == "Pacific/Chatham"  # no Windows name in the table: Graph takes IANA


def _occurrences(lines: tuple[str, ...], start: dt.datetime, count: int = 40) -> list[dt.datetime]:
    naive = start.replace(tzinfo=None)
    return list(itertools.islice(rrulestr(lines[0].removeprefix("RRULE:"), dtstart=naive), count))


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=DAILY;COUNT=10",
        "RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=20250301T235959",
        "RRULE:FREQ=WEEKLY;COUNT=20",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=16",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO",
        "RRULE:FREQ=MONTHLY;COUNT=6",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6",
        "RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=5",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=6",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4",
    ],
)
def test_rrule_to_pattern_and_back_gives_the_same_occurrences(rule: str) -> None:
    start = dt.datetime(2025, 1, 6, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # a Monday
    pattern = to_pattern((rule,), start, "Europe/Berlin")
    assert pattern is not None
    assert pattern["range"]["recurrenceTimeZone"] == "W. Europe Standard Time"
    back = from_pattern(pattern)
    assert _occurrences(back, start) == _occurrences((rule,), start)


def test_what_graph_cannot_say_is_refused() -> None:
    start = dt.datetime(2025, 1, 6, 9, tzinfo=dt.UTC)
    with pytest.raises(UnsupportedRecurrence, match="EXDATE"):
        to_pattern(("RRULE:FREQ=DAILY", "EXDATE:20250107T090000Z"), start, "UTC")
    with pytest.raises(UnsupportedRecurrence, match="BYHOUR"):
        to_pattern(("RRULE:FREQ=DAILY;BYHOUR=9,17",), start, "UTC")
    with pytest.raises(UnsupportedRecurrence):
        to_pattern(("RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",), start, "UTC")
    assert to_pattern((), start, "UTC") is None
    assert from_pattern(None) == ()


@settings(max_examples=60, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    interval=st.integers(1, 4),
    days=st.sets(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1, max_size=3),
    ordinal=st.sampled_from([None, 1, 2, 3, 4, -1]),
    end=st.sampled_from(["", ";COUNT=7", ";UNTIL=20261231T235959"]),
    start_day=st.dates(dt.date(2024, 1, 1), dt.date(2026, 6, 1)),
)
def test_any_expressible_rule_round_trips(freq, interval, days, ordinal, end, start_day) -> None:
    start = dt.datetime.combine(start_day, dt.time(10), ZoneInfo("America/New_York"))
    parts = [f"FREQ={freq}", f"INTERVAL={interval}"]
    if freq == "WEEKLY":
        parts.append("BYDAY=" + ",".join(sorted(days)))
    elif freq in ("MONTHLY", "YEARLY") and ordinal is not None:
        parts.append(f"BYDAY={sorted(days)[0]}")
        parts.append(f"BYSETPOS={ordinal}")
    if freq == "YEARLY":
        parts.append(f"BYMONTH={start.month}")
    rule = "RRULE:" + ";".join(parts) + end
    pattern = to_pattern((rule,), start, "America/New_York")
    assert _occurrences(from_pattern(pattern), start, 25) == _occurrences((rule,), start, 25)

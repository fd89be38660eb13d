"""An event's RFC 5545 recurrence as a Zoom meeting's ``recurrence`` object.

Zoom has daily (1), weekly (2) and monthly (3) recurrences with an interval, weekdays (1 = Sunday ...
7 = Saturday), a day of the month or a week and weekday of the month, and an end by count
(``end_times``, at most 60) or by date (``end_date_time``). A rule Zoom cannot say (yearly, hourly,
several monthly days) becomes a recurring meeting with no fixed time (type 3): the same join URL for
every occurrence, which is what the invitation needs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.rrule import rrulestr

#: Zoom's meeting types.
SCHEDULED = 2
RECURRING_NO_FIXED_TIME = 3
RECURRING_FIXED_TIME = 8

_WEEKDAYS = {"SU": 1, "MO": 2, "TU": 3, "WE": 4, "TH": 5, "FR": 6, "SA": 7}
_FREQUENCIES = {"DAILY": 1, "WEEKLY": 2, "MONTHLY": 3}
MAX_END_TIMES = 60


def _parts(rule: str) -> dict[str, str]:
    body = rule.split(":", 1)[1] if rule.upper().startswith("RRULE:") else rule
    return {k.upper(): v for k, _, v in (item.partition("=") for item in body.split(";") if item)}


def zoom_recurrence(lines: tuple[str, ...], start: dt.datetime) -> tuple[int, dict[str, Any] | None]:
    """``(meeting type, recurrence object or None)`` for an event's recurrence lines."""
    rules = [line for line in lines if line.upper().startswith("RRULE:")]
    if not rules:
        return SCHEDULED, None
    if len(rules) > 1:
        return RECURRING_NO_FIXED_TIME, None
    # A malformed rule raises ValueError here, before any meeting exists. UNTIL is checked by _until:
    # dateutil refuses a date UNTIL beside an aware start, which calendars send for all-day series.
    rrulestr(";".join(p for p in rules[0].split(";") if not p.upper().startswith("UNTIL=")), dtstart=start)
    parts = _parts(rules[0])
    frequency = _FREQUENCIES.get(parts.get("FREQ", "").upper())
    if frequency is None:
        return RECURRING_NO_FIXED_TIME, None
    recurrence: dict[str, Any] = {"type": frequency, "repeat_interval": int(parts.get("INTERVAL", "1"))}
    days = [day.strip().upper() for day in parts.get("BYDAY", "").split(",") if day.strip()]
    if frequency == 2:
        weekdays = [_WEEKDAYS.get(day[-2:]) for day in days] or [start.isoweekday() % 7 + 1]
        if None in weekdays:
            return RECURRING_NO_FIXED_TIME, None
        recurrence["weekly_days"] = ",".join(str(day) for day in weekdays)
    elif frequency == 3:
        if "BYMONTHDAY" in parts:
            if "," in parts["BYMONTHDAY"]:
                return RECURRING_NO_FIXED_TIME, None
            recurrence["monthly_day"] = int(parts["BYMONTHDAY"])
        elif len(days) == 1 and days[0][:-2].lstrip("+-").isdigit():
            recurrence["monthly_week"] = int(days[0][:-2])
            recurrence["monthly_week_day"] = _WEEKDAYS[days[0][-2:]]
        elif days:
            return RECURRING_NO_FIXED_TIME, None
        else:
            recurrence["monthly_day"] = start.day
    if "COUNT" in parts:
        recurrence["end_times"] = min(int(parts["COUNT"]), MAX_END_TIMES)
    elif "UNTIL" in parts:
        recurrence["end_date_time"] = _until(parts["UNTIL"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        recurrence["end_times"] = MAX_END_TIMES  # Zoom needs an end; the event's series may go on
    return RECURRING_FIXED_TIME, recurrence


def _until(text: str) -> dt.datetime:
    """RFC 5545 UNTIL: a UTC date-time (``20261231T235959Z``) or a date (the end of that day, in UTC)."""
    text = text.strip().upper()
    if "T" in text:
        return dt.datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    day = dt.datetime.strptime(text, "%Y%m%d").replace(tzinfo=dt.UTC)
    return day + dt.timedelta(days=1) - dt.timedelta(seconds=1)

"""The editor's recurrence choices and the RFC 5545 RRULE line they stand for. No Qt here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import attrs

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@attrs.frozen
class Repeat:
    """``freq`` one of :data:`FREQUENCIES` (None: does not repeat); ``weekdays`` 0 = Monday (weekly only);
    ``until`` the last date (inclusive) or ``count`` occurrences, or neither (for ever)."""

    freq: str | None = None
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    until: dt.date | None = None
    count: int | None = None


def to_rrule(repeat: Repeat, zone: ZoneInfo, *, all_day: bool = False) -> str | None:
    """The ``RRULE:`` line, or None when the event does not repeat.

    UNTIL is in UTC (RFC 5545 wants that when DTSTART has a zone): the end of the chosen day in the
    event's zone, so the last occurrence on that day is kept; an all-day series names the date alone.
    """
    if repeat.freq is None:
        return None
    parts = [f"FREQ={repeat.freq}"]
    if repeat.interval > 1:
        parts.append(f"INTERVAL={repeat.interval}")
    if repeat.freq == "WEEKLY" and repeat.weekdays:
        parts.append("BYDAY=" + ",".join(WEEKDAYS[d] for d in sorted(set(repeat.weekdays))))
    if repeat.count is not None:
        parts.append(f"COUNT={repeat.count}")
    elif repeat.until is not None:
        if all_day:
            parts.append(f"UNTIL={repeat.until:%Y%m%d}")
        else:
            last = dt.datetime.combine(repeat.until, dt.time(23, 59, 59), zone).astimezone(dt.UTC)
            parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
    return "RRULE:" + ";".join(parts)


def parse(lines: Sequence[str], zone: ZoneInfo) -> Repeat:
    """The editor's choices for an event's recurrence lines (the first RRULE; EXDATEs are kept apart)."""
    rule = next((line for line in lines if line.upper().startswith("RRULE:")), None)
    if rule is None:
        return Repeat()
    fields = dict(part.split("=", 1) for part in rule[6:].split(";") if "=" in part)
    freq = fields.get("FREQ", "").upper()
    if freq not in FREQUENCIES:
        return Repeat()
    weekdays = tuple(
        WEEKDAYS.index(day[-2:].upper()) for day in fields.get("BYDAY", "").split(",") if day[-2:].upper() in WEEKDAYS
    )
    until = None
    if "UNTIL" in fields:
        text = fields["UNTIL"]
        if "T" in text:
            moment = dt.datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
            until = (moment.replace(tzinfo=dt.UTC).astimezone(zone) if text.endswith("Z") else moment).date()
        else:
            until = dt.datetime.strptime(text, "%Y%m%d").date()
    count = int(fields["COUNT"]) if fields.get("COUNT", "").isdigit() else None
    interval = int(fields["INTERVAL"]) if fields.get("INTERVAL", "").isdigit() else 1
    return Repeat(freq, max(interval, 1), weekdays if freq == "WEEKLY" else (), until, count)


def with_rule(lines: Sequence[str], rule: str | None) -> tuple[str, ...]:
    """``lines`` with their RRULE replaced by ``rule`` (or dropped); without a rule, EXDATEs go too."""
    rest = tuple(line for line in lines if not line.upper().startswith("RRULE:"))
    if rule is None:
        return ()
    return (rule, *rest)

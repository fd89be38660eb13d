"""Graph's ``patternedRecurrence`` to RFC 5545 ``RRULE`` lines and back.

Graph says the same things as an RRULE in other words: a pattern (``daily``, ``weekly``,
``absoluteMonthly``, ``relativeMonthly``, ``absoluteYearly``, ``relativeYearly`` with interval, days
of the week, ``index`` first..last, day of month, month) and a range (``noEnd``, ``endDate`` inclusive,
``numbered``). What Graph cannot say (EXDATE, RDATE, BYHOUR, several BYMONTHDAY values) is refused with
a clear error rather than silently changed; Graph keeps cancelled occurrences out of the series itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from host.errors import ZoomclientError
from provider_m365.timezones import to_iana, to_windows

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RFC_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
INDEXES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


class UnsupportedRecurrence(ZoomclientError):
    def __init__(self, what: str) -> None:
        super().__init__(
            f"Microsoft 365 cannot store this repetition: {what}.",
            hint="Choose a simpler repetition (daily, weekly on some days, monthly or yearly).",
        )


def _rule_parts(line: str) -> dict[str, str]:
    return {k.upper(): v for k, _, v in (part.partition("=") for part in line.split(":", 1)[1].split(";")) if k}


def to_pattern(recurrence: tuple[str, ...], start: dt.datetime, time_zone: str) -> dict[str, Any] | None:
    """The ``patternedRecurrence`` for a master whose first occurrence is ``start`` (aware, local)."""
    rules = [line for line in recurrence if line.upper().startswith("RRULE")]
    if not rules:
        return None
    others = [
        line.split(":", 1)[0].split(";")[0].upper() for line in recurrence if not line.upper().startswith("RRULE")
    ]
    if len(rules) > 1 or others:
        raise UnsupportedRecurrence(", ".join(sorted({*others, *(["several RRULEs"] if len(rules) > 1 else [])})))
    parts = _rule_parts(rules[0])
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "COUNT", "UNTIL", "WKST"}
    if set(parts) - known:
        raise UnsupportedRecurrence(", ".join(sorted(set(parts) - known)))
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1"))
    pattern: dict[str, Any] = {"type": "", "interval": interval, "month": 0, "dayOfMonth": 0, "index": "first"}
    pattern["firstDayOfWeek"] = DAYS[RFC_DAYS.index(parts.get("WKST", "SU"))]
    days, index = _by_day(parts.get("BYDAY"), parts.get("BYSETPOS"))
    if freq == "DAILY" and not days:
        pattern["type"] = "daily"
    elif freq == "WEEKLY" or (freq == "DAILY" and days):
        pattern["type"] = "weekly"
        pattern["daysOfWeek"] = days or [DAYS[start.weekday()]]
    elif freq in ("MONTHLY", "YEARLY"):
        prefix = "Monthly" if freq == "MONTHLY" else "Yearly"
        if freq == "YEARLY":
            pattern["month"] = int(parts.get("BYMONTH", str(start.month)))
        if days:
            pattern["type"] = "relative" + prefix
            pattern["daysOfWeek"] = days
            pattern["index"] = INDEXES.get(index or 1, "first")
        else:
            by_month_day = parts.get("BYMONTHDAY", str(start.day))
            if "," in by_month_day or by_month_day.startswith("-"):
                raise UnsupportedRecurrence(f"BYMONTHDAY={by_month_day}")
            pattern["type"] = "absolute" + prefix
            pattern["dayOfMonth"] = int(by_month_day)
    else:
        raise UnsupportedRecurrence(f"FREQ={freq}")
    range_: dict[str, Any] = {
        "type": "noEnd",
        "startDate": start.date().isoformat(),
        "recurrenceTimeZone": to_windows(time_zone),
        "numberOfOccurrences": 0,
    }
    if "COUNT" in parts:
        range_.update(type="numbered", numberOfOccurrences=int(parts["COUNT"]))
    elif "UNTIL" in parts:
        range_.update(type="endDate", endDate=_until_date(parts["UNTIL"], start.tzinfo).isoformat())
    return {"pattern": pattern, "range": range_}


def _by_day(value: str | None, setpos: str | None) -> tuple[list[str], int | None]:
    if not value:
        return [], None
    days: list[str] = []
    index: int | None = int(setpos) if setpos else None
    for item in value.split(","):
        number, code = item[:-2], item[-2:].upper()
        if code not in RFC_DAYS:
            raise UnsupportedRecurrence(f"BYDAY={value}")
        if number:
            if index is not None and index != int(number):
                raise UnsupportedRecurrence(f"BYDAY={value}")
            index = int(number)
        days.append(DAYS[RFC_DAYS.index(code)])
    if index is not None and index not in INDEXES:
        raise UnsupportedRecurrence(f"the {index}th weekday of a month")
    return days, index


def _until_date(value: str, zone: dt.tzinfo | None) -> dt.date:
    if len(value) == 8:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    if value.endswith("Z"):
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC).astimezone(zone).date()
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").date()


def from_pattern(recurrence: dict[str, Any] | None) -> tuple[str, ...]:
    """The ``RRULE`` line for a ``patternedRecurrence`` (empty for None)."""
    if not recurrence:
        return ()
    pattern, range_ = recurrence.get("pattern") or {}, recurrence.get("range") or {}
    kind = pattern.get("type", "")
    parts: list[str] = []
    days = ",".join(RFC_DAYS[DAYS.index(day)] for day in pattern.get("daysOfWeek") or ())
    index = {name: number for number, name in INDEXES.items()}.get(pattern.get("index") or "first", 1)
    match kind:
        case "daily":
            parts.append("FREQ=DAILY")
        case "weekly":
            parts.append("FREQ=WEEKLY")
        case "absoluteMonthly" | "relativeMonthly":
            parts.append("FREQ=MONTHLY")
        case "absoluteYearly" | "relativeYearly":
            parts.append("FREQ=YEARLY")
        case _:
            raise UnsupportedRecurrence(f"pattern type {kind!r}")
    interval = int(pattern.get("interval") or 1)
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if kind.endswith("Yearly"):
        parts.append(f"BYMONTH={int(pattern.get('month') or 1)}")
    if kind == "weekly":
        parts.append(f"BYDAY={days}")
        if pattern.get("firstDayOfWeek", "sunday") != "sunday":
            parts.append(f"WKST={RFC_DAYS[DAYS.index(pattern['firstDayOfWeek'])]}")
    elif kind.startswith("relative"):
        parts.append(f"BYDAY={days}")
        parts.append(f"BYSETPOS={index}")
    elif kind.startswith("absolute"):
        parts.append(f"BYMONTHDAY={int(pattern.get('dayOfMonth') or 1)}")
    match range_.get("type"):
        case "numbered":
            parts.append(f"COUNT={int(range_.get('numberOfOccurrences') or 1)}")
        case "endDate":
            # Graph's end date is inclusive and local: the last moment of that day in the series' zone.
            end = dt.date.fromisoformat(range_["endDate"])
            parts.append(f"UNTIL={end.strftime('%Y%m%d')}T235959")
    return ("RRULE:" + ";".join(parts),)


def pattern_zone(recurrence: dict[str, Any] | None) -> str | None:
    """The IANA zone a pattern's range is in, when it says."""
    if not recurrence:
        return None
    name = (recurrence.get("range") or {}).get("recurrenceTimeZone")
    return to_iana(name) if name else None

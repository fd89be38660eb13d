"""Which days a view shows, and how today / previous / next move through them. No Qt here."""

from __future__ import annotations

import datetime as dt
import enum
from zoneinfo import ZoneInfo


class Mode(enum.Enum):
    DAY = "day"
    WORK_WEEK = "work-week"
    WEEK = "week"
    MONTH = "month"

    @property
    def title(self) -> str:
        return {"day": "Day", "work-week": "Work week", "week": "Week", "month": "Month"}[self.value]


def week_start(day: dt.date, first_weekday: int = 0) -> dt.date:
    """The first day of ``day``'s week; ``first_weekday`` 0 is Monday, 6 Sunday."""
    return day - dt.timedelta(days=(day.weekday() - first_weekday) % 7)


def month_weeks(anchor: dt.date, first_weekday: int = 0) -> list[list[dt.date]]:
    """Six whole weeks covering ``anchor``'s month: the month grid's cells (always six rows, so it never jumps)."""
    first = week_start(anchor.replace(day=1), first_weekday)
    return [[first + dt.timedelta(days=7 * row + col) for col in range(7)] for row in range(6)]


def visible_days(mode: Mode, anchor: dt.date, first_weekday: int = 0) -> list[dt.date]:
    if mode is Mode.DAY:
        return [anchor]
    if mode is Mode.WORK_WEEK:
        monday = anchor - dt.timedelta(days=anchor.weekday())
        return [monday + dt.timedelta(days=i) for i in range(5)]
    if mode is Mode.WEEK:
        first = week_start(anchor, first_weekday)
        return [first + dt.timedelta(days=i) for i in range(7)]
    return [day for week in month_weeks(anchor, first_weekday) for day in week]


def step(mode: Mode, anchor: dt.date, direction: int) -> dt.date:
    """The anchor one page earlier (``direction`` -1) or later (+1)."""
    if mode is Mode.DAY:
        return anchor + dt.timedelta(days=direction)
    if mode in (Mode.WORK_WEEK, Mode.WEEK):
        return anchor + dt.timedelta(weeks=direction)
    month = anchor.month - 1 + direction
    year = anchor.year + month // 12
    month = month % 12 + 1
    return anchor.replace(year=year, month=month, day=1)


def day_bounds(days: list[dt.date], zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the shown days as instants in ``zone`` (the user's)."""
    start = dt.datetime.combine(days[0], dt.time(), zone)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(), zone)
    return start, end


def range_title(mode: Mode, days: list[dt.date], anchor: dt.date) -> str:
    if mode is Mode.DAY:
        return anchor.strftime("%A, %d %B %Y")
    if mode is Mode.MONTH:
        return anchor.strftime("%B %Y")
    first, last = days[0], days[-1]
    if first.month == last.month:
        return f"{first.day}–{last.day} {last.strftime('%B %Y')}"
    if first.year == last.year:
        return f"{first.day} {first.strftime('%b')} – {last.day} {last.strftime('%b %Y')}"
    return f"{first.strftime('%d %b %Y')} – {last.strftime('%d %b %Y')}"

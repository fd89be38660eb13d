"""Where events go on the grids: per-day segments in the user's zone, side by side when they overlap.

Pure functions over :class:`~host.model.calendar.Event`, so the painting widgets stay thin and the
rules (which zone, which row, which column) are tested without a screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from host.model.calendar import Event

SNAP_MINUTES = 15
DAY_MINUTES = 24 * 60


@attrs.frozen
class Segment:
    """The part of a timed event on one shown day, in minutes from that day's local midnight."""

    event: Event
    day: int  # index into the shown days
    start_minute: float
    end_minute: float
    column: int = 0
    columns: int = 1


@attrs.frozen
class Span:
    """An all-day (or day-long) event across shown days ``first..last`` (indexes), on ``row`` of the all-day area."""

    event: Event
    first: int
    last: int
    row: int = 0


def zone_of(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_day_long(event: Event) -> bool:
    """All-day events and those of a day or more go to the all-day row, not the time grid."""
    return event.all_day or event.end - event.start >= dt.timedelta(hours=24)


def event_dates(event: Event, zone: ZoneInfo) -> tuple[dt.date, dt.date]:
    """The first and last date an event covers: an all-day event by its own calendar dates (an all-day
    holiday is that date everywhere), anything else by the user's zone."""
    if event.all_day:
        own = zone_of(event)
        first = event.start.astimezone(own).date()
        last = (event.end.astimezone(own) - dt.timedelta(microseconds=1)).date()
    else:
        first = event.start.astimezone(zone).date()
        last = (event.end.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return first, max(first, last)


def timed_segments(events: Iterable[Event], days: Sequence[dt.date], zone: ZoneInfo) -> list[Segment]:
    """Each timed event cut at local midnights into the shown days, with overlapping ones in columns."""
    index = {day: i for i, day in enumerate(days)}
    by_day: dict[int, list[Segment]] = {}
    for event in events:
        if is_day_long(event):
            continue
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        day = start.date()
        while True:
            midnight = dt.datetime.combine(day, dt.time(), zone)
            next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
            if day in index:
                a = max(start, midnight)
                b = min(end, next_midnight)
                # Minutes on the clock, so a day with a DST change still spans 0..1440 on the grid.
                first = a.hour * 60 + a.minute
                last = DAY_MINUTES if b >= next_midnight else b.hour * 60 + b.minute
                by_day.setdefault(index[day], []).append(Segment(event, index[day], first, max(last, first)))
            if end <= next_midnight:
                break
            day += dt.timedelta(days=1)
    placed: list[Segment] = []
    for segments in by_day.values():
        placed.extend(side_by_side(segments))
    return placed


def side_by_side(segments: list[Segment]) -> list[Segment]:
    """Columns for one day's segments: each cluster of overlapping events shares the width equally,
    and an event takes the leftmost column free at its start."""
    # A short event still takes some height on screen; overlap is judged on that height.
    shown_end = lambda s: max(s.end_minute, s.start_minute + SNAP_MINUTES)  # noqa: E731
    ordered = sorted(segments, key=lambda s: (s.start_minute, -s.end_minute, s.event.title))
    result: list[Segment] = []
    cluster: list[tuple[Segment, int]] = []
    column_ends: list[float] = []
    cluster_end = -1.0

    def close() -> None:
        width = len(column_ends)
        result.extend(attrs.evolve(s, column=c, columns=width) for s, c in cluster)

    for segment in ordered:
        if cluster and segment.start_minute >= cluster_end:
            close()
            cluster, column_ends, cluster_end = [], [], -1.0
        column = next((i for i, end in enumerate(column_ends) if end <= segment.start_minute), None)
        if column is None:
            column = len(column_ends)
            column_ends.append(shown_end(segment))
        else:
            column_ends[column] = shown_end(segment)
        cluster.append((segment, column))
        cluster_end = max(cluster_end, shown_end(segment))
    if cluster:
        close()
    return result


def all_day_spans(events: Iterable[Event], days: Sequence[dt.date], zone: ZoneInfo) -> list[Span]:
    """Day-long events as bars over the shown days, stacked into the fewest rows."""
    if not days:
        return []
    spans: list[Span] = []
    for event in events:
        if not is_day_long(event):
            continue
        first, last = event_dates(event, zone)
        if last < days[0] or first > days[-1]:
            continue
        a = (max(first, days[0]) - days[0]).days
        b = (min(last, days[-1]) - days[0]).days
        spans.append(Span(event, a, b))
    rows: list[int] = []  # the last shown day each row is taken up to
    placed = []
    for span in sorted(spans, key=lambda s: (s.first, -(s.last - s.first), s.event.title)):
        row = next((i for i, taken in enumerate(rows) if taken < span.first), None)
        if row is None:
            row = len(rows)
            rows.append(span.last)
        else:
            rows[row] = span.last
        placed.append(attrs.evolve(span, row=row))
    return placed


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    return round(minutes / step) * step


def moved(event: Event, delta: dt.timedelta) -> Event:
    return attrs.evolve(event, start=event.start + delta, end=event.end + delta)


def resized(event: Event, new_end: dt.datetime) -> Event:
    """``event`` ending at ``new_end``, never shorter than one snap step."""
    end = max(new_end, event.start + dt.timedelta(minutes=SNAP_MINUTES))
    return attrs.evolve(event, end=end.astimezone(event.end.tzinfo))


def suggest_slot(
    busy: Iterable[tuple[dt.datetime, dt.datetime]],
    day_start: dt.datetime,
    day_end: dt.datetime,
    duration: dt.timedelta,
    *,
    not_before: dt.datetime | None = None,
) -> tuple[dt.datetime, dt.datetime] | None:
    """The first ``duration`` in ``[day_start, day_end)`` that no busy interval touches, on a snap step."""
    step = dt.timedelta(minutes=SNAP_MINUTES)
    candidate = day_start
    if not_before is not None and not_before > candidate:
        offset = (not_before - day_start) / step
        candidate = day_start + step * int(-(-offset // 1))
    intervals = sorted(busy)
    while candidate + duration <= day_end:
        clash = next((b for b in intervals if b[0] < candidate + duration and b[1] > candidate), None)
        if clash is None:
            return candidate, candidate + duration
        # jump past the clash, onto the next step
        offset = (clash[1] - day_start) / step
        candidate = day_start + step * int(-(-offset // 1))
    return None

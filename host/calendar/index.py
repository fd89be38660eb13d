"""Events found by time without a scan: a list sorted by start, plus the few long events apart.

A query for ``[start, end)`` bisects the sorted starts from ``start - LONG`` to ``end``; an event
longer than ``LONG`` is filed instead under every week it touches, so a multi-week holiday does not
widen every search and a query looks only at the long events of its own weeks.

What a query walks is kept cheap: times are POSIX timestamps (comparing aware datetimes in different
zones asks each zone for its offset, every time), and the sorted list holds integer handles, one
per version of an event, rather than ``(calendar id, event id)`` keys, whose hash Python computes
anew at every lookup. A change gives the event a new handle and appends it, marking the list
unsorted; the next query sorts it (cheap for a sorted list with a short tail) and drops the
handles of old versions once they outnumber the live ones.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Collection, Iterator

from host.model.calendar import Event

Key = tuple[str, str]  # (calendar id, event id)
Entry = tuple[float, float, Key, Event]  # start and end as timestamps, key, event

LONG = dt.timedelta(days=2)
_LONG_SECONDS = LONG.total_seconds()
_WEEK_SECONDS = 7 * 86400.0


def key_of(event: Event) -> Key:
    return (event.calendar_id, event.id)


def overlaps(event: Event, start: dt.datetime, end: dt.datetime) -> bool:
    """``event`` shows in ``[start, end)``; an event of no length shows where it starts."""
    return event.start < end and (event.end > start or event.start >= start)


def _weeks(start: float, end: float) -> range:
    """The numbers of the (epoch-aligned) weeks that ``[start, end)`` touches."""
    return range(int(start // _WEEK_SECONDS), int(max(end - 1e-6, start) // _WEEK_SECONDS) + 1)


class EventIndex:
    def __init__(self) -> None:
        self._handles: dict[Key, int] = {}
        self._live: dict[int, Entry] = {}
        self._starts: list[tuple[float, int]] = []
        self._sorted = True
        self._long_weeks: dict[int, set[int]] = {}
        self._series: dict[Key, set[Key]] = {}  # (calendar, series id) -> its occurrences
        self._next = itertools.count()

    def __len__(self) -> int:
        return len(self._handles)

    def __iter__(self) -> Iterator[Event]:
        return (entry[3] for entry in self._live.values())

    def get(self, calendar_id: str, event_id: str) -> Event | None:
        handle = self._handles.get((calendar_id, event_id))
        return self._live[handle][3] if handle is not None else None

    def put(self, event: Event) -> None:
        key = key_of(event)
        self._drop(key)
        handle = next(self._next)
        entry = (event.start.timestamp(), event.end.timestamp(), key, event)
        self._handles[key] = handle
        self._live[handle] = entry
        if event.series_id is not None:
            self._series.setdefault((event.calendar_id, event.series_id), set()).add(key)
        if entry[1] - entry[0] > _LONG_SECONDS:
            for week in _weeks(entry[0], entry[1]):
                self._long_weeks.setdefault(week, set()).add(handle)
        else:
            self._starts.append((entry[0], handle))
            self._sorted = False

    def remove(self, calendar_id: str, event_id: str) -> int:
        """Forget an event, and the occurrences of the series it heads; returns how many went."""
        key = (calendar_id, event_id)
        removed = 0
        for occurrence in self._series.pop(key, set()):
            removed += self._drop(occurrence)
        return removed + self._drop(key)

    def _drop(self, key: Key) -> int:
        handle = self._handles.pop(key, None)
        if handle is None:
            return 0
        start, end, _, event = self._live.pop(handle)
        if end - start > _LONG_SECONDS:
            for week in _weeks(start, end):
                members = self._long_weeks[week]
                members.discard(handle)
                if not members:
                    del self._long_weeks[week]
        if event.series_id is not None:
            members = self._series.get((event.calendar_id, event.series_id))
            if members is not None:
                members.discard(key)
                if not members:
                    del self._series[(event.calendar_id, event.series_id)]
        return 1  # a short event's handle stays in _starts; queries skip it

    def clear(self) -> None:
        self._handles.clear()
        self._live.clear()
        self._starts.clear()
        self._long_weeks.clear()
        self._series.clear()
        self._sorted = True

    def between(self, start: dt.datetime, end: dt.datetime, calendar_ids: Collection[str] | None = None) -> list[Event]:
        """Events that show in ``[start, end)``, by start time."""
        self._tidy()
        wanted = set(calendar_ids) if calendar_ids is not None else None
        lo_ts, hi_ts = start.timestamp(), end.timestamp()
        lo = bisect.bisect_left(self._starts, (lo_ts - _LONG_SECONDS,))
        hi = bisect.bisect_left(self._starts, (hi_ts,))
        live = self._live
        found: list[Entry] = []
        for _, handle in self._starts[lo:hi]:
            entry = live.get(handle)
            # Every start here is before ``end``; an event of no length shows where it starts.
            shows = entry is not None and (entry[1] > lo_ts or entry[0] >= lo_ts)
            if shows and (wanted is None or entry[2][0] in wanted):
                found.append(entry)
        met: set[int] = set()
        for week in _weeks(lo_ts, hi_ts):
            for handle in self._long_weeks.get(week, ()):
                entry = live[handle]
                if handle not in met and entry[0] < hi_ts and entry[1] > lo_ts:
                    met.add(handle)
                    if wanted is None or entry[2][0] in wanted:
                        found.append(entry)
        found.sort()  # by start, end, key; keys are unique, so events themselves are never compared
        return [entry[3] for entry in found]

    def _tidy(self) -> None:
        if len(self._starts) > 2 * len(self._live) + 64:
            self._starts = [(e[0], h) for h, e in self._live.items() if e[1] - e[0] <= _LONG_SECONDS]
            self._sorted = False
        if not self._sorted:
            self._starts.sort()
            self._sorted = True

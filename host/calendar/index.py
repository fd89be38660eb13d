"""Events found by time without a scan: a list sorted by start, plus the few long events apart.

A query for ``[start, end)`` bisects the sorted starts from ``start - LONG`` to ``end``; every event
longer than ``LONG`` is kept in a small table and checked on each query instead, so a multi-week
holiday does not widen every search. Times are compared as POSIX timestamps: comparing aware
datetimes in different zones asks each zone for its offset, which a query over thousands of
candidates would pay for every one. Changes append and mark the list unsorted; the next query sorts
it (cheap for a sorted list with a short tail) and drops entries left behind by changed or removed
events once they outnumber the live ones.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection, Iterator

from host.model.calendar import Event

Key = tuple[str, str]  # (calendar id, event id)
Span = tuple[float, float]  # (start, end) as timestamps

LONG = dt.timedelta(days=2)
_LONG_SECONDS = LONG.total_seconds()


def key_of(event: Event) -> Key:
    return (event.calendar_id, event.id)


def overlaps(event: Event, start: dt.datetime, end: dt.datetime) -> bool:
    """``event`` shows in ``[start, end)``; an event of no length shows where it starts."""
    return event.start < end and (event.end > start or event.start >= start)


def _shows(span: Span, start: float, end: float) -> bool:
    return span[0] < end and (span[1] > start or span[0] >= start)


class EventIndex:
    def __init__(self) -> None:
        self._events: dict[Key, Event] = {}
        self._spans: dict[Key, Span] = {}
        self._starts: list[tuple[float, Key]] = []
        self._sorted = True
        self._long: dict[Key, Span] = {}
        self._series: dict[Key, set[Key]] = {}  # (calendar, series id) -> its occurrences

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events.values())

    def get(self, calendar_id: str, event_id: str) -> Event | None:
        return self._events.get((calendar_id, event_id))

    def put(self, event: Event) -> None:
        key = key_of(event)
        old = self._events.get(key)
        if old is not None:
            self._unlink_series(key, old)
        old_span = self._spans.get(key)
        span = (event.start.timestamp(), event.end.timestamp())
        self._events[key] = event
        self._spans[key] = span
        if event.series_id is not None:
            self._series.setdefault((event.calendar_id, event.series_id), set()).add(key)
        if span[1] - span[0] > _LONG_SECONDS:
            self._long[key] = span
            return
        was_long = self._long.pop(key, None) is not None
        if old_span is None or old_span[0] != span[0] or was_long:
            self._starts.append((span[0], key))
            self._sorted = False

    def remove(self, calendar_id: str, event_id: str) -> int:
        """Forget an event, and the occurrences of the series it heads; returns how many went."""
        key = (calendar_id, event_id)
        removed = 0
        for occurrence in self._series.pop(key, set()):
            removed += self._drop(occurrence)
        return removed + self._drop(key)

    def _drop(self, key: Key) -> int:
        event = self._events.pop(key, None)
        if event is None:
            return 0
        del self._spans[key]
        self._unlink_series(key, event)
        self._long.pop(key, None)
        return 1  # its entry in _starts is now stale; queries skip it

    def _unlink_series(self, key: Key, event: Event) -> None:
        if event.series_id is not None:
            members = self._series.get((event.calendar_id, event.series_id))
            if members is not None:
                members.discard(key)
                if not members:
                    del self._series[(event.calendar_id, event.series_id)]

    def clear(self) -> None:
        self._events.clear()
        self._spans.clear()
        self._starts.clear()
        self._long.clear()
        self._series.clear()
        self._sorted = True

    def between(self, start: dt.datetime, end: dt.datetime, calendar_ids: Collection[str] | None = None) -> list[Event]:
        """Events that show in ``[start, end)``, by start time."""
        self._tidy()
        wanted = set(calendar_ids) if calendar_ids is not None else None
        lo_ts, hi_ts = start.timestamp(), end.timestamp()
        lo = bisect.bisect_left(self._starts, (lo_ts - _LONG_SECONDS,))
        hi = bisect.bisect_left(self._starts, (hi_ts,))
        spans, long = self._spans, self._long
        found: dict[Key, Span] = {}
        for ts, key in self._starts[lo:hi]:
            span = spans.get(key)
            if span is None or span[0] != ts or key in long:
                continue  # left behind by a change or a removal
            if (wanted is None or key[0] in wanted) and _shows(span, lo_ts, hi_ts):
                found[key] = span
        for key, span in long.items():
            if (wanted is None or key[0] in wanted) and _shows(span, lo_ts, hi_ts):
                found[key] = span
        return [self._events[key] for key in sorted(found, key=lambda k: (*found[k], *k))]

    def _tidy(self) -> None:
        if len(self._starts) > 2 * len(self._spans) + 64:
            self._starts = [(span[0], key) for key, span in self._spans.items() if key not in self._long]
            self._sorted = False
        if not self._sorted:
            self._starts.sort()
            self._sorted = True

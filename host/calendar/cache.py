"""The calendars of the signed-in account, held only in memory (promise 4).

Nothing here is written anywhere: no file, no pickle, no log line with an event's contents (logs
name calendar ids and counts only). The cache loads a window around today, more windows as the
user moves (:meth:`CalendarCache.ensure_range`), follows each window's cursor where the provider has
one (:meth:`CalendarCache.refresh`), and sends every change straight to the provider, taking the
server's answer into the cache. It is the one write path for events, so it also keeps each event's
meeting in step with it (:class:`host.conferencing.EventMeetings`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence

import attrs

from host.calendar.index import EventIndex, overlaps
from host.conferencing import ConferencingProvider, EventMeetings, MeetingNotChanged
from host.errors import CursorExpired
from host.model.calendar import Calendar, Event, ResponseStatus
from host.providers.calendar import CalendarProvider, EventChanges

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.define
class _Window:
    """A stretch of one calendar that is loaded, and where its changes continue from."""

    start: dt.datetime
    end: dt.datetime
    cursor: str | None


def _week_start(moment: dt.datetime) -> dt.datetime:
    day = moment.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - dt.timedelta(days=day.weekday())


def _gaps(windows: Sequence[_Window], start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of ``[start, end)`` no window covers."""
    gaps = []
    position = start
    for window in sorted(windows, key=lambda w: w.start):
        if window.end <= position:
            continue
        if window.start >= end:
            break
        if window.start > position:
            gaps.append((position, window.start))
        position = max(position, window.end)
    if position < end:
        gaps.append((position, end))
    return gaps


class CalendarCache:
    """Every calendar the account reaches and their loaded events; see the module docstring.

    ``before``/``after``: the window around today that :meth:`load` fetches. Ranges asked for later
    are widened to whole weeks (UTC) so that moving day by day does not make a window per day.
    ``conferencing``: the registered conferencing providers, whose meetings move and go with their events.
    """

    def __init__(
        self,
        provider: CalendarProvider,
        *,
        before: dt.timedelta = dt.timedelta(weeks=2),
        after: dt.timedelta = dt.timedelta(weeks=6),
        max_concurrency: int = 4,
        clock: Callable[[], dt.datetime] = utc_now,
        conferencing: Sequence[ConferencingProvider] = (),
    ) -> None:
        self.provider = provider
        self.meetings = EventMeetings(conferencing)
        self.before = before
        self.after = after
        self.clock = clock
        self._calendars: dict[str, Calendar] = {}
        self._windows: dict[str, list[_Window]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._index = EventIndex()
        self._semaphore = asyncio.Semaphore(max_concurrency)

    def __reduce__(self) -> None:
        raise TypeError("Calendar events live only in memory; the cache cannot be pickled.")

    # -- reading -------------------------------------------------------------------------------

    @property
    def calendars(self) -> list[Calendar]:
        return list(self._calendars.values())

    def calendar(self, calendar_id: str) -> Calendar | None:
        return self._calendars.get(calendar_id)

    def get(self, calendar_id: str, event_id: str) -> Event | None:
        return self._index.get(calendar_id, event_id)

    def events_between(
        self, start: dt.datetime, end: dt.datetime, calendar_ids: Collection[str] | None = None
    ) -> list[Event]:
        """Loaded events that show in ``[start, end)``, by start time; call :meth:`ensure_range` first."""
        return self._index.between(start, end, calendar_ids)

    def loaded(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether ``[start, end)`` of the calendar is loaded."""
        return not _gaps(self._windows.get(calendar_id, []), start, end)

    def __len__(self) -> int:
        return len(self._index)

    # -- loading -------------------------------------------------------------------------------

    async def load(self) -> None:
        """The calendar list, and the window around today of each calendar."""
        calendars = await self.provider.list_calendars()
        gone = set(self._calendars) - {c.id for c in calendars}
        self._calendars = {c.id: c for c in calendars}
        for calendar_id in gone:
            self._forget_calendar(calendar_id)
        today = self.clock()
        await self.ensure_range(today - self.before, today + self.after)
        log.info("calendar cache: %d calendars, %d events", len(self._calendars), len(self._index))

    async def ensure_range(
        self, start: dt.datetime, end: dt.datetime, calendar_ids: Collection[str] | None = None
    ) -> None:
        """Load whatever of ``[start, end)`` is not loaded yet, in every calendar (or those named)."""
        start, end = _week_start(start), _week_start(end - dt.timedelta(microseconds=1)) + dt.timedelta(weeks=1)
        ids = list(self._calendars) if calendar_ids is None else [c for c in calendar_ids if c in self._calendars]
        await asyncio.gather(*(self._ensure(calendar_id, start, end) for calendar_id in ids))

    async def _ensure(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> None:
        async with self._lock(calendar_id):
            gaps = _gaps(self._windows.get(calendar_id, []), start, end)
            windows = await asyncio.gather(*(self._list(calendar_id, a, b) for a, b in gaps))
            if calendar_id not in self._calendars:
                return  # cleared (sign-out) or removed while loading
            for (a, b), window in zip(gaps, windows, strict=True):
                for event in window.events:
                    self._index.put(event)
                self._windows.setdefault(calendar_id, []).append(_Window(a, b, window.cursor))
            if gaps:
                log.debug("calendar %s: loaded %d windows", calendar_id, len(gaps))

    async def _list(self, calendar_id: str, start: dt.datetime, end: dt.datetime):
        async with self._semaphore:
            return await self.provider.list_events(calendar_id, start, end)

    def _lock(self, calendar_id: str) -> asyncio.Lock:
        return self._locks.setdefault(calendar_id, asyncio.Lock())

    # -- refreshing ----------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Bring every loaded window up to date: by its cursor where there is one, else by loading it again."""
        await asyncio.gather(*(self._refresh(calendar_id) for calendar_id in list(self._windows)))

    async def _refresh(self, calendar_id: str) -> None:
        async with self._lock(calendar_id):
            windows = self._windows.get(calendar_id, [])
            try:
                for window in windows:
                    if window.cursor is None:
                        raise CursorExpired("This window has no cursor.")
                    changes = await self._changes(calendar_id, window.cursor)
                    self._apply(calendar_id, changes)
                    window.cursor = changes.cursor or window.cursor
            except CursorExpired:
                log.info("calendar %s: cursor unknown to the server, reloading %d windows", calendar_id, len(windows))
                await self._reload(calendar_id)

    async def _changes(self, calendar_id: str, cursor: str) -> EventChanges:
        async with self._semaphore:
            return await self.provider.event_changes(calendar_id, cursor)

    def _apply(self, calendar_id: str, changes: EventChanges) -> None:
        for event in changes.upserted:
            self._index.put(event)
        for event_id in changes.deleted:
            self._index.remove(calendar_id, event_id)

    async def _reload(self, calendar_id: str) -> None:
        """Load a calendar's windows again and drop what they no longer hold (called under its lock)."""
        windows = self._windows.get(calendar_id, [])
        fresh = await asyncio.gather(*(self._list(calendar_id, w.start, w.end) for w in windows))
        if calendar_id not in self._calendars:
            return
        kept = {event.id for window in fresh for event in window.events}
        stale = [
            event.id
            for event in self._index
            if event.calendar_id == calendar_id
            and event.id not in kept
            and any(overlaps(event, w.start, w.end) for w in windows)
        ]
        for event_id in stale:
            self._index.remove(calendar_id, event_id)
        for window, loaded in zip(windows, fresh, strict=True):
            window.cursor = loaded.cursor
            for event in loaded.events:
                self._index.put(event)

    # -- changing: straight to the provider, then into the cache -------------------------------

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        return await self.meetings.create(event, lambda e: self._wrote(self.provider.create_event(e, notify=notify)))

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        before = self.get(event.calendar_id, event.id)
        return await self.meetings.update(
            before, event, lambda e: self._wrote(self.provider.update_event(e, notify=notify))
        )

    async def move_event(self, original: Event, event: Event, *, notify: bool = True) -> Event:
        """``original`` changed into ``event`` in another calendar. No provider moves an event between
        calendars: it is made anew there, then removed here; its meeting goes along (and moves with it)."""
        moved = attrs.evolve(event, id="", series_id=None, original_start=None)
        try:
            created = await self.meetings.update(
                original, moved, lambda e: self._wrote(self.provider.create_event(e, notify=notify))
            )
        except MeetingNotChanged:  # made anew all the same: the original must go, or it is there twice
            await self._remove_moved(original, notify=notify)
            raise
        await self._remove_moved(original, notify=notify)
        return created

    async def _remove_moved(self, original: Event, *, notify: bool) -> None:
        await self.provider.delete_event(original.calendar_id, original.id, notify=notify)
        self._index.remove(original.calendar_id, original.id)

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        """Delete an event or a whole series (by its id), and then the meeting it carries."""

        async def delete() -> None:
            await self.provider.delete_event(calendar_id, event_id, notify=notify)
            self._index.remove(calendar_id, event_id)

        await self.meetings.delete(self._held(calendar_id, event_id), delete)

    async def discard_draft(self, draft: Event, opened: Event | None) -> None:
        """An editor closed without saving: the meeting its draft got (not in ``opened``, the event as it
        was opened, None for a new one) is deleted, for no saved event carries it."""
        await self.meetings.discard(draft, opened)

    def _held(self, calendar_id: str, event_id: str) -> Event | None:
        """The event the cache holds, or the series of that id as one of its loaded occurrences shows it."""
        event = self.get(calendar_id, event_id)
        if event is not None:
            return event
        occurrence = next((e for e in self._index if e.calendar_id == calendar_id and e.series_id == event_id), None)
        if occurrence is None:
            return None
        return attrs.evolve(occurrence, id=event_id, series_id=None, original_start=None)

    async def respond(
        self,
        calendar_id: str,
        event_id: str,
        response: ResponseStatus,
        *,
        comment: str = "",
        notify: bool = True,
    ) -> Event:
        answered = await self.provider.respond(calendar_id, event_id, response, comment=comment, notify=notify)
        await self._took(answered)
        return answered

    async def _wrote(self, writing: Awaitable[Event]) -> Event:
        """The server's answer to a write, taken into the cache at once (before the meeting's steps that follow)."""
        written = await writing
        await self._took(written)
        return written

    async def _took(self, event: Event) -> None:
        """Put the server's version of a changed event into the cache.

        A series (or an occurrence that changes it) changes occurrences the answer does not list,
        so the calendar's windows are read again by their cursors.
        """
        if event.recurrence:
            await self._refresh(event.calendar_id)
        else:
            self._index.put(event)

    # -- forgetting ----------------------------------------------------------------------------

    def _forget_calendar(self, calendar_id: str) -> None:
        for event in [e for e in self._index if e.calendar_id == calendar_id]:
            self._index.remove(calendar_id, event.id)
        self._windows.pop(calendar_id, None)
        self._locks.pop(calendar_id, None)

    def clear(self) -> None:
        """Sign-out: drop every calendar and event."""
        self._calendars.clear()
        self._windows.clear()
        self._locks.clear()
        self._index.clear()

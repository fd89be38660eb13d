"""The emulated calendars: the user's own, a colleague's shared one, a delegator's, a room's.

Seeded from :func:`host.sandbox.datagen.generate_calendars`. Events are kept as the host's model
records (series masters with RRULE/EXDATE lines, exceptions with ``series_id``) and expanded with the
toolkit's recurrence code; every change is logged with the event as it was before, so that a
``calendarView/delta`` can name the occurrences that went away.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

import attrs

from host.model.calendar import Attendee, CalendarKind, Event, ResponseStatus, ShowAs
from host.model.mail import Address
from host.sandbox.datagen import generate_calendars
from host.sandbox.recurrence import localize, occurrences, slot_start, split_occurrence_id
from provider_m365.emulator.odata import GraphError, not_found


@attrs.define
class StoredCalendar:
    id: str
    name: str
    owner: Address
    color: str
    is_default: bool
    group: str  # "My Calendars" / "Other Calendars" / "" (rooms are in no group of the user's)
    kind: CalendarKind
    can_edit: bool
    permissions: list[dict] = attrs.Factory(list)


@attrs.frozen
class Change:
    seq: int
    calendar_id: str
    master_id: str
    before: Event | None  # the master (or single event) before the change; None when it was created
    before_exceptions: tuple[Event, ...] = ()


GRAPH_COLORS = {"#4285f4": "lightBlue", "#0b8043": "lightGreen", "#f4511e": "lightOrange", "#616161": "lightGray"}


class CalendarState:
    def __init__(self, owner: Address, events: int, seed: int) -> None:
        self.owner = owner
        self.lock = threading.RLock()
        generated = generate_calendars(events, seed=seed, owner=owner)
        self.people = generated.people
        self.seq = 0
        self.generation = 1
        self.calendars: dict[str, StoredCalendar] = {}
        self.events: dict[str, Event] = {}
        self.seqs: dict[str, int] = {}
        self.log: list[Change] = []
        self.responses: list[tuple[str, str, bool]] = []  # (event id, response, sendResponse)
        ids = {}
        for calendar in generated.calendars:
            graph_id = "AAMkAGcal" + calendar.id.replace("-", "")
            ids[calendar.id] = graph_id
            own = calendar.kind is CalendarKind.OWN
            self.calendars[graph_id] = StoredCalendar(
                id=graph_id,
                name=calendar.name if not calendar.primary else "Calendar",
                owner=calendar.owner or owner,
                color=GRAPH_COLORS.get(calendar.color or "", "auto"),
                is_default=calendar.primary or calendar.kind in (CalendarKind.SHARED, CalendarKind.DELEGATED),
                group="" if calendar.kind is CalendarKind.RESOURCE else ("My Calendars" if own else "Other Calendars"),
                kind=calendar.kind,
                can_edit=calendar.kind in (CalendarKind.OWN, CalendarKind.DELEGATED),
            )
        me = {"name": owner.name, "address": owner.email}
        primary = self.default_calendar(owner.email)
        primary.permissions = [
            _permission("RXhwb3J0", {"name": "My Organization"}, "freeBusyRead", removable=False),
            _permission("QW5h", _email(generated.people[1]), "read"),
        ]
        for calendar in self.calendars.values():
            if calendar.kind is CalendarKind.DELEGATED:
                calendar.permissions = [_permission("ZGVsZWdhdGU", me, "delegateWithPrivateEventAccess")]
            elif calendar.kind is CalendarKind.SHARED:
                calendar.permissions = [_permission("c2hhcmVk", me, "read")]
        for event in generated.events:
            self.events[event.id] = attrs.evolve(event, calendar_id=ids[event.calendar_id])
            self.seqs[event.id] = 0

    # -- lookups -----------------------------------------------------------------------------------

    def default_calendar(self, email: str) -> StoredCalendar:
        email = email.lower()
        for calendar in self.calendars.values():
            if calendar.owner.email.lower() == email and (
                calendar.is_default or calendar.kind is CalendarKind.RESOURCE
            ):
                return calendar
        raise not_found("The mailbox or its calendar was not found.")

    def calendar(self, calendar_id: str) -> StoredCalendar:
        found = self.calendars.get(calendar_id)
        if found is None:
            raise not_found("The calendar was not found.")
        return found

    def rooms(self) -> list[StoredCalendar]:
        return [c for c in self.calendars.values() if c.kind is CalendarKind.RESOURCE]

    def visible_to_owner(self) -> list[StoredCalendar]:
        """What ``/me/calendars`` lists: own calendars and the others' the user added (not rooms)."""
        return [c for c in self.calendars.values() if c.kind is not CalendarKind.RESOURCE]

    def masters(self, calendar_id: str) -> list[Event]:
        return [e for e in self.events.values() if e.calendar_id == calendar_id and e.series_id is None]

    def exceptions_of(self, master_id: str) -> list[Event]:
        return [e for e in self.events.values() if e.series_id == master_id]

    def expand(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> list[Event]:
        with self.lock:
            found: list[Event] = []
            for master in self.masters(calendar_id):
                found.extend(occurrences(master, self.exceptions_of(master.id), start, end))
            found.sort(key=lambda e: (e.start, e.id))
            return found

    def event(self, calendar_id: str, event_id: str) -> Event:
        """A stored event, or an occurrence of a stored series named by its occurrence id."""
        with self.lock:
            found = self.events.get(event_id)
            if found is not None and found.calendar_id == calendar_id:
                return localize(found)
            split = split_occurrence_id(event_id)
            if split is not None:
                master = self.events.get(split[0])
                if master is not None and master.calendar_id == calendar_id and master.recurrence:
                    start = slot_start(master, split[1])
                    window = occurrences(master, self.exceptions_of(master.id), start, start + dt.timedelta(seconds=1))
                    match = next((o for o in window if o.id == event_id), None)
                    if match is not None:
                        return match
            raise not_found("The specified object was not found in the store.")

    # -- changes ------------------------------------------------------------------------------------

    def _record(self, calendar_id: str, master_id: str) -> None:
        self.seq += 1
        before = self.events.get(master_id)
        self.log.append(Change(self.seq, calendar_id, master_id, before, tuple(self.exceptions_of(master_id))))
        self.seqs[master_id] = self.seq

    def put(self, event: Event) -> Event:
        """Create or replace a single event, a series master, or an exception (``series_id`` set)."""
        with self.lock:
            master_id = event.series_id or event.id
            self._record(event.calendar_id, master_id)
            self.events[event.id] = event
            return event

    def delete(self, calendar_id: str, event_id: str) -> None:
        with self.lock:
            event = self.event(calendar_id, event_id)
            if event.series_id and event.id not in self.events:
                # An occurrence: the series skips it from now on.
                master = localize(self.events[event.series_id])
                zone = master.time_zone or "UTC"
                when = (event.original_start or event.start).astimezone(master.start.tzinfo)
                exdate = f"EXDATE;TZID={zone}:{when.strftime('%Y%m%dT%H%M%S')}"
                self.put(attrs.evolve(master, recurrence=(*master.recurrence, exdate)))
                return
            master_id = event.series_id or event.id
            self._record(calendar_id, master_id)
            if event.series_id is None:
                for exception in self.exceptions_of(event.id):
                    del self.events[exception.id]
            del self.events[event.id]

    def changed_since(self, calendar_id: str, since: int, upto: int) -> Iterable[Change]:
        return [c for c in self.log if c.calendar_id == calendar_id and since < c.seq <= upto]

    def respond(self, calendar_id: str, event_id: str, response: ResponseStatus) -> Event:
        with self.lock:
            event = self.event(calendar_id, event_id)
            if event.organizer is not None and event.organizer.email.lower() == self.owner.email.lower():
                raise GraphError(400, "ErrorInvalidRequest", "You can't respond to a meeting you organized.")
            attendees = tuple(
                attrs.evolve(a, response=response) if a.address.email.lower() == self.owner.email.lower() else a
                for a in event.attendees
            )
            if not any(a.address.email.lower() == self.owner.email.lower() for a in attendees):
                attendees = (*attendees, Attendee(self.owner, response, is_self=True))
            return self.put(attrs.evolve(event, attendees=attendees, my_response=response))

    # -- availability -------------------------------------------------------------------------------

    def busy(self, email: str, start: dt.datetime, end: dt.datetime) -> list[Event] | None:
        """The events that fill ``email``'s time, or None when the emulator knows no such person."""
        email = email.lower()
        with self.lock:
            try:
                own = self.default_calendar(email)
            except GraphError:
                own = None
            if own is not None:
                found = self.expand(own.id, start, end)
            elif any(p.email.lower() == email for p in self.people):
                found = [
                    e
                    for c in self.calendars
                    for e in self.expand(c, start, end)
                    if any(
                        a.address.email.lower() == email and a.response is ResponseStatus.ACCEPTED for a in e.attendees
                    )
                ]
            else:
                return None
            return [e for e in found if e.show_as is not ShowAs.FREE]


def _email(address: Address) -> dict[str, str]:
    return {"name": address.name, "address": address.email}


def _permission(pid: str, email: dict[str, str], role: str, *, removable: bool = True) -> dict:
    return {
        "id": pid,
        "emailAddress": email,
        "role": role,
        "allowedRoles": ["none", "freeBusyRead", "limitedRead", "read", "write", "delegateWithoutPrivateEventAccess",
                         "delegateWithPrivateEventAccess"],
        "isRemovable": removable,
        "isInsideOrganization": True,
    }  # fmt: skip

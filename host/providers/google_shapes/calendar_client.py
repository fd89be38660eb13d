"""A calendar provider for an API shaped like Google Calendar v3: the calendar list, events by window
and by sync token, writes, answers to invitations, free/busy and delegates.

It serves every provider whose calendar API follows Google Calendar's JSON (Google Calendar, Zoom
Calendar). Each subclasses :class:`GoogleShapedCalendar` with how it sends a request (its client,
its paths, its rate-limit weights), how events become JSON and back (:mod:`.events` with its own
conferencing), and the few places where its API differs (the write method of an update, what a
second delete answers, how an invitation is answered, the shape of free/busy).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import quote

from host.errors import ProviderError
from host.model import (
    AccessRole,
    Address,
    BusyInterval,
    Calendar,
    CalendarKind,
    DelegatePermission,
    Event,
    FreeBusy,
    ResponseStatus,
)
from host.providers import EventChanges, EventWindow, ProviderConnection
from host.providers.google_shapes.events import calendar_path

FREEBUSY_LIMIT = 50


class Weight(enum.Enum):
    """How heavy a request is, for APIs that limit by weight (each subclass maps it to its own)."""

    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"


class GoogleShapedCalendar:
    """Every calendar one account reaches (a :class:`~host.providers.CalendarProvider`)."""

    #: The path of the API's root (``users/me/calendarList``, ``freeBusy``) and of a calendar's
    #: collection (``<CALENDARS>/<id>/events``).
    ROOT: ClassVar[str]
    CALENDARS: ClassVar[str]
    #: How many events a page of a listing asks for.
    PAGE: ClassVar[int]
    #: The method that replaces an event (PUT where the API has it, else PATCH with the whole body).
    UPDATE_METHOD: ClassVar[str]
    #: Statuses a delete of an event that is gone already answers: what was asked is done.
    GONE: ClassVar[tuple[int, ...]]

    def __init__(self, connection: ProviderConnection) -> None:
        self.connection = connection
        self._zones: dict[str, str] = {}

    # -- what each API does its own way ----------------------------------------------------------------

    async def _request(
        self, method: str, path: str, weight: Weight, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        raise NotImplementedError

    def event_from_json(self, resource: dict, calendar_id: str, zone_name: str) -> Event:
        raise NotImplementedError

    def event_to_json(self, event: Event) -> dict:
        raise NotImplementedError

    def calendar_kind(self, entry: dict) -> CalendarKind:
        raise NotImplementedError

    def _write_params(self, notify: bool) -> dict[str, Any]:
        return {"sendUpdates": "all" if notify else "none"}

    def _answer(self, attendees: list[dict], mine: list[dict], response: ResponseStatus, comment: str) -> dict:
        """The PATCH body that answers an invitation: ``mine`` are the user's entries in ``attendees``."""
        raise NotImplementedError

    def _busy_entries(self, answer: dict) -> dict[str, dict]:
        """A free/busy answer's calendars by the id they were asked for."""
        raise NotImplementedError

    # -- calendars ----------------------------------------------------------------------------------

    @property
    def _me(self) -> str:
        return self.connection.account.email

    async def _entries(self) -> list[dict]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self._request(
                "GET", f"{self.ROOT}/users/me/calendarList", Weight.HEAVY, params={"maxResults": 250, "pageToken": page}
            )
            items.extend(answer.get("items", []))
            page = answer.get("nextPageToken")
            if not page:
                return items

    async def list_calendars(self) -> list[Calendar]:
        calendars = []
        for entry in await self._entries():
            kind = self.calendar_kind(entry)
            self._zones[entry["id"]] = entry.get("timeZone", "UTC")
            owner = (
                Address(self._me, self.connection.account.display_name)
                if kind is CalendarKind.OWN
                else Address(entry["id"], entry.get("summary", ""))
            )
            calendars.append(
                Calendar(
                    id=entry["id"],
                    name=entry.get("summaryOverride") or entry.get("summary", entry["id"]),
                    kind=kind,
                    access_role=AccessRole(entry.get("accessRole", "reader")),
                    owner=owner,
                    color=entry.get("backgroundColor"),
                    primary=bool(entry.get("primary")),
                    time_zone=entry.get("timeZone"),
                    provider_data={"etag": entry.get("etag")},
                )
            )
        return calendars

    async def _zone_of(self, calendar_id: str) -> str:
        if calendar_id not in self._zones:
            answer = await self._request("GET", f"{self.CALENDARS}/{calendar_path(calendar_id)}", Weight.LIGHT)
            self._zones[calendar_id] = answer.get("timeZone", "UTC")
        return self._zones[calendar_id]

    # -- events ------------------------------------------------------------------------------------

    def _events_path(self, calendar_id: str, event_id: str | None = None) -> str:
        path = f"{self.CALENDARS}/{calendar_path(calendar_id)}/events"
        return f"{path}/{quote(event_id)}" if event_id is not None else path

    async def _pages(self, calendar_id: str, params: dict[str, Any]) -> tuple[list[dict], str | None, str]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self._request(
                "GET", self._events_path(calendar_id), Weight.MEDIUM, params={**params, "pageToken": page}
            )
            items.extend(answer.get("items", []))
            page = answer.get("nextPageToken")
            if not page:
                return items, answer.get("nextSyncToken"), answer.get("timeZone", "UTC")

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow:
        params = {
            "singleEvents": True,
            "timeMin": start.isoformat(),
            "timeMax": end.isoformat(),
            "maxResults": self.PAGE,
        }
        items, cursor, zone = await self._pages(calendar_id, params)
        self._zones[calendar_id] = zone
        events = tuple(
            self.event_from_json(item, calendar_id, zone) for item in items if item.get("status") != "cancelled"
        )
        return EventWindow(events, cursor)

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        """Raises CursorExpired on 410; the sync token keeps the window it was made for."""
        items, next_cursor, zone = await self._pages(
            calendar_id, {"syncToken": cursor, "singleEvents": True, "maxResults": self.PAGE}
        )
        upserted = tuple(
            self.event_from_json(item, calendar_id, zone) for item in items if item.get("status") != "cancelled"
        )
        deleted = tuple(item["id"] for item in items if item.get("status") == "cancelled")
        return EventChanges(upserted, deleted, next_cursor)

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        created = await self._request(
            "POST",
            self._events_path(event.calendar_id),
            Weight.HEAVY,
            params=self._write_params(notify),
            body=self.event_to_json(event),
        )
        return self.event_from_json(created, event.calendar_id, await self._zone_of(event.calendar_id))

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        updated = await self._request(
            self.UPDATE_METHOD,
            self._events_path(event.calendar_id, event.id),
            Weight.HEAVY,
            params=self._write_params(notify),
            body=self.event_to_json(event),
        )
        return self.event_from_json(updated, event.calendar_id, await self._zone_of(event.calendar_id))

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        try:
            await self._request(
                "DELETE",
                self._events_path(calendar_id, event_id),
                Weight.HEAVY,
                params={"sendUpdates": "all" if notify else "none"},
            )
        except ProviderError as error:
            if error.status not in self.GONE:  # deleted already: what was asked is done
                raise

    async def respond(
        self,
        calendar_id: str,
        event_id: str,
        response: ResponseStatus,
        *,
        comment: str = "",
        notify: bool = True,
    ) -> Event:
        path = self._events_path(calendar_id, event_id)
        current = await self._request("GET", path, Weight.LIGHT)
        attendees = current.get("attendees", [])
        mine = [a for a in attendees if a.get("self") or a.get("email", "").lower() == self._me.lower()]
        if not mine:
            raise ProviderError("You are not invited to this event, so there is nothing to answer.", status=400)
        for attendee in mine:
            attendee["responseStatus"] = response.value
        body = self._answer(attendees, mine, response, comment)
        patched = await self._request("PATCH", path, Weight.HEAVY, params=self._write_params(notify), body=body)
        return self.event_from_json(patched, calendar_id, await self._zone_of(calendar_id))

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        results = []
        for first in range(0, len(addresses), FREEBUSY_LIMIT):
            chunk = list(addresses[first : first + FREEBUSY_LIMIT])
            answer = await self._request(
                "POST",
                f"{self.ROOT}/freeBusy",
                Weight.MEDIUM,
                body={"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": [{"id": a} for a in chunk]},
            )
            found = self._busy_entries(answer)
            for address in chunk:
                entry = found.get(address, {})
                errors = entry.get("errors") or []
                busy = tuple(
                    BusyInterval(dt.datetime.fromisoformat(b["start"]), dt.datetime.fromisoformat(b["end"]))
                    for b in entry.get("busy", [])
                )
                results.append(FreeBusy(address, busy, errors[0].get("reason") if errors else None))
        return results

    async def delegate_permissions(self) -> list[DelegatePermission]:
        me = Address(self._me, self.connection.account.display_name)
        return [
            DelegatePermission(
                calendar.id, calendar.owner or Address(calendar.id), me, calendar.access_role, calendar.writable
            )
            for calendar in await self.list_calendars()
            if calendar.kind is CalendarKind.DELEGATED
        ]

    async def aclose(self) -> None:
        """Nothing of its own to release: the host closes the HTTP client."""

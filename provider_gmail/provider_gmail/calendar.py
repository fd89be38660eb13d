"""The Google Calendar provider: Calendar API v3 over the account's authorised client.

Never a Google Meet (promise 1): writes never carry ``conferenceData`` and always say
``conferenceDataVersion=0``, which makes Google ignore conference data altogether. A Zoom meeting
goes into the location, the description and private extended properties instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
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
    OnlineMeeting,
    ResponseStatus,
)
from host.providers import EventChanges, EventWindow, ProviderConnection
from host.providers.google_shapes import events
from host.providers.google_shapes.events import calendar_path, event_body, event_from_json, write_meeting_text
from provider_gmail.account import CALENDAR_CAPABILITIES
from provider_gmail.api import GoogleApi

BASE = "calendar/v3"
PAGE = 2500
FREEBUSY_LIMIT = 50
#: Calendars that are not a person's: resources, groups, imported and public holiday calendars.
NOT_PEOPLE = ("resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com")


def event_from_google(resource: dict, calendar_id: str, zone_name: str) -> Event:
    """An event resource as an Event; a Zoom meeting comes from the private extended properties."""
    private = (resource.get("extendedProperties") or {}).get("private", {})
    meeting = None
    if private.get("zoomJoinUrl"):
        meeting = OnlineMeeting(
            "zoom", private["zoomJoinUrl"], private.get("zoomMeetingId", ""), host_email=private.get("zoomHost")
        )
    return event_from_json(
        resource,
        calendar_id,
        zone_name,
        online_meeting=meeting,
        provider_keys=("etag", "iCalUID", "sequence", "htmlLink"),
    )


def event_to_google(event: Event) -> dict:
    """The event body Google takes: no conferenceData, ever; a Zoom meeting is written as text."""
    body = event_body(event, organizer_flag=True)
    if event.recurrence and event.series_id is None:
        body["recurrence"] = list(event.recurrence)
    meeting = event.online_meeting
    if meeting is not None:
        write_meeting_text(body, meeting, heading="Join Zoom meeting", dial_in=False)
        private = {"zoomJoinUrl": meeting.join_url, "zoomMeetingId": meeting.meeting_id}
        if meeting.host_email:
            private["zoomHost"] = meeting.host_email
        body["extendedProperties"] = {"private": private}
    return body


def calendar_kind(entry: dict, account_email: str) -> CalendarKind:
    return events.calendar_kind(
        entry, account_email, resource_suffix="@resource.calendar.google.com", not_people=NOT_PEOPLE
    )


class GoogleCalendar:
    """Every calendar one Google account reaches (a :class:`~host.providers.CalendarProvider`)."""

    capabilities = CALENDAR_CAPABILITIES

    def __init__(self, connection: ProviderConnection) -> None:
        self.connection = connection
        self.api = GoogleApi(connection, "calendar", "Google Calendar")
        self._zones: dict[str, str] = {}

    @property
    def _me(self) -> str:
        return self.connection.account.email

    async def _entries(self) -> list[dict]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self.api.request(
                "GET", f"{BASE}/users/me/calendarList", params={"maxResults": 250, "pageToken": page}
            )
            items.extend(answer.get("items", []))
            page = answer.get("nextPageToken")
            if not page:
                return items

    async def list_calendars(self) -> list[Calendar]:
        calendars = []
        for entry in await self._entries():
            kind = calendar_kind(entry, self._me)
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
            answer = await self.api.request("GET", f"{BASE}/calendars/{calendar_path(calendar_id)}")
            self._zones[calendar_id] = answer.get("timeZone", "UTC")
        return self._zones[calendar_id]

    async def _pages(self, calendar_id: str, params: dict[str, Any]) -> tuple[list[dict], str | None, str]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self.api.request(
                "GET", f"{BASE}/calendars/{calendar_path(calendar_id)}/events", params={**params, "pageToken": page}
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
            "maxResults": PAGE,
        }
        items, cursor, zone = await self._pages(calendar_id, params)
        self._zones[calendar_id] = zone
        events = tuple(
            event_from_google(item, calendar_id, zone) for item in items if item.get("status") != "cancelled"
        )
        return EventWindow(events, cursor)

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        """Raises CursorExpired on 410; the sync token keeps the window it was made for."""
        items, next_cursor, zone = await self._pages(
            calendar_id, {"syncToken": cursor, "singleEvents": True, "maxResults": PAGE}
        )
        upserted = tuple(
            event_from_google(item, calendar_id, zone) for item in items if item.get("status") != "cancelled"
        )
        deleted = tuple(item["id"] for item in items if item.get("status") == "cancelled")
        return EventChanges(upserted, deleted, next_cursor)

    def _write_params(self, notify: bool) -> dict[str, Any]:
        # conferenceDataVersion=0: Google ignores conference data, so no Meet can ever be added.
        return {"conferenceDataVersion": 0, "sendUpdates": "all" if notify else "none"}

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        created = await self.api.request(
            "POST",
            f"{BASE}/calendars/{calendar_path(event.calendar_id)}/events",
            params=self._write_params(notify),
            body=event_to_google(event),
        )
        return event_from_google(created, event.calendar_id, await self._zone_of(event.calendar_id))

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        updated = await self.api.request(
            "PUT",
            f"{BASE}/calendars/{calendar_path(event.calendar_id)}/events/{quote(event.id)}",
            params=self._write_params(notify),
            body=event_to_google(event),
        )
        return event_from_google(updated, event.calendar_id, await self._zone_of(event.calendar_id))

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        try:
            await self.api.request(
                "DELETE",
                f"{BASE}/calendars/{calendar_path(calendar_id)}/events/{quote(event_id)}",
                params={"sendUpdates": "all" if notify else "none"},
            )
        except ProviderError as error:
            if error.status != 410:  # deleted already: what was asked is done
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
        path = f"{BASE}/calendars/{calendar_path(calendar_id)}/events/{quote(event_id)}"
        current = await self.api.request("GET", path)
        attendees = current.get("attendees", [])
        mine = [a for a in attendees if a.get("self") or a.get("email", "").lower() == self._me.lower()]
        if not mine:
            raise ProviderError("You are not invited to this event, so there is nothing to answer.", status=400)
        for attendee in mine:
            attendee["responseStatus"] = response.value
            if comment:
                attendee["comment"] = comment
        patched = await self.api.request(
            "PATCH", path, params=self._write_params(notify), body={"attendees": attendees}
        )
        return event_from_google(patched, calendar_id, await self._zone_of(calendar_id))

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        results = []
        for first in range(0, len(addresses), FREEBUSY_LIMIT):
            chunk = list(addresses[first : first + FREEBUSY_LIMIT])
            answer = await self.api.request(
                "POST",
                f"{BASE}/freeBusy",
                body={"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": [{"id": a} for a in chunk]},
            )
            for address in chunk:
                found = answer.get("calendars", {}).get(address, {})
                errors = found.get("errors") or []
                busy = tuple(
                    BusyInterval(dt.datetime.fromisoformat(b["start"]), dt.datetime.fromisoformat(b["end"]))
                    for b in found.get("busy", [])
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

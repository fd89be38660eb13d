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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from host.errors import ProviderError
from host.model import (
    AccessRole,
    Address,
    Attendee,
    AttendeeRole,
    BusyInterval,
    Calendar,
    CalendarKind,
    DelegatePermission,
    Event,
    EventStatus,
    FreeBusy,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
    ShowAs,
)
from host.providers import EventChanges, EventWindow, ProviderConnection
from provider_gmail.account import CALENDAR_CAPABILITIES
from provider_gmail.api import GoogleApi

BASE = "calendar/v3"
PAGE = 2500
FREEBUSY_LIMIT = 50
#: Calendars that are not a person's: resources, groups, imported and public holiday calendars.
NOT_PEOPLE = ("resource.calendar.google.com", "group.calendar.google.com", "group.v.calendar.google.com")


def _cal(calendar_id: str) -> str:
    return quote(calendar_id, safe="@")


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _when(field: dict, zone_name: str) -> tuple[dt.datetime, bool, str]:
    zone = field.get("timeZone") or zone_name
    if field.get("date"):
        day = dt.date.fromisoformat(field["date"])
        return dt.datetime.combine(day, dt.time(), _zone(zone)), True, zone
    return dt.datetime.fromisoformat(field["dateTime"]).astimezone(_zone(zone)), False, zone


def _time(value: dt.datetime, all_day: bool, zone: str) -> dict:
    if all_day:
        return {"date": value.astimezone(_zone(zone)).date().isoformat()}
    return {"dateTime": value.isoformat(timespec="seconds"), "timeZone": zone}


def _address(person: dict | None) -> Address | None:
    if not person or not person.get("email"):
        return None
    return Address(person["email"], person.get("displayName", ""))


def event_from_google(resource: dict, calendar_id: str, zone_name: str) -> Event:
    start, all_day, zone = _when(resource["start"], zone_name)
    end, _, _ = _when(resource["end"], zone)
    attendees = tuple(
        Attendee(
            Address(a["email"], a.get("displayName", "")),
            ResponseStatus(a.get("responseStatus", "needsAction")),
            AttendeeRole.RESOURCE
            if a.get("resource")
            else (AttendeeRole.OPTIONAL if a.get("optional") else AttendeeRole.REQUIRED),
            organizer=bool(a.get("organizer")),
            is_self=bool(a.get("self")),
        )
        for a in resource.get("attendees", [])
    )
    mine = next((a.response for a in attendees if a.is_self), None)
    reminders = tuple(
        Reminder(int(r["minutes"]), r.get("method", "popup"))
        for r in (resource.get("reminders") or {}).get("overrides", [])
    )
    private = (resource.get("extendedProperties") or {}).get("private", {})
    meeting = None
    if private.get("zoomJoinUrl"):
        meeting = OnlineMeeting(
            "zoom", private["zoomJoinUrl"], private.get("zoomMeetingId", ""), host_email=private.get("zoomHost")
        )
    original = resource.get("originalStartTime")
    return Event(
        id=resource["id"],
        calendar_id=calendar_id,
        title=resource.get("summary", ""),
        start=start,
        end=end,
        all_day=all_day,
        time_zone=zone,
        location=resource.get("location", ""),
        description=resource.get("description", ""),
        organizer=_address(resource.get("organizer")),
        attendees=attendees,
        recurrence=tuple(resource.get("recurrence", [])),
        series_id=resource.get("recurringEventId"),
        original_start=_when(original, zone)[0] if original else None,
        status=EventStatus(resource.get("status", "confirmed")),
        show_as=ShowAs.FREE if resource.get("transparency") == "transparent" else ShowAs.BUSY,
        reminders=reminders,
        online_meeting=meeting,
        my_response=mine,
        updated=dt.datetime.fromisoformat(resource["updated"]) if resource.get("updated") else None,
        provider_data={key: resource[key] for key in ("etag", "iCalUID", "sequence", "htmlLink") if key in resource},
    )


def event_to_google(event: Event) -> dict:
    """The event body Google takes: no conferenceData, ever; a Zoom meeting is written as text."""
    body: dict[str, Any] = {
        "summary": event.title,
        "description": event.description,
        "location": event.location,
        "start": _time(event.start, event.all_day, event.time_zone),
        "end": _time(event.end, event.all_day, event.time_zone),
        "status": event.status.value,
        "transparency": "transparent" if event.show_as is ShowAs.FREE else "opaque",
        "reminders": {
            "useDefault": False,
            "overrides": [{"method": r.method, "minutes": r.minutes} for r in event.reminders],
        },
        "attendees": [
            {
                "email": a.address.email,
                **({"displayName": a.address.name} if a.address.name else {}),
                "responseStatus": a.response.value,
                **({"optional": True} if a.role is AttendeeRole.OPTIONAL else {}),
                **({"resource": True} if a.role is AttendeeRole.RESOURCE else {}),
                **({"organizer": True} if a.organizer else {}),
            }
            for a in event.attendees
        ],
    }
    if event.recurrence and event.series_id is None:
        body["recurrence"] = list(event.recurrence)
    meeting = event.online_meeting
    if meeting is not None:
        # The start URL is the host's own and never goes into an invitation.
        if not body["location"]:
            body["location"] = meeting.join_url
        if meeting.join_url not in body["description"]:
            body["description"] = (body["description"] + "\n\n" if body["description"] else "") + (
                f"Join Zoom meeting: {meeting.join_url}"
                + (f"\nMeeting ID: {meeting.meeting_id}" if meeting.meeting_id else "")
                + (f"\nPasscode: {meeting.passcode}" if meeting.passcode else "")
            )
        private = {"zoomJoinUrl": meeting.join_url, "zoomMeetingId": meeting.meeting_id}
        if meeting.host_email:
            private["zoomHost"] = meeting.host_email
        body["extendedProperties"] = {"private": private}
    return body


def calendar_kind(entry: dict, account_email: str) -> CalendarKind:
    calendar_id = entry["id"]
    if entry.get("primary") or calendar_id.lower() == account_email.lower():
        return CalendarKind.OWN
    if calendar_id.endswith("@resource.calendar.google.com"):
        return CalendarKind.RESOURCE
    if entry.get("accessRole") == "owner" and calendar_id.endswith(NOT_PEOPLE):
        return CalendarKind.OWN
    is_person = "@" in calendar_id and not calendar_id.endswith(NOT_PEOPLE)
    if is_person and entry.get("accessRole") in ("writer", "owner"):
        return CalendarKind.DELEGATED
    return CalendarKind.SHARED


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
            answer = await self.api.request("GET", f"{BASE}/calendars/{_cal(calendar_id)}")
            self._zones[calendar_id] = answer.get("timeZone", "UTC")
        return self._zones[calendar_id]

    async def _pages(self, calendar_id: str, params: dict[str, Any]) -> tuple[list[dict], str | None, str]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self.api.request(
                "GET", f"{BASE}/calendars/{_cal(calendar_id)}/events", params={**params, "pageToken": page}
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
            f"{BASE}/calendars/{_cal(event.calendar_id)}/events",
            params=self._write_params(notify),
            body=event_to_google(event),
        )
        return event_from_google(created, event.calendar_id, await self._zone_of(event.calendar_id))

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        updated = await self.api.request(
            "PUT",
            f"{BASE}/calendars/{_cal(event.calendar_id)}/events/{quote(event.id)}",
            params=self._write_params(notify),
            body=event_to_google(event),
        )
        return event_from_google(updated, event.calendar_id, await self._zone_of(event.calendar_id))

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        try:
            await self.api.request(
                "DELETE",
                f"{BASE}/calendars/{_cal(calendar_id)}/events/{quote(event_id)}",
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
        path = f"{BASE}/calendars/{_cal(calendar_id)}/events/{quote(event_id)}"
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

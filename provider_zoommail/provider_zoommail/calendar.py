"""The Zoom Calendar provider: ``/calendars/...`` over the account's authorised client.

Zoom Calendar mirrors Google Calendar (calendar list, events with sync tokens, free/busy) with two
differences that matter here: events change by PATCH only, and the only conferencing is Zoom's.
A write never carries any conference data; a Zoom meeting is written as text (the join link in the
location when that is empty, and in the description) and read back from there.

When the user's ``autoAddZoomMeeting`` setting is on, Zoom Calendar adds a Zoom meeting to each new
event without one by itself. :meth:`ZoomCalendar.auto_adds_zoom_meeting` tells whether it is on, so
that the meetings plugin lets the server add the meeting instead of creating a second one; an event
that already carries a Zoom join link gets none added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from host.errors import CursorExpired, ProviderError, ZoomclientError
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
from provider_zoommail.account import CALENDAR_CAPABILITIES
from provider_zoommail.api import RateBucket, RateLabel, ZoomApi

BASE = "calendars"
PAGE = 250
FREEBUSY_LIMIT = 50
AUTO_ADD = "autoAddZoomMeeting"
#: Calendars that are not a person's: resources and group calendars.
NOT_PEOPLE = ("resource.calendar.zoom.us", "group.calendar.zoom.us")
#: A Zoom join link (any of Zoom's hosts, vanity subdomains included) and its meeting number.
JOIN_URL = re.compile(r"https://(?:[\w-]+\.)*zoom\.us/j/(\d{9,11})(?:\?pwd=[\w.-]+)?")
LIGHT, MEDIUM, HEAVY = RateLabel.LIGHT, RateLabel.MEDIUM, RateLabel.HEAVY


def meeting_in(location: str, description: str) -> OnlineMeeting | None:
    """The Zoom meeting an event's text carries (its join link), if any."""
    found = JOIN_URL.search(location) or JOIN_URL.search(description)
    if found is None:
        return None
    return OnlineMeeting("zoom", found.group(0), found.group(1))


def event_from_zoom(resource: dict, calendar_id: str, zone_name: str) -> Event:
    """An event resource as an Event; a Zoom meeting comes from its text (the join link)."""
    meeting = meeting_in(resource.get("location", ""), resource.get("description", ""))
    return event_from_json(
        resource, calendar_id, zone_name, online_meeting=meeting, provider_keys=("etag", "iCalUID", "sequence")
    )


def event_to_zoom(event: Event) -> dict:
    """The event body Zoom Calendar takes: no conference data, ever; a Zoom meeting is written as text,
    and any other meeting is refused (promise 1)."""
    body = event_body(event, organizer_flag=False)
    if event.series_id is None:  # an occurrence has no rules of its own; an empty list ends a series
        body["recurrence"] = list(event.recurrence)
    meeting = event.online_meeting
    if meeting is not None and meeting.provider != "zoom":
        raise ZoomclientError(
            f"Only Zoom meetings can be added to events, not {meeting.provider}.",
            hint="Remove the meeting, or add a Zoom meeting instead.",
        )
    if meeting is not None:
        write_meeting_text(body, meeting, heading="Join Zoom Meeting", dial_in=True)
    return body


def calendar_kind(entry: dict, account_email: str) -> CalendarKind:
    return events.calendar_kind(
        entry, account_email, resource_suffix="@resource.calendar.zoom.us", not_people=NOT_PEOPLE
    )


class ZoomCalendar:
    """Every calendar one Zoom account reaches (a :class:`~host.providers.CalendarProvider`)."""

    capabilities = CALENDAR_CAPABILITIES

    def __init__(self, connection: ProviderConnection, bucket: RateBucket | None = None) -> None:
        self.connection = connection
        self.api = ZoomApi(connection, "Zoom Calendar", bucket)
        self._zones: dict[str, str] = {}

    @property
    def _me(self) -> str:
        return self.connection.account.email

    # -- the autoAddZoomMeeting setting --------------------------------------------------------------

    async def auto_adds_zoom_meeting(self) -> bool:
        """Whether Zoom Calendar adds a Zoom meeting to each new event by itself (the user's
        ``autoAddZoomMeeting`` setting). When True, a caller that wants a meeting on a new event
        leaves ``online_meeting`` empty and reads the server's meeting from the created event."""
        setting = await self.api.request("GET", f"{BASE}/users/me/settings/{AUTO_ADD}", LIGHT)
        return str(setting.get("value", "false")).lower() == "true"

    async def set_auto_add_zoom_meeting(self, on: bool) -> None:
        await self.api.request(
            "PATCH", f"{BASE}/users/me/settings/{AUTO_ADD}", LIGHT, body={"id": AUTO_ADD, "value": str(on).lower()}
        )

    # -- calendars ----------------------------------------------------------------------------------

    async def _entries(self) -> list[dict]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self.api.request(
                "GET", f"{BASE}/users/me/calendarList", HEAVY, params={"maxResults": 250, "pageToken": page}
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
            answer = await self.api.request("GET", f"{BASE}/{calendar_path(calendar_id)}", LIGHT)
            self._zones[calendar_id] = answer.get("timeZone", "UTC")
        return self._zones[calendar_id]

    # -- events ------------------------------------------------------------------------------------

    async def _pages(self, calendar_id: str, params: dict[str, Any]) -> tuple[list[dict], str | None, str]:
        items: list[dict] = []
        page: str | None = None
        while True:
            answer = await self.api.request(
                "GET", f"{BASE}/{calendar_path(calendar_id)}/events", MEDIUM, params={**params, "pageToken": page}
            )
            items.extend(answer.get("items", []))
            page = answer.get("nextPageToken")
            if not page:
                return items, answer.get("nextSyncToken"), answer.get("timeZone", "UTC")

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow:
        params = {"singleEvents": True, "timeMin": start.isoformat(), "timeMax": end.isoformat(), "maxResults": PAGE}
        items, cursor, zone = await self._pages(calendar_id, params)
        self._zones[calendar_id] = zone
        events = tuple(event_from_zoom(item, calendar_id, zone) for item in items if item.get("status") != "cancelled")
        return EventWindow(events, cursor)

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        """Raises CursorExpired on 410; the sync token keeps the window it was made for."""
        try:
            items, next_cursor, zone = await self._pages(
                calendar_id, {"syncToken": cursor, "singleEvents": True, "maxResults": PAGE}
            )
        except ProviderError as error:
            if error.status == 410:
                raise CursorExpired("Zoom Calendar no longer knows the sync position.") from error
            raise
        upserted = tuple(
            event_from_zoom(item, calendar_id, zone) for item in items if item.get("status") != "cancelled"
        )
        deleted = tuple(item["id"] for item in items if item.get("status") == "cancelled")
        return EventChanges(upserted, deleted, next_cursor)

    @staticmethod
    def _notify(notify: bool) -> dict[str, str]:
        return {"sendUpdates": "all" if notify else "none"}

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        created = await self.api.request(
            "POST",
            f"{BASE}/{calendar_path(event.calendar_id)}/events",
            HEAVY,
            params=self._notify(notify),
            body=event_to_zoom(event),
        )
        return event_from_zoom(created, event.calendar_id, await self._zone_of(event.calendar_id))

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        """Zoom Calendar changes events by PATCH only; the whole writable body is sent."""
        updated = await self.api.request(
            "PATCH",
            f"{BASE}/{calendar_path(event.calendar_id)}/events/{quote(event.id)}",
            HEAVY,
            params=self._notify(notify),
            body=event_to_zoom(event),
        )
        return event_from_zoom(updated, event.calendar_id, await self._zone_of(event.calendar_id))

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        try:
            await self.api.request(
                "DELETE",
                f"{BASE}/{calendar_path(calendar_id)}/events/{quote(event_id)}",
                HEAVY,
                params=self._notify(notify),
            )
        except ProviderError as error:
            if error.status not in (404, 410):  # deleted already: what was asked is done
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
        """Answers through the attendee list (the spec's attendees carry no comment: ``comment`` is
        not sent)."""
        path = f"{BASE}/{calendar_path(calendar_id)}/events/{quote(event_id)}"
        current = await self.api.request("GET", path, LIGHT)
        attendees = current.get("attendees", [])
        mine = [a for a in attendees if a.get("self") or a.get("email", "").lower() == self._me.lower()]
        if not mine:
            raise ProviderError("You are not invited to this event, so there is nothing to answer.", status=400)
        for attendee in mine:
            attendee["responseStatus"] = response.value
        writable = ("email", "displayName", "optional", "resource", "responseStatus", "additionalGuests")
        body = {"attendees": [{k: a[k] for k in writable if k in a} for a in attendees]}
        patched = await self.api.request("PATCH", path, HEAVY, params=self._notify(notify), body=body)
        return event_from_zoom(patched, calendar_id, await self._zone_of(calendar_id))

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        results = []
        for first in range(0, len(addresses), FREEBUSY_LIMIT):
            chunk = list(addresses[first : first + FREEBUSY_LIMIT])
            answer = await self.api.request(
                "POST",
                f"{BASE}/freeBusy",
                MEDIUM,
                body={"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": [{"id": a} for a in chunk]},
            )
            # Zoom answers a list of calendars, each with its id (Google answers a map).
            found = {entry.get("id"): entry for entry in answer.get("calendars", [])}
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

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

import re
from typing import Any

from host.errors import CursorExpired, ProviderError, ZoomclientError
from host.model import (
    CalendarKind,
    Event,
    OnlineMeeting,
    ResponseStatus,
)
from host.providers import EventChanges, ProviderConnection
from host.providers.google_shapes import events
from host.providers.google_shapes.calendar_client import GoogleShapedCalendar, Weight
from host.providers.google_shapes.events import event_body, event_from_json, write_meeting_text
from provider_zoommail.account import CALENDAR_CAPABILITIES
from provider_zoommail.api import RateBucket, RateLabel, ZoomApi

BASE = "calendars"
PAGE = 250
AUTO_ADD = "autoAddZoomMeeting"
#: Calendars that are not a person's: resources and group calendars.
NOT_PEOPLE = ("resource.calendar.zoom.us", "group.calendar.zoom.us")
#: A Zoom join link (any of Zoom's hosts, vanity subdomains included) and its meeting number.
JOIN_URL = re.compile(r"https://(?:[\w-]+\.)*zoom\.us/j/(\d{9,11})(?:\?pwd=[\w.-]+)?")


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


class ZoomCalendar(GoogleShapedCalendar):
    """Every calendar one Zoom account reaches (a :class:`~host.providers.CalendarProvider`)."""

    capabilities = CALENDAR_CAPABILITIES
    ROOT = CALENDARS = BASE
    PAGE = PAGE
    # Zoom Calendar changes events by PATCH only; the whole writable body is sent.
    UPDATE_METHOD = "PATCH"
    GONE = (404, 410)

    def __init__(self, connection: ProviderConnection, bucket: RateBucket | None = None) -> None:
        super().__init__(connection)
        self.api = ZoomApi(connection, "Zoom Calendar", bucket)

    async def _request(
        self, method: str, path: str, weight: Weight, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        return await self.api.request(method, path, RateLabel[weight.name], params=params, body=body)

    def event_from_json(self, resource: dict, calendar_id: str, zone_name: str) -> Event:
        return event_from_zoom(resource, calendar_id, zone_name)

    def event_to_json(self, event: Event) -> dict:
        return event_to_zoom(event)

    def calendar_kind(self, entry: dict) -> CalendarKind:
        return calendar_kind(entry, self._me)

    def _answer(self, attendees: list[dict], mine: list[dict], response: ResponseStatus, comment: str) -> dict:
        """The spec's attendees carry no comment: ``comment`` is not sent."""
        writable = ("email", "displayName", "optional", "resource", "responseStatus", "additionalGuests")
        return {"attendees": [{k: a[k] for k in writable if k in a} for a in attendees]}

    def _busy_entries(self, answer: dict) -> dict[str, dict]:
        # Zoom answers a list of calendars, each with its id (Google answers a map).
        return {entry.get("id"): entry for entry in answer.get("calendars", [])}

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        try:
            return await super().event_changes(calendar_id, cursor)
        except ProviderError as error:
            if error.status == 410:
                raise CursorExpired("Zoom Calendar no longer knows the sync position.") from error
            raise

    # -- the autoAddZoomMeeting setting --------------------------------------------------------------

    async def auto_adds_zoom_meeting(self) -> bool:
        """Whether Zoom Calendar adds a Zoom meeting to each new event by itself (the user's
        ``autoAddZoomMeeting`` setting). When True, a caller that wants a meeting on a new event
        leaves ``online_meeting`` empty and reads the server's meeting from the created event."""
        setting = await self.api.request("GET", f"{BASE}/users/me/settings/{AUTO_ADD}", RateLabel.LIGHT)
        return str(setting.get("value", "false")).lower() == "true"

    async def set_auto_add_zoom_meeting(self, on: bool) -> None:
        await self.api.request(
            "PATCH",
            f"{BASE}/users/me/settings/{AUTO_ADD}",
            RateLabel.LIGHT,
            body={"id": AUTO_ADD, "value": str(on).lower()},
        )

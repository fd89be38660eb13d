"""The Google Calendar provider: Calendar API v3 over the account's authorised client.

Never a Google Meet (promise 1): writes never carry ``conferenceData`` and always say
``conferenceDataVersion=0``, which makes Google ignore conference data altogether. A Zoom meeting
goes into the location, the description and private extended properties instead.
"""

from __future__ import annotations

from typing import Any

from host.model import (
    CalendarKind,
    Event,
    OnlineMeeting,
    ResponseStatus,
)
from host.providers import ProviderConnection
from host.providers.google_shapes import events
from host.providers.google_shapes.calendar_client import GoogleShapedCalendar, Weight
from host.providers.google_shapes.events import event_body, event_from_json, write_meeting_text
from provider_gmail.account import CALENDAR_CAPABILITIES
from provider_gmail.api import GoogleApi

BASE = "calendar/v3"
PAGE = 2500
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


class GoogleCalendar(GoogleShapedCalendar):
    """Every calendar one Google account reaches (a :class:`~host.providers.CalendarProvider`)."""

    capabilities = CALENDAR_CAPABILITIES
    ROOT = BASE
    CALENDARS = f"{BASE}/calendars"
    PAGE = PAGE
    UPDATE_METHOD = "PUT"
    GONE = (410,)

    def __init__(self, connection: ProviderConnection) -> None:
        super().__init__(connection)
        self.api = GoogleApi(connection, "calendar", "Google Calendar")

    async def _request(
        self, method: str, path: str, weight: Weight, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        # Google counts requests, not their weight.
        return await self.api.request(method, path, params=params, body=body)

    def event_from_json(self, resource: dict, calendar_id: str, zone_name: str) -> Event:
        return event_from_google(resource, calendar_id, zone_name)

    def event_to_json(self, event: Event) -> dict:
        return event_to_google(event)

    def calendar_kind(self, entry: dict) -> CalendarKind:
        return calendar_kind(entry, self._me)

    def _write_params(self, notify: bool) -> dict[str, Any]:
        # conferenceDataVersion=0: Google ignores conference data, so no Meet can ever be added.
        return {"conferenceDataVersion": 0, "sendUpdates": "all" if notify else "none"}

    def _answer(self, attendees: list[dict], mine: list[dict], response: ResponseStatus, comment: str) -> dict:
        if comment:
            for attendee in mine:
                attendee["comment"] = comment
        return {"attendees": attendees}

    def _busy_entries(self, answer: dict) -> dict[str, dict]:
        return answer.get("calendars", {})

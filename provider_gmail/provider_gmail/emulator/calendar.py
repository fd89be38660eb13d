"""Google Calendar API v3 as the emulator serves it (:mod:`host.sandbox.calendar_api`) with Google's own:
client-chosen event ids, Google Meet for conferenceDataVersion=1, the endpoints of ``/calendar/v3/...``."""

from __future__ import annotations

import re
from collections.abc import Callable

from host.sandbox import calendar_api
from host.sandbox.api_routing import Call, Endpoint
from provider_gmail.emulator.errors import GoogleError, bad_request

BASE = "/calendar/v3"
C = "https://www.googleapis.com/auth/calendar"
# The scopes that allow each method, as the discovery document lists them.
LIST_READ = (C, C + ".calendarlist", C + ".calendarlist.readonly", C + ".readonly")
LIST_GET = (C, C + ".app.created", C + ".calendarlist", C + ".calendarlist.readonly", C + ".readonly")
CALENDAR_GET = (C, C + ".app.created", C + ".calendars", C + ".calendars.readonly", C + ".readonly")
EVENTS_READ = (
    C,
    C + ".app.created",
    C + ".events",
    C + ".events.freebusy",
    C + ".events.owned",
    C + ".events.owned.readonly",
    C + ".events.public.readonly",
    C + ".events.readonly",
    C + ".readonly",
)
EVENTS_WRITE = (C, C + ".app.created", C + ".events", C + ".events.owned")
FREEBUSY = (C, C + ".events.freebusy", C + ".freebusy", C + ".readonly")

#: Fields a client may write on an event; everything else is the server's.
WRITABLE = (
    *calendar_api.EVENT_FIELDS,
    "extendedProperties",
    "conferenceData",
    "source",
    "originalStartTime",
    "recurringEventId",
    "iCalUID",
    "eventType",
    "anyoneCanAddSelf",
)
EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")


class CalendarApi(calendar_api.CalendarApi):
    """The Calendar endpoints over the emulator's :class:`CalendarStore`."""

    CALENDAR_ID = "calendarId"
    WRITABLE = WRITABLE
    NOT_FOUND = "Not Found"

    def new_event_id(self, calendar_id: str, body: dict) -> str:
        """A client may choose the id (base32hex), once per calendar."""
        event_id = body.get("id") or self.store.new_id()
        if event_id in self.store.events[calendar_id]:
            raise GoogleError(409, "duplicate", "The requested identifier already exists.")
        if not EVENT_ID.fullmatch(event_id):
            raise bad_request("Invalid resource id value.", reason="invalid")
        return event_id

    def server_fields(self, call: Call, calendar_id: str, event_id: str, event: dict) -> dict:
        owner = self.owners.get(calendar_id, call.user.email)
        return {
            "organizer": {"email": owner, "displayName": self.store.calendars[calendar_id]["summary"]},
            "iCalUID": event.get("iCalUID") or f"{event_id}@google.com",
            "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
            "eventType": event.get("eventType", "default"),
        }

    def on_insert(self, call: Call, event: dict, body: dict) -> None:
        self._conference(call, event, body.get("conferenceData"))

    def on_update(self, call: Call, event: dict, changes: dict, current: dict) -> None:
        self._conference(call, event, changes.get("conferenceData"), current.get("conferenceData"))

    def _conference(self, call: Call, event: dict, incoming: object, kept: dict | None = None) -> None:
        """Version 0 ignores the body's conferenceData; version 1 honours it, a createRequest makes a Meet."""
        version = call.int_arg("conferenceDataVersion", 0, minimum=0, maximum=1)
        event.pop("conferenceData", None)
        event.pop("hangoutLink", None)
        if version == 0 or not isinstance(incoming, dict):
            if kept is not None:
                event["conferenceData"] = kept
            return
        request = incoming.get("createRequest")
        if not request:
            event["conferenceData"] = incoming
            return
        code = f"abc-{event['id'][:4]}-xyz"
        event["hangoutLink"] = f"https://meet.google.com/{code}"
        event["conferenceData"] = {
            "createRequest": {**request, "status": {"statusCode": "success"}},
            "entryPoints": [
                {"entryPointType": "video", "uri": event["hangoutLink"], "label": f"meet.google.com/{code}"}
            ],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
            "conferenceId": code,
        }

    def freebusy_calendars(self, calendars: list[tuple[str, dict]]) -> dict:
        return dict(calendars)

    # -- the table -----------------------------------------------------------------------------------

    def endpoints(self) -> list[Endpoint]:
        e = _endpoint
        events = BASE + "/calendars/{calendarId}/events"
        listing = (
            "iCalUID",
            "maxResults",
            "orderBy",
            "pageToken",
            "q",
            "showDeleted",
            "singleEvents",
            "syncToken",
            "timeMax",
            "timeMin",
            "updatedMin",
        )
        write = ("conferenceDataVersion", "sendUpdates")
        return [
            e(
                "calendarList.list",
                "GET",
                BASE + "/users/me/calendarList",
                self.calendar_list,
                ("maxResults", "minAccessRole", "pageToken", "showHidden"),
                LIST_READ,
            ),
            e(
                "calendarList.get",
                "GET",
                BASE + "/users/me/calendarList/{calendarId}",
                self.calendar_list_get,
                (),
                LIST_GET,
            ),
            e("calendars.get", "GET", BASE + "/calendars/{calendarId}", self.calendars_get, (), CALENDAR_GET),
            e("events.list", "GET", events, self.events_list, listing, EVENTS_READ),
            e("events.insert", "POST", events, self.events_insert, write, EVENTS_WRITE),
            e("events.get", "GET", events + "/{eventId}", self.events_get, (), EVENTS_READ),
            e("events.update", "PUT", events + "/{eventId}", self.events_update, write, EVENTS_WRITE),
            e("events.patch", "PATCH", events + "/{eventId}", self.events_patch, write, EVENTS_WRITE),
            e("events.delete", "DELETE", events + "/{eventId}", self.events_delete, ("sendUpdates",), EVENTS_WRITE),
            e(
                "events.instances",
                "GET",
                events + "/{eventId}/instances",
                self.events_instances,
                ("maxResults", "originalStart", "pageToken", "showDeleted", "timeMax", "timeMin"),
                EVENTS_READ,
            ),
            e("freebusy.query", "POST", BASE + "/freeBusy", self.freebusy, (), FREEBUSY),
        ]


def _endpoint(
    method_id: str,
    http_method: str,
    path: str,
    handler: Callable[[Call], object],
    params: tuple[str, ...],
    scopes: tuple[str, ...],
) -> Endpoint:
    return Endpoint("calendar." + method_id, http_method, path, handler, frozenset(params), scopes)

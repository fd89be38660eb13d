"""Zoom Calendar as the emulator serves it (:mod:`host.sandbox.calendar_api`) with Zoom's own: PATCH-only
events, list-shaped freeBusy, the users' settings, the endpoints of ``/v2/calendars/...``.

No conferencing but Zoom's: a write never adds any other meeting, and when the user's
``autoAddZoomMeeting`` setting is on, the server itself adds a Zoom meeting to each event the user
creates (its join link in the location, when that is empty, and in the description).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from host.sandbox import calendar_api
from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.calendar_api import EVENT_FIELDS, page_token, read_page_token
from host.sandbox.calendar_store import CalendarStore
from provider_zoommail.emulator.errors import ZoomError, bad_request, not_found

BASE = "/v2/calendars"
# The spec's x-macro-scopes: the user's own scope or the admin's.
READ = ("calendar:read", "calendar:read:admin")
WRITE = ("calendar:write", "calendar:write:admin")

#: The user settings and their defaults (the spec's settings resource); values are strings.
SETTINGS = {
    "autoAddZoomMeeting": "false",
    "hideInvitations": "false",
    "hideInvitationsFromOthers": "false",
    "hideWeekends": "false",
    "remindOnRespondedEventsOnly": "false",
    "showDeclinedEvents": "true",
    "useKeyboardShortcuts": "true",
    "format24HourTime": "false",
    "displaySecondaryTimezone": "false",
    "defaultEventLength": "30",
}
#: A Zoom join link, as the server recognises one in an event's text.
JOIN_URL = re.compile(r"https://(?:[\w-]+\.)*zoom\.us/j/\d+")
BOOLEAN_SETTINGS = frozenset(k for k, v in SETTINGS.items() if v in ("true", "false"))


class CalendarApi(calendar_api.CalendarApi):
    """The Calendar endpoints over the emulator's :class:`CalendarStore`, with the users' settings."""

    CALENDAR_ID = "calId"
    # The spec's request body: the fields every Google-Calendar-shaped API takes, nothing more.
    WRITABLE = EVENT_FIELDS
    NOT_FOUND = "Not Found."

    def __init__(self, store: CalendarStore, owners: dict[str, str], expire_cursor: Callable[[], bool]) -> None:
        super().__init__(store, owners, expire_cursor)
        self.settings: dict[str, dict[str, str]] = {}  # user email -> setting id -> value
        self._meetings = iter(range(81_234_567_890, 10**12, 7919))

    def _user(self, call: Call) -> str:
        user = call.path["userIdentifier"]
        if user != "me" and user.lower() != call.user.email.lower():
            raise ZoomError(403, f"Forbidden. {call.user.email} may not read the calendars of {user}.")
        return call.user.email.lower()

    def check_user(self, call: Call) -> None:
        self._user(call)

    def server_fields(self, call: Call, calendar_id: str, event_id: str, event: dict) -> dict:
        return {"organizer": {"email": self.owners.get(calendar_id, call.user.email)}, "iCalUID": f"{event_id}@zoom.us"}

    def on_insert(self, call: Call, event: dict, body: dict) -> None:
        """A new event gets a Zoom meeting when the user's ``autoAddZoomMeeting`` is on; nothing else."""
        if self.auto_adds_zoom_meeting(call.user.email):
            self._add_zoom_meeting(event)

    def auto_adds_zoom_meeting(self, user: str) -> bool:
        return self.settings.get(user.lower(), {}).get("autoAddZoomMeeting", SETTINGS["autoAddZoomMeeting"]) == "true"

    def _add_zoom_meeting(self, event: dict) -> None:
        """What Zoom Calendar does with ``autoAddZoomMeeting`` on: a meeting of the user's, its join
        link in the location (when empty) and the description, unless the event carries a Zoom join
        link already. Nothing else is ever added."""
        if any(JOIN_URL.search(str(event.get(key) or "")) for key in ("location", "description")):
            return
        meeting_id = next(self._meetings)
        join_url = f"https://zoom.us/j/{meeting_id}"
        if not event.get("location"):
            event["location"] = join_url
        text = f"Join Zoom Meeting: {join_url}\nMeeting ID: {meeting_id}"
        event["description"] = f"{event['description']}\n\n{text}" if event.get("description") else text

    def server_attendees(self, event: dict) -> None:
        """Which attendee is the organizer: the request body has no organizer flag; the answer has."""
        organizer = str((event.get("organizer") or {}).get("email", "")).lower()
        for attendee in event.get("attendees") or []:
            attendee.pop("organizer", None)
            if attendee["email"].lower() == organizer:
                attendee["organizer"] = True

    def already_deleted(self) -> Exception:
        return not_found("Not Found. The event was deleted.")

    def freebusy_calendars(self, calendars: list[tuple[str, dict]]) -> list[dict]:
        """Zoom's free/busy answer lists the calendars, each with its id."""
        return [{"id": requested, **entry} for requested, entry in calendars]

    # -- user settings ---------------------------------------------------------------------------------

    def _setting(self, user: str, setting_id: str) -> dict:
        if setting_id not in SETTINGS:
            raise not_found(f"Not Found. There is no setting {setting_id}.")
        return {"id": setting_id, "value": self.settings.get(user, {}).get(setting_id, SETTINGS[setting_id])}

    def settings_list(self, call: Call) -> dict:
        user = self._user(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=250)
        offset = int(read_page_token(call.arg("pageToken")).get("o", 0))
        names = list(SETTINGS)
        result: dict = {
            "kind": "calendar#settings",
            "etag": '"settings"',
            "items": [self._setting(user, name) for name in names[offset : offset + limit]],
        }
        if offset + limit < len(names):
            result["nextPageToken"] = page_token({"o": offset + limit})
        return result

    def settings_get(self, call: Call) -> dict:
        return self._setting(self._user(call), call.path["settingId"])

    def settings_patch(self, call: Call) -> dict:
        user = self._user(call)
        setting_id = call.path["settingId"]
        self._setting(user, setting_id)
        value = call.json().get("value")
        if not isinstance(value, str):
            raise bad_request("value is required, as a string.")
        if setting_id in BOOLEAN_SETTINGS and value not in ("true", "false"):
            raise bad_request(f"Invalid value for {setting_id}: true or false.")
        if setting_id == "defaultEventLength" and not re.fullmatch(r"[1-9][0-9]*", value):
            raise bad_request("Invalid value for defaultEventLength: a positive number of minutes.")
        self.settings.setdefault(user, {})[setting_id] = value
        return self._setting(user, setting_id)

    # -- the table -----------------------------------------------------------------------------------

    def endpoints(self) -> list[Endpoint]:
        e = _endpoint
        user = BASE + "/users/{userIdentifier}"
        events = BASE + "/{calId}/events"
        window = ("maxResults", "pageToken", "showDeleted", "timeMax", "timeMin", "timeZone")
        listing = (*window, "orderBy", "singleEvents", "syncToken")
        # Fixed segments (users, freeBusy) come before {calId}.
        return [
            e(
                "ListcalendarList",
                "GET",
                user + "/calendarList",
                self.calendar_list,
                ("maxResults", "minAccessRole", "pageToken", "showDeleted", "showHidden"),
                READ,
            ),
            e("GetcalendarList", "GET", user + "/calendarList/{calendarId}", self.calendar_list_get, (), READ),
            e("Listsettings", "GET", user + "/settings", self.settings_list, ("maxResults", "pageToken"), READ),
            e("Getsetting", "GET", user + "/settings/{settingId}", self.settings_get, (), READ),
            e("Patchsetting", "PATCH", user + "/settings/{settingId}", self.settings_patch, (), WRITE),
            e("Queryfreebusy", "POST", BASE + "/freeBusy", self.freebusy, (), READ),
            e("Getcalendar", "GET", BASE + "/{calId}", self.calendars_get, (), READ),
            e("Listevent", "GET", events, self.events_list, listing, READ),
            e("Insertevent", "POST", events, self.events_insert, ("sendUpdates",), WRITE),
            e("Getevent", "GET", events + "/{eventId}", self.events_get, (), READ),
            e("Patchevent", "PATCH", events + "/{eventId}", self.events_patch, ("sendUpdates",), WRITE),
            e("Deleteevent", "DELETE", events + "/{eventId}", self.events_delete, ("sendUpdates",), WRITE),
            e("Instanceevent", "GET", events + "/{eventId}/instances", self.events_instances, window, READ),
        ]


def _endpoint(
    operation_id: str,
    http_method: str,
    path: str,
    handler: Callable[[Call], object],
    params: tuple[str, ...],
    scopes: tuple[str, ...],
) -> Endpoint:
    return Endpoint(operation_id, http_method, path, handler, frozenset(params), scopes)

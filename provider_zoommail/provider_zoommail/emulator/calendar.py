"""Zoom Calendar as the emulator serves it: the handlers of ``/v2/calendars/...``.

No conferencing but Zoom's: a write never adds any other meeting, and when the user's
``autoAddZoomMeeting`` setting is on, the server itself adds a Zoom meeting to each event the user
creates (its join link in the location, when that is empty, and in the description).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.calendar_store import (
    ROLES,
    CalendarStore,
    full_sync_required,
    parse_time,
    rfc3339,
)
from provider_zoommail.emulator.errors import ZoomError, bad_request, not_found

BASE = "/v2/calendars"
# The spec's x-macro-scopes: the user's own scope or the admin's.
READ = ("calendar:read", "calendar:read:admin")
WRITE = ("calendar:write", "calendar:write:admin")

#: Fields a client may write on an event (the spec's request body); everything else is the server's.
WRITABLE = (
    "summary",
    "description",
    "location",
    "start",
    "end",
    "recurrence",
    "attendees",
    "reminders",
    "transparency",
    "visibility",
    "status",
    "colorId",
    "guestsCanModify",
    "guestsCanInviteOthers",
    "guestsCanSeeOtherGuests",
)
#: A syncToken cannot be combined with a time window or an order.
NOT_WITH_SYNC_TOKEN = ("orderBy", "timeMin", "timeMax")
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
MAX_FREEBUSY_ITEMS = 50
EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _page(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _unpage(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError:
        raise bad_request("Invalid page token.") from None
    if not isinstance(value, dict):
        raise bad_request("Invalid page token.")
    return value


class CalendarApi:
    """The Calendar endpoints over the emulator's :class:`CalendarStore`."""

    def __init__(self, store: CalendarStore, owners: dict[str, str], expire_cursor: Callable[[], bool]) -> None:
        self.store = store
        self.owners = owners  # calendar id -> its owner's address
        self.settings: dict[str, dict[str, str]] = {}  # user email -> setting id -> value
        self._meetings = iter(range(81_234_567_890, 10**12, 7919))
        # Asks the fault injector whether a sync token should be answered as forgotten.
        self.expire_cursor = expire_cursor

    # -- rendering -----------------------------------------------------------------------------------

    def render(self, event: dict, user: str) -> dict:
        """An event as ``user`` sees it: ``self`` set on their own attendee, organizer and creator."""
        if event.get("status") == "cancelled" and "start" not in event:
            return event
        shown = dict(event)
        for key in ("organizer", "creator"):
            if isinstance(shown.get(key), dict):
                shown[key] = {**shown[key], **({"self": True} if shown[key].get("email", "").lower() == user else {})}
        if shown.get("attendees"):
            shown["attendees"] = [
                {**a, **({"self": True} if a.get("email", "").lower() == user else {})} for a in shown["attendees"]
            ]
        return shown

    # -- calendarList and calendars ---------------------------------------------------------------------

    def _user(self, call: Call) -> str:
        user = call.path["userIdentifier"]
        if user != "me" and user.lower() != call.user.email.lower():
            raise ZoomError(403, f"Forbidden. {call.user.email} may not read the calendars of {user}.")
        return call.user.email.lower()

    def calendar_list(self, call: Call) -> dict:
        self._user(call)
        least = call.arg("minAccessRole") or "freeBusyReader"
        if least not in ROLES[1:]:
            raise bad_request(f"Invalid value for minAccessRole: {least}")
        items = [
            item
            for item in self.store.calendar_list(call.user.email)
            if ROLES.index(item["accessRole"]) >= ROLES.index(least)
        ]
        call.int_arg("maxResults", 100, minimum=1, maximum=250)
        return {"kind": "calendar#calendarList", "etag": '"list"', "items": items}

    def calendar_list_get(self, call: Call) -> dict:
        self._user(call)
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "freeBusyReader")
        for item in self.store.calendar_list(call.user.email):
            if item["id"] == calendar_id:
                return item
        raise not_found()

    def calendars_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "freeBusyReader")
        return self.store.calendars[calendar_id]

    # -- events ----------------------------------------------------------------------------------------

    def events_list(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "reader")
        single = call.bool_arg("singleEvents")
        limit = call.int_arg("maxResults", 250, minimum=1, maximum=2500)
        page = _unpage(call.arg("pageToken"))
        sync_text = call.arg("syncToken")
        order = call.arg("orderBy")
        if order not in (None, "startTime", "updated"):
            raise bad_request(f"Invalid value for orderBy: {order}")
        if order == "startTime" and not single:
            raise bad_request("The requested ordering is not available for the particular query.")
        if sync_text is not None:
            for name in NOT_WITH_SYNC_TOKEN:
                if call.arg(name) is not None:
                    raise bad_request(f"Sync token cannot be used together with {name}.")
            if call.arg("showDeleted") == "false":
                raise bad_request("showDeleted=false cannot be used with a sync token.")
            token = self.store.read_token(calendar_id, sync_text)
            if self.expire_cursor():
                raise full_sync_required()
            start = dt.datetime.fromisoformat(token["w"][0]) if token["w"][0] else None
            end = dt.datetime.fromisoformat(token["w"][1]) if token["w"][1] else None
            events = self.store.changed_since(calendar_id, token, single=single)
        else:
            start = parse_time(call.arg("timeMin"), "timeMin") if call.arg("timeMin") else None
            end = parse_time(call.arg("timeMax"), "timeMax") if call.arg("timeMax") else None
            if start is not None and end is not None and end <= start:
                raise bad_request("The specified time range is empty.")
            events = list(
                self.store.listing(
                    calendar_id, start=start, end=end, single=single, show_deleted=call.bool_arg("showDeleted")
                )
            )
        if order == "startTime":
            events.sort(key=lambda e: self.store.span(calendar_id, e)[0])
        elif order == "updated":
            events.sort(key=lambda e: e.get("updated", ""))
        sequence = page.get("s", self.store.sequence)
        offset = int(page.get("o", 0))
        chosen = events[offset : offset + limit]
        calendar = self.store.calendars[calendar_id]
        entry = self.store.entries[(call.user.email.lower(), calendar_id)]
        result = {
            "kind": "calendar#events",
            "etag": f'"{sequence}"',
            "summary": calendar["summary"],
            "description": calendar["description"],
            "updated": _now(),
            "timeZone": calendar["timeZone"],
            "accessRole": entry["accessRole"],
            "defaultReminders": [],
            "items": [self.render(e, call.user.email.lower()) for e in chosen],
        }
        if offset + limit < len(events):
            result["nextPageToken"] = _page({"o": offset + limit, "s": sequence})
        else:
            token = {"c": calendar_id, "s": sequence, "w": [v.isoformat() if v else None for v in (start, end)]}
            token["e"] = single
            result["nextSyncToken"] = base64.urlsafe_b64encode(json.dumps(token).encode()).decode().rstrip("=")
        return result

    def events_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "reader")
        return self.render(self.store.event(calendar_id, call.path["eventId"]), call.user.email.lower())

    def events_instances(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "reader")
        master = self.store.event(calendar_id, call.path["eventId"])
        if not master.get("recurrence"):
            raise bad_request("The event is not a recurring event.")
        start = parse_time(call.arg("timeMin"), "timeMin") if call.arg("timeMin") else None
        end = parse_time(call.arg("timeMax"), "timeMax") if call.arg("timeMax") else None
        instances = self.store.expand(calendar_id, master, start, end)
        if not call.bool_arg("showDeleted"):
            instances = [i for i in instances if i.get("status") != "cancelled"]
        limit = call.int_arg("maxResults", 250, minimum=1, maximum=2500)
        offset = int(_unpage(call.arg("pageToken")).get("o", 0))
        result = {
            "kind": "calendar#events",
            "items": [self.render(i, call.user.email.lower()) for i in instances[offset : offset + limit]],
        }
        if offset + limit < len(instances):
            result["nextPageToken"] = _page({"o": offset + limit})
        return result

    def _send_updates(self, call: Call) -> str:
        value = call.arg("sendUpdates") or "none"
        if value not in ("all", "externalOnly", "none"):
            raise bad_request(f"Invalid value for sendUpdates: {value}")
        return value

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

    def _validated(self, calendar_id: str, event: dict) -> None:
        """Checks a written event and fills in what the server keeps: attendees' answers and which
        attendee is the organizer (the request body has no organizer flag; the answer has)."""
        if "start" not in event or "end" not in event:
            raise bad_request("Missing end time." if "start" in event else "Missing start time.")
        start, end = self.store.span(calendar_id, event)
        if end < start:
            raise bad_request("The specified time range is empty.")
        organizer = str((event.get("organizer") or {}).get("email", "")).lower()
        for attendee in event.get("attendees") or []:
            if not isinstance(attendee, dict) or "@" not in str(attendee.get("email", "")):
                raise bad_request("Invalid attendee email.")
            attendee.setdefault("responseStatus", "needsAction")
            attendee.pop("organizer", None)
            if attendee["email"].lower() == organizer:
                attendee["organizer"] = True

    def _notify(self, calendar_id: str, event: dict, send_updates: str, action: str) -> None:
        if send_updates == "none":
            return
        owner_domain = self.owners.get(calendar_id, "").partition("@")[2]
        recipients = [
            a["email"]
            for a in event.get("attendees") or []
            if not a.get("organizer") and (send_updates == "all" or a["email"].partition("@")[2] != owner_domain)
        ]
        self.store.notifications.append({"eventId": event["id"], "action": action, "to": recipients})

    def events_insert(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "writer")
        body = call.json()
        send_updates = self._send_updates(call)
        event = {k: body[k] for k in WRITABLE if k in body}
        event_id = self.store.new_id()
        owner = self.owners.get(calendar_id, call.user.email)
        now = _now()
        event.update(
            kind="calendar#event",
            id=event_id,
            status=event.get("status", "confirmed"),
            created=now,
            updated=now,
            creator={"email": call.user.email},
            organizer={"email": owner},
            iCalUID=f"{event_id}@zoom.us",
            sequence=0,
        )
        self._validated(calendar_id, event)
        if self.auto_adds_zoom_meeting(call.user.email):
            self._add_zoom_meeting(event)
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "created")
        return self.render(event, call.user.email.lower())

    def events_patch(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        changes = {k: v for k, v in call.json().items() if k in WRITABLE}
        event = {**current, **changes}
        event.update(updated=_now(), sequence=int(current.get("sequence", 0)) + 1)
        self._validated(calendar_id, event)
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "updated")
        return self.render(event, call.user.email.lower())

    def events_delete(self, call: Call) -> None:
        calendar_id = self.store.require(call.user.email, call.path["calId"], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        if current.get("status") == "cancelled":
            raise not_found("Not Found. The event was deleted.")
        self.store.put(calendar_id, {**current, "status": "cancelled", "updated": _now()})
        self._notify(calendar_id, current, send_updates, "cancelled")

    def freebusy(self, call: Call) -> dict:
        body = call.json()
        if not body.get("timeMin") or not body.get("timeMax"):
            raise bad_request("Missing timeMin or timeMax.")
        start, end = parse_time(body["timeMin"]), parse_time(body["timeMax"], "timeMax")
        if end <= start:
            raise bad_request("The specified time range is empty.")
        items = body.get("items") or []
        if len(items) > MAX_FREEBUSY_ITEMS:
            raise bad_request(
                f"Too many calendars requested: at most {MAX_FREEBUSY_ITEMS} a call.",
            )
        calendars: list[dict] = []
        for item in items:
            requested = str(item.get("id", ""))
            calendar_id = self.store.resolve(call.user.email, requested)
            if calendar_id not in self.store.calendars:
                calendars.append({"id": requested, "errors": [{"domain": "global", "reason": "notFound"}], "busy": []})
                continue
            busy = self.store.busy(calendar_id, start, end)
            calendars.append(
                {
                    "id": requested,
                    "busy": [
                        {"start": rfc3339(s.astimezone(dt.UTC)), "end": rfc3339(e.astimezone(dt.UTC))} for s, e in busy
                    ],
                }
            )
        return {
            "kind": "calendar#freeBusy",
            "timeMin": body["timeMin"],
            "timeMax": body["timeMax"],
            "calendars": calendars,
        }

    # -- user settings ---------------------------------------------------------------------------------

    def _setting(self, user: str, setting_id: str) -> dict:
        if setting_id not in SETTINGS:
            raise not_found(f"Not Found. There is no setting {setting_id}.")
        return {"id": setting_id, "value": self.settings.get(user, {}).get(setting_id, SETTINGS[setting_id])}

    def settings_list(self, call: Call) -> dict:
        user = self._user(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=250)
        offset = int(_unpage(call.arg("pageToken")).get("o", 0))
        names = list(SETTINGS)
        result: dict = {
            "kind": "calendar#settings",
            "etag": '"settings"',
            "items": [self._setting(user, name) for name in names[offset : offset + limit]],
        }
        if offset + limit < len(names):
            result["nextPageToken"] = _page({"o": offset + limit})
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

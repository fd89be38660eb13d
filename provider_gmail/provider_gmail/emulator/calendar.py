"""Google Calendar API v3 as the emulator serves it: the handlers of ``/calendar/v3/...``."""

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
    when,
)
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
    "extendedProperties",
    "conferenceData",
    "source",
    "originalStartTime",
    "recurringEventId",
    "iCalUID",
    "eventType",
    "anyoneCanAddSelf",
)
#: A syncToken cannot be combined with these (the discovery document's events.list syncToken text).
NOT_WITH_SYNC_TOKEN = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
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
        raise bad_request("Invalid page token.", location="pageToken") from None
    if not isinstance(value, dict):
        raise bad_request("Invalid page token.", location="pageToken")
    return value


class CalendarApi:
    """The Calendar endpoints over the emulator's :class:`CalendarStore`."""

    def __init__(self, store: CalendarStore, owners: dict[str, str], expire_cursor: Callable[[], bool]) -> None:
        self.store = store
        self.owners = owners  # calendar id -> its owner's address
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

    def calendar_list(self, call: Call) -> dict:
        least = call.arg("minAccessRole") or "freeBusyReader"
        if least not in ROLES[1:]:
            raise bad_request(f"Invalid value for minAccessRole: {least}", location="minAccessRole")
        items = [
            item
            for item in self.store.calendar_list(call.user.email)
            if ROLES.index(item["accessRole"]) >= ROLES.index(least)
        ]
        call.int_arg("maxResults", 100, minimum=1, maximum=250)
        return {"kind": "calendar#calendarList", "etag": '"list"', "items": items}

    def calendar_list_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "freeBusyReader")
        for item in self.store.calendar_list(call.user.email):
            if item["id"] == calendar_id:
                return item
        raise GoogleError(404, "notFound", "Not Found")

    def calendars_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "freeBusyReader")
        return self.store.calendars[calendar_id]

    # -- events ----------------------------------------------------------------------------------------

    def events_list(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "reader")
        single = call.bool_arg("singleEvents")
        limit = call.int_arg("maxResults", 250, minimum=1, maximum=2500)
        page = _unpage(call.arg("pageToken"))
        sync_text = call.arg("syncToken")
        order = call.arg("orderBy")
        if order not in (None, "startTime", "updated"):
            raise bad_request(f"Invalid value for orderBy: {order}", location="orderBy")
        if order == "startTime" and not single:
            raise bad_request("The requested ordering is not available for the particular query.", location="orderBy")
        if sync_text is not None:
            for name in NOT_WITH_SYNC_TOKEN:
                if call.arg(name) is not None:
                    raise bad_request(
                        f"Sync token cannot be used together with {name}.", reason="invalid", location=name
                    )
            if call.arg("showDeleted") == "false":
                raise bad_request("showDeleted=false cannot be used with a sync token.", location="showDeleted")
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
                raise bad_request("The specified time range is empty.", reason="timeRangeEmpty", location="timeMax")
            events = list(
                self.store.listing(
                    calendar_id, start=start, end=end, single=single, show_deleted=call.bool_arg("showDeleted")
                )
            )
            events = self._filtered(calendar_id, call, events)
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

    def _filtered(self, calendar_id: str, call: Call, events: list[dict]) -> list[dict]:
        text = (call.arg("q") or "").lower()
        uid = call.arg("iCalUID")
        updated_min = parse_time(call.arg("updatedMin"), "updatedMin") if call.arg("updatedMin") else None
        kept = []
        for event in events:
            if text and not any(text in str(event.get(k, "")).lower() for k in ("summary", "description", "location")):
                continue
            if uid and event.get("iCalUID") != uid:
                continue
            if updated_min and parse_time(event.get("updated", _now()), "updated") < updated_min:
                continue
            kept.append(event)
        return kept

    def events_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "reader")
        return self.render(self.store.event(calendar_id, call.path["eventId"]), call.user.email.lower())

    def events_instances(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "reader")
        master = self.store.event(calendar_id, call.path["eventId"])
        if not master.get("recurrence"):
            raise bad_request("The event is not a recurring event.")
        start = parse_time(call.arg("timeMin"), "timeMin") if call.arg("timeMin") else None
        end = parse_time(call.arg("timeMax"), "timeMax") if call.arg("timeMax") else None
        instances = self.store.expand(calendar_id, master, start, end)
        if not call.bool_arg("showDeleted"):
            instances = [i for i in instances if i.get("status") != "cancelled"]
        if call.arg("originalStart"):
            wanted = parse_time(call.arg("originalStart"), "originalStart")
            instances = [i for i in instances if when(i["originalStartTime"], None)[0].astimezone(dt.UTC) == wanted]
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
            raise bad_request(f"Invalid value for sendUpdates: {value}", location="sendUpdates")
        return value

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

    def _validated(self, calendar_id: str, event: dict) -> None:
        if "start" not in event or "end" not in event:
            raise bad_request("Missing end time." if "start" in event else "Missing start time.", reason="required")
        start, end = self.store.span(calendar_id, event)
        if end < start:
            raise bad_request("The specified time range is empty.", reason="timeRangeEmpty")
        for attendee in event.get("attendees") or []:
            if not isinstance(attendee, dict) or "@" not in str(attendee.get("email", "")):
                raise bad_request("Invalid attendee email.", reason="invalid")
            attendee.setdefault("responseStatus", "needsAction")

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
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "writer")
        body = call.json()
        send_updates = self._send_updates(call)
        event = {k: body[k] for k in WRITABLE if k in body}
        event_id = body.get("id") or self.store.new_id()
        if event_id in self.store.events[calendar_id]:
            raise GoogleError(409, "duplicate", "The requested identifier already exists.")
        if not EVENT_ID.fullmatch(event_id):
            raise bad_request("Invalid resource id value.", reason="invalid")
        owner = self.owners.get(calendar_id, call.user.email)
        now = _now()
        event.update(
            kind="calendar#event",
            id=event_id,
            status=event.get("status", "confirmed"),
            created=now,
            updated=now,
            creator={"email": call.user.email},
            organizer={"email": owner, "displayName": self.store.calendars[calendar_id]["summary"]},
            iCalUID=event.get("iCalUID") or f"{event_id}@google.com",
            sequence=0,
            htmlLink=f"https://www.google.com/calendar/event?eid={event_id}",
            eventType=event.get("eventType", "default"),
        )
        self._validated(calendar_id, event)
        self._conference(call, event, body.get("conferenceData"))
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "created")
        return self.render(event, call.user.email.lower())

    def _write(self, call: Call, merge: bool) -> dict:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        body = call.json()
        changes = {k: body[k] for k in WRITABLE if k in body}
        kept = {k: v for k, v in current.items() if k not in WRITABLE or k in ("recurringEventId", "originalStartTime")}
        event = {**(current if merge else kept), **changes}
        event.update(updated=_now(), sequence=int(current.get("sequence", 0)) + 1)
        self._validated(calendar_id, event)
        self._conference(call, event, changes.get("conferenceData"), current.get("conferenceData"))
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "updated")
        return self.render(event, call.user.email.lower())

    def events_update(self, call: Call) -> dict:
        return self._write(call, merge=False)

    def events_patch(self, call: Call) -> dict:
        return self._write(call, merge=True)

    def events_delete(self, call: Call) -> None:
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        if current.get("status") == "cancelled":
            raise GoogleError(410, "deleted", "Resource has been deleted")
        self.store.put(calendar_id, {**current, "status": "cancelled", "updated": _now()})
        self._notify(calendar_id, current, send_updates, "cancelled")

    def freebusy(self, call: Call) -> dict:
        body = call.json()
        if not body.get("timeMin") or not body.get("timeMax"):
            raise bad_request("Missing timeMin or timeMax.", reason="required")
        start, end = parse_time(body["timeMin"]), parse_time(body["timeMax"], "timeMax")
        if end <= start:
            raise bad_request("The specified time range is empty.", reason="timeRangeEmpty")
        items = body.get("items") or []
        if len(items) > MAX_FREEBUSY_ITEMS:
            raise bad_request(
                f"Too many calendars requested: at most {MAX_FREEBUSY_ITEMS} a call.",
                reason="tooManyCalendarsRequested",
            )
        calendars: dict[str, dict] = {}
        for item in items:
            requested = str(item.get("id", ""))
            calendar_id = self.store.resolve(call.user.email, requested)
            if calendar_id not in self.store.calendars:
                calendars[requested] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
                continue
            busy = self.store.busy(calendar_id, start, end)
            calendars[requested] = {
                "busy": [
                    {"start": rfc3339(s.astimezone(dt.UTC)), "end": rfc3339(e.astimezone(dt.UTC))} for s, e in busy
                ]
            }
        return {
            "kind": "calendar#freeBusy",
            "timeMin": body["timeMin"],
            "timeMax": body["timeMax"],
            "calendars": calendars,
        }

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

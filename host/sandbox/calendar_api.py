"""The calendar handlers of an emulator whose calendar API follows Google Calendar's JSON (Google
Calendar, Zoom Calendar): the calendar list, calendars, events with sync tokens and instances, and
free/busy, over a :class:`host.sandbox.calendar_store.CalendarStore`.

Each emulator subclasses :class:`CalendarApi` with its path parameter, the fields a client may write,
what the server adds to a new event (ids, organizer, conferencing), and its free/busy answer's shape;
and gives its endpoint table. Query parameters an API does not take never reach a handler (the
table refuses them), so the handlers serve the union. Errors are :class:`host.sandbox.api_error.ApiError`
or the emulator's own.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import ClassVar

from host.sandbox.api_error import ApiError, bad_request
from host.sandbox.api_routing import Call
from host.sandbox.calendar_store import (
    ROLES,
    CalendarStore,
    full_sync_required,
    parse_time,
    rfc3339,
    when,
)

#: The event fields a client may write in every Google-Calendar-shaped API (Google Calendar takes more).
EVENT_FIELDS = (
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


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def page_token(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def read_page_token(text: str | None) -> dict:
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
    """The Calendar endpoints over the emulator's :class:`CalendarStore`; subclasses give the class
    attributes, the hooks below and :meth:`endpoints`."""

    #: The path parameter that names a calendar in ``.../{calendar}/events``.
    CALENDAR_ID: ClassVar[str]
    #: Fields a client may write on an event; everything else is the server's.
    WRITABLE: ClassVar[tuple[str, ...]]
    #: What a calendar list entry the user does not have is answered with.
    NOT_FOUND: ClassVar[str]

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

    # -- what each API does its own way ------------------------------------------------------------------

    def check_user(self, call: Call) -> None:
        """Refuse a call about another user's calendar list (where the path names the user)."""

    def new_event_id(self, calendar_id: str, body: dict) -> str:
        return self.store.new_id()

    def server_fields(self, call: Call, calendar_id: str, event_id: str, event: dict) -> dict:
        """What the server sets on a new event besides id, status, times, creator and sequence."""
        raise NotImplementedError

    def on_insert(self, call: Call, event: dict, body: dict) -> None:
        """What the server adds to a new, checked event (conferencing) from the request ``body``."""

    def on_update(self, call: Call, event: dict, changes: dict, current: dict) -> None:
        """What the server does to a changed, checked event (conferencing); ``current`` is it before."""

    def server_attendees(self, event: dict) -> None:
        """What the server fills in on the attendees of a checked event."""

    def already_deleted(self) -> Exception:
        return ApiError(410, "Resource has been deleted", reason="deleted")

    def freebusy_calendars(self, calendars: list[tuple[str, dict]]) -> object:
        """The ``calendars`` of a free/busy answer from (requested id, its entry) pairs."""
        raise NotImplementedError

    # -- calendarList and calendars ---------------------------------------------------------------------

    def calendar_list(self, call: Call) -> dict:
        self.check_user(call)
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
        self.check_user(call)
        calendar_id = self.store.require(call.user.email, call.path["calendarId"], "freeBusyReader")
        for item in self.store.calendar_list(call.user.email):
            if item["id"] == calendar_id:
                return item
        raise ApiError(404, self.NOT_FOUND, reason="notFound")

    def calendars_get(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "freeBusyReader")
        return self.store.calendars[calendar_id]

    # -- events ----------------------------------------------------------------------------------------

    def events_list(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "reader")
        single = call.bool_arg("singleEvents")
        limit = call.int_arg("maxResults", 250, minimum=1, maximum=2500)
        page = read_page_token(call.arg("pageToken"))
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
            result["nextPageToken"] = page_token({"o": offset + limit, "s": sequence})
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
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "reader")
        return self.render(self.store.event(calendar_id, call.path["eventId"]), call.user.email.lower())

    def events_instances(self, call: Call) -> dict:
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "reader")
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
        offset = int(read_page_token(call.arg("pageToken")).get("o", 0))
        result = {
            "kind": "calendar#events",
            "items": [self.render(i, call.user.email.lower()) for i in instances[offset : offset + limit]],
        }
        if offset + limit < len(instances):
            result["nextPageToken"] = page_token({"o": offset + limit})
        return result

    def _send_updates(self, call: Call) -> str:
        value = call.arg("sendUpdates") or "none"
        if value not in ("all", "externalOnly", "none"):
            raise bad_request(f"Invalid value for sendUpdates: {value}", location="sendUpdates")
        return value

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
        self.server_attendees(event)

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
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "writer")
        body = call.json()
        send_updates = self._send_updates(call)
        event = {k: body[k] for k in self.WRITABLE if k in body}
        event_id = self.new_event_id(calendar_id, body)
        now = _now()
        event.update(
            kind="calendar#event",
            id=event_id,
            status=event.get("status", "confirmed"),
            created=now,
            updated=now,
            creator={"email": call.user.email},
            sequence=0,
            **self.server_fields(call, calendar_id, event_id, event),
        )
        self._validated(calendar_id, event)
        self.on_insert(call, event, body)
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "created")
        return self.render(event, call.user.email.lower())

    def _write(self, call: Call, merge: bool) -> dict:
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        body = call.json()
        changes = {k: body[k] for k in self.WRITABLE if k in body}
        kept = {
            k: v for k, v in current.items() if k not in self.WRITABLE or k in ("recurringEventId", "originalStartTime")
        }
        event = {**(current if merge else kept), **changes}
        event.update(updated=_now(), sequence=int(current.get("sequence", 0)) + 1)
        self._validated(calendar_id, event)
        self.on_update(call, event, changes, current)
        self.store.put(calendar_id, event)
        self._notify(calendar_id, event, send_updates, "updated")
        return self.render(event, call.user.email.lower())

    def events_update(self, call: Call) -> dict:
        return self._write(call, merge=False)

    def events_patch(self, call: Call) -> dict:
        return self._write(call, merge=True)

    def events_delete(self, call: Call) -> None:
        calendar_id = self.store.require(call.user.email, call.path[self.CALENDAR_ID], "writer")
        current = self.store.event(calendar_id, call.path["eventId"])
        send_updates = self._send_updates(call)
        if current.get("status") == "cancelled":
            raise self.already_deleted()
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
        calendars: list[tuple[str, dict]] = []
        for item in items:
            requested = str(item.get("id", ""))
            calendar_id = self.store.resolve(call.user.email, requested)
            if calendar_id not in self.store.calendars:
                calendars.append((requested, {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}))
                continue
            busy = self.store.busy(calendar_id, start, end)
            calendars.append(
                (
                    requested,
                    {
                        "busy": [
                            {"start": rfc3339(s.astimezone(dt.UTC)), "end": rfc3339(e.astimezone(dt.UTC))}
                            for s, e in busy
                        ]
                    },
                )
            )
        return {
            "kind": "calendar#freeBusy",
            "timeMin": body["timeMin"],
            "timeMax": body["timeMax"],
            "calendars": self.freebusy_calendars(calendars),
        }

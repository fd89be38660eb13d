"""Graph's calendar routes over :class:`~provider_m365.emulator.calendars.CalendarState`.

``/me/...`` reaches the user's own calendars and those shared with them; ``/users/{id}/calendar/...``
reaches another person's default calendar when they granted the user a permission (delegates write with
the ``Calendars.ReadWrite.Shared`` scope). Times come back in UTC unless ``Prefer: outlook.timezone``
names another zone; ``originalStartTimeZone`` keeps the Windows name of the event's own zone.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import TYPE_CHECKING, Any

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.model.calendar import (
    Attendee,
    AttendeeRole,
    CalendarKind,
    Event,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
    ShowAs,
)
from host.model.mail import Address
from host.sandbox.recurrence import localize, occurrences
from provider_m365.emulator import odata
from provider_m365.emulator.calendars import CalendarState, StoredCalendar
from provider_m365.emulator.odata import GraphError, bad_request, not_found
from provider_m365.patterns import from_pattern, pattern_zone, to_pattern
from provider_m365.timezones import to_iana, to_windows, zone

if TYPE_CHECKING:
    from provider_m365.emulator.app import GraphEmulator

READ = ("Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared")
WRITE = ("Calendars.ReadWrite", "Calendars.ReadWrite.Shared")
SHARED_READ = ("Calendars.Read.Shared", "Calendars.ReadWrite.Shared")
SHARED_WRITE = ("Calendars.ReadWrite.Shared",)
PLACES = ("Place.Read.All",)
MAX_SCHEDULES = 100

RESPONSES = {
    ResponseStatus.NEEDS_ACTION: "notResponded",
    ResponseStatus.ACCEPTED: "accepted",
    ResponseStatus.TENTATIVE: "tentativelyAccepted",
    ResponseStatus.DECLINED: "declined",
}
SHOW_AS = {ShowAs.FREE: "free", ShowAs.TENTATIVE: "tentative", ShowAs.BUSY: "busy", ShowAs.OUT_OF_OFFICE: "oof",
           ShowAs.WORKING_ELSEWHERE: "workingElsewhere"}  # fmt: skip
AVAILABILITY = {ShowAs.FREE: "0", ShowAs.TENTATIVE: "1", ShowAs.BUSY: "2", ShowAs.OUT_OF_OFFICE: "3",
                ShowAs.WORKING_ELSEWHERE: "4"}  # fmt: skip
_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")


def _email(address: Address | None) -> dict[str, Any] | None:
    return {"emailAddress": {"name": address.name, "address": address.email}} if address else None


def parse_time(value: Any, what: str) -> dt.datetime:
    """A ``dateTimeTimeZone`` as an aware datetime (Windows or IANA zone names)."""
    if not isinstance(value, dict) or "dateTime" not in value:
        raise bad_request(f"{what} needs dateTime and timeZone.", "ErrorInvalidParameter")
    text = str(value["dateTime"]).rstrip("Z")
    try:
        naive = dt.datetime.fromisoformat(text[:26] if "." in text else text)
    except ValueError:
        raise bad_request(
            f"{what}.dateTime {value['dateTime']!r} is not a date-time.", "ErrorInvalidParameter"
        ) from None
    return naive.replace(tzinfo=zone(value.get("timeZone") or "UTC"))


def _instant(request: Request, name: str) -> dt.datetime:
    text = request.query_params.get(name)
    if not text:
        raise bad_request("This request requires a time window specified by the query string parameters "
                          "StartDateTime and EndDateTime.", "ErrorInvalidParameter")  # fmt: skip
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"{name} {text!r} is not a date-time.", "ErrorInvalidParameter") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class CalendarApi:
    def __init__(self, emulator: GraphEmulator) -> None:
        self.emulator = emulator

    @property
    def state(self) -> CalendarState:
        return self.emulator.calendars

    # -- who and which calendar --------------------------------------------------------------------

    def _token(self, request: Request, scopes: tuple[str, ...]) -> str:
        return self.emulator.oauth.require_token(request, scopes=scopes).email

    def calendar_for(self, request: Request, *, write: bool = False) -> StoredCalendar:
        """The calendar a route names: ``/me/calendar``, ``/me/calendars/{id}``, ``/users/{u}/calendar``."""
        user = request.path_params.get("user_id")
        calendar_id = request.path_params.get("calendar_id")
        me = self.state.owner.email.lower()
        if user is not None and user.lower() not in ("me", me):
            email = self._token(request, SHARED_WRITE if write else SHARED_READ)
            calendar = self.state.default_calendar(user)
            if calendar_id is not None and calendar_id != calendar.id:
                raise not_found("The calendar was not found.")
            granted = {p["emailAddress"].get("address", "").lower(): p["role"] for p in calendar.permissions}
            role = granted.get(email.lower())
            if calendar.kind is CalendarKind.RESOURCE:
                role = role or "read"
            if role not in ("read", "write", "delegateWithoutPrivateEventAccess", "delegateWithPrivateEventAccess"):
                raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
            if write and role == "read":
                raise GraphError(403, "ErrorAccessDenied", "You have read access to this calendar only.")
            return calendar
        self._token(request, WRITE if write else READ)
        calendar = self.state.calendar(calendar_id) if calendar_id else self.state.default_calendar(me)
        if calendar.kind is CalendarKind.RESOURCE:
            raise not_found("The calendar was not found.")
        if write and not calendar.can_edit:
            raise GraphError(403, "ErrorAccessDenied", "You have read access to this calendar only.")
        return calendar

    # -- rendering --------------------------------------------------------------------------------------

    def calendar_json(self, calendar: StoredCalendar) -> dict[str, Any]:
        mine = calendar.owner.email.lower() == self.state.owner.email.lower()
        return {
            "id": calendar.id,
            "name": calendar.name,
            "color": calendar.color,
            "hexColor": "",
            "isDefaultCalendar": calendar.is_default and mine,
            "changeKey": "1",
            "canShare": mine,
            "canViewPrivateItems": mine or calendar.kind is CalendarKind.DELEGATED,
            "canEdit": calendar.can_edit,
            "isRemovable": not (calendar.is_default and mine),
            "isTallyingResponses": mine,
            "allowedOnlineMeetingProviders": ["teamsForBusiness"],
            "defaultOnlineMeetingProvider": "teamsForBusiness",
            "owner": {"name": calendar.owner.name, "address": calendar.owner.email},
        }

    def event_json(self, event: Event, request: Request) -> dict[str, Any]:
        wanted = odata.prefer(request).get("outlook.timezone") or "UTC"
        target = zone(wanted)
        event = localize(event)
        if event.all_day:
            start = {"dateTime": odata.graph_datetime(event.start.replace(tzinfo=None)), "timeZone": wanted}
            end = {"dateTime": odata.graph_datetime(event.end.replace(tzinfo=None)), "timeZone": wanted}
        else:
            start = {"dateTime": odata.graph_datetime(event.start.astimezone(target)), "timeZone": wanted}
            end = {"dateTime": odata.graph_datetime(event.end.astimezone(target)), "timeZone": wanted}
        stored = self.state.events.get(event.id)
        if event.recurrence:
            kind = "seriesMaster"
        elif event.series_id:
            kind = "exception" if stored is not None else "occurrence"
        else:
            kind = "singleInstance"
        organizer_email = (event.organizer.email if event.organizer else "").lower()
        is_organizer = organizer_email == self.state.owner.email.lower()
        reminder = next((r for r in event.reminders if r.method == "popup"), None)
        data: dict[str, Any] = {
            "@odata.etag": f'W/"{self.state.seqs.get(event.series_id or event.id, 0)}"',
            "id": event.id,
            "createdDateTime": odata.utc_stamp(event.updated or dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
            "lastModifiedDateTime": odata.utc_stamp(event.updated or dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
            "changeKey": str(self.state.seqs.get(event.series_id or event.id, 0)),
            "categories": [],
            "originalStartTimeZone": to_windows(event.time_zone),
            "originalEndTimeZone": to_windows(event.time_zone),
            "iCalUId": f"040000008200E00074C5B7101A82E008{event.series_id or event.id}",
            "reminderMinutesBeforeStart": reminder.minutes if reminder else 15,
            "isReminderOn": reminder is not None,
            "hasAttachments": False,
            "subject": event.title,
            "bodyPreview": event.description[:255],
            "importance": "normal",
            "sensitivity": "normal",
            "isAllDay": event.all_day,
            "isCancelled": event.status.value == "cancelled",
            "isOrganizer": is_organizer,
            "responseRequested": True,
            "seriesMasterId": event.series_id,
            "showAs": SHOW_AS[event.show_as],
            "type": kind,
            "webLink": f"https://outlook.office365.com/owa/?itemid={event.id}&exvsurl=1&path=/calendar/item",
            "isOnlineMeeting": event.online_meeting is not None,
            "onlineMeetingProvider": "teamsForBusiness" if event.online_meeting else "unknown",
            "onlineMeeting": {"joinUrl": event.online_meeting.join_url} if event.online_meeting else None,
            "allowNewTimeProposals": True,
            "responseStatus": {
                "response": "organizer"
                if is_organizer
                else RESPONSES[event.my_response or ResponseStatus.NEEDS_ACTION],
                "time": "0001-01-01T00:00:00Z",
            },
            "body": {"contentType": "text", "content": event.description},
            "start": start,
            "end": end,
            "location": {"displayName": event.location, "locationType": "default"},
            "locations": [{"displayName": event.location}] if event.location else [],
            "recurrence": None,
            "attendees": [
                {
                    "type": a.role.value,
                    "status": {"response": RESPONSES[a.response], "time": "0001-01-01T00:00:00Z"},
                    "emailAddress": {"name": a.address.name, "address": a.address.email},
                }
                for a in event.attendees
                if not a.organizer
            ],
            "organizer": _email(event.organizer),
        }
        if event.original_start is not None and event.series_id:
            data["originalStart"] = odata.utc_stamp(event.original_start)
        if event.recurrence:
            rules = tuple(line for line in event.recurrence if line.upper().startswith("RRULE"))
            data["recurrence"] = to_pattern(rules, event.start, event.time_zone)
        return data

    def parse_event(self, body: dict[str, Any], calendar: StoredCalendar, base: Event | None) -> Event:
        """An event from a POST or PATCH body, over ``base`` for a PATCH."""
        known = {
            "subject", "body", "start", "end", "isAllDay", "location", "locations", "attendees", "recurrence",
            "showAs", "isReminderOn", "reminderMinutesBeforeStart", "isOnlineMeeting", "onlineMeetingProvider",
            "importance", "sensitivity", "categories", "responseRequested", "allowNewTimeProposals", "@odata.type",
        }  # fmt: skip
        unknown = set(body) - known
        if unknown:
            raise bad_request(f"Unknown event properties: {', '.join(sorted(unknown))}.", "ErrorInvalidProperty")
        if base is None:
            for required in ("start", "end"):
                if required not in body:
                    raise bad_request(f"{required} is required.", "ErrorInvalidParameter")
            base = Event(
                id="AAMkAGev" + secrets.token_hex(10),
                calendar_id=calendar.id,
                title="",
                start=dt.datetime.now(dt.UTC),
                end=dt.datetime.now(dt.UTC),
                organizer=self.state.owner if calendar.owner.email == self.state.owner.email else calendar.owner,
                my_response=None,
            )
        changes: dict[str, Any] = {"updated": dt.datetime.now(dt.UTC).replace(microsecond=0)}
        if "subject" in body:
            changes["title"] = str(body["subject"] or "")
        if "body" in body:
            changes["description"] = str((body["body"] or {}).get("content") or "")
        if "start" in body:
            changes["start"] = parse_time(body["start"], "start")
            changes["time_zone"] = to_iana(body["start"].get("timeZone"))
        if "end" in body:
            changes["end"] = parse_time(body["end"], "end")
        if "isAllDay" in body:
            changes["all_day"] = bool(body["isAllDay"])
        if "location" in body:
            changes["location"] = str((body["location"] or {}).get("displayName") or "")
        if "showAs" in body:
            inverse = {v: k for k, v in SHOW_AS.items()}
            if body["showAs"] not in inverse:
                raise bad_request(f"Unknown showAs {body['showAs']!r}.", "ErrorInvalidParameter")
            changes["show_as"] = inverse[body["showAs"]]
        if "isReminderOn" in body or "reminderMinutesBeforeStart" in body:
            on = body.get("isReminderOn", bool(base.reminders))
            minutes = int(body.get("reminderMinutesBeforeStart", 15))
            others = tuple(r for r in base.reminders if r.method != "popup")
            changes["reminders"] = ((Reminder(minutes),) if on else ()) + others
        if "attendees" in body:
            changes["attendees"] = tuple(_attendee(a, base) for a in body["attendees"] or ())
        if body.get("isOnlineMeeting"):
            # What the real service does: a Teams meeting gets attached. zoomclient must never ask for it.
            changes["online_meeting"] = OnlineMeeting("teamsForBusiness", "https://teams.microsoft.com/l/meetup-join/x")
        event = attrs.evolve(base, **changes)
        if "recurrence" in body:
            rules = from_pattern(body["recurrence"])
            if rules and pattern_zone(body["recurrence"]):
                event = attrs.evolve(event, time_zone=pattern_zone(body["recurrence"]) or event.time_zone)
            event = attrs.evolve(event, recurrence=rules)
        event = localize(attrs.evolve(event, start=event.start, end=event.end))
        if event.end < event.start:
            raise bad_request("The end of the event is before its start.", "ErrorInvalidParameter")
        return event

    # -- calendars -----------------------------------------------------------------------------------------

    async def calendars(self, request: Request) -> Response:
        if request.path_params.get("user_id", "me").lower() not in ("me", self.state.owner.email.lower()):
            calendar = self.calendar_for(request)
            return odata.collection(request, [calendar], "users/calendars", self.calendar_json)
        self._token(request, READ)
        items = self.state.visible_to_owner()
        return odata.collection(request, items, "users('me')/calendars", self.calendar_json)

    async def calendar(self, request: Request) -> Response:
        return odata.entity(request, self.calendar_json(self.calendar_for(request)), "users('me')/calendars/$entity")

    async def groups(self, request: Request) -> Response:
        self._token(request, READ)
        names = ["My Calendars", "Other Calendars"]
        items = [{"id": "AAMkAGgrp" + str(i), "name": n, "changeKey": "1", "classId": f"0006{i:04d}"} for i, n in
                 enumerate(names)]  # fmt: skip
        return odata.collection(request, items, "users('me')/calendarGroups", dict)

    async def group_calendars(self, request: Request) -> Response:
        self._token(request, READ)
        group_id = request.path_params["group_id"]
        names = {"AAMkAGgrp0": "My Calendars", "AAMkAGgrp1": "Other Calendars"}
        if group_id not in names:
            raise not_found("The calendar group was not found.")
        items = [c for c in self.state.visible_to_owner() if c.group == names[group_id]]
        return odata.collection(request, items, "users('me')/calendarGroups/calendars", self.calendar_json)

    async def permissions(self, request: Request) -> Response:
        calendar = self.calendar_for(request)
        return odata.collection(
            request, calendar.permissions, "users('me')/calendar/calendarPermissions", dict, default_top=100
        )

    # -- views and delta ----------------------------------------------------------------------------------------

    async def calendar_view(self, request: Request) -> Response:
        calendar = self.calendar_for(request)
        start, end = _instant(request, "startDateTime"), _instant(request, "endDateTime")
        items = self.state.expand(calendar.id, start, end)
        return odata.collection(request, items, "users('me')/calendarView", lambda e: self.event_json(e, request))

    async def calendar_view_delta(self, request: Request) -> Response:
        calendar = self.calendar_for(request)
        params = request.query_params
        state = self.state
        delta_token, skip_token = params.get("$deltatoken"), params.get("$skiptoken")
        if delta_token is not None or skip_token is not None:
            data = odata.decode_token(delta_token or skip_token or "")
            if (
                data is None
                or data.get("c") != calendar.id
                or data.get("g") != state.generation
                or (delta_token is not None and self.emulator.faults.should_expire_cursor(request.url.path))
            ):
                raise GraphError(410, "syncStateNotFound", "The sync state generation is not found or expired.")
            start, end = dt.datetime.fromisoformat(data["a"]), dt.datetime.fromisoformat(data["b"])
            since = int(data["s"])
            upto = int(data.get("u", state.seq)) if skip_token else state.seq
            offset = int(data.get("o", 0)) if skip_token else 0
        else:
            start, end = _instant(request, "startDateTime"), _instant(request, "endDateTime")
            since, upto, offset = -1, state.seq, 0
        with state.lock:
            entries = self._delta_entries(calendar.id, since, upto, start, end)
        size = odata.page_size(request, 100)
        page, more = entries[offset : offset + size], len(entries) > offset + size
        values = [self.event_json(e, request) if isinstance(e, Event) else e for e in page]
        body: dict[str, Any] = {"@odata.context": odata.context(request, "Collection(event)"), "value": values}
        token = {"c": calendar.id, "g": state.generation, "a": start.isoformat(), "b": end.isoformat()}
        base = f"{str(request.base_url).rstrip('/')}{request.url.path}"
        if more:
            skip = odata.encode_token({**token, "s": since, "u": upto, "o": offset + size})
            body["@odata.nextLink"] = f"{base}?$skiptoken={skip}"
        else:
            body["@odata.deltaLink"] = f"{base}?$deltatoken={odata.encode_token({**token, 's': upto})}"
        return JSONResponse(body)

    def _delta_entries(self, calendar_id: str, since: int, upto: int, start: dt.datetime, end: dt.datetime) -> list:
        state = self.state
        if since < 0:
            return state.expand(calendar_id, start, end)
        entries: list[Any] = []
        touched: dict[str, list] = {}
        for change in state.changed_since(calendar_id, since, upto):
            touched.setdefault(change.master_id, []).append(change)
        for master_id, changes in touched.items():
            master = state.events.get(master_id)
            now = occurrences(master, state.exceptions_of(master_id), start, end) if master else []
            entries.extend(now)
            first = changes[0]
            before = occurrences(first.before, first.before_exceptions, start, end) if first.before else []
            current = {e.id for e in now}
            for old in before:
                if old.id not in current:
                    current.add(old.id)
                    entries.append(
                        {"@odata.type": "#microsoft.graph.event", "id": old.id, "@removed": {"reason": "deleted"}}
                    )
        return entries

    # -- events ------------------------------------------------------------------------------------------------

    async def events(self, request: Request) -> Response:
        if request.method == "POST":
            calendar = self.calendar_for(request, write=True)
            body = await odata.json_body(request)
            event = self.parse_event(body, calendar, None)
            self.state.put(event)
            return odata.entity(request, self.event_json(event, request), "users('me')/events/$entity", 201)
        calendar = self.calendar_for(request)
        items = sorted(self.state.masters(calendar.id), key=lambda e: (e.start, e.id))
        return odata.collection(request, items, "users('me')/events", lambda e: self.event_json(e, request))

    async def event(self, request: Request) -> Response:
        event_id = request.path_params["event_id"]
        if request.method == "GET":
            calendar = self._event_calendar(request, event_id, write=False)
            event = self.state.event(calendar.id, event_id)
            return odata.entity(request, self.event_json(event, request), "users('me')/events/$entity")
        calendar = self._event_calendar(request, event_id, write=True)
        if request.method == "DELETE":
            self.state.delete(calendar.id, event_id)
            return odata.no_content()
        event = self.state.event(calendar.id, event_id)
        body = await odata.json_body(request)
        if event.series_id and "recurrence" in body:
            raise bad_request("An occurrence cannot have a recurrence of its own.", "ErrorInvalidParameter")
        updated = self.parse_event(body, calendar, event)
        self.state.put(updated)
        return odata.entity(request, self.event_json(updated, request), "users('me')/events/$entity")

    def _event_calendar(self, request: Request, event_id: str, *, write: bool) -> StoredCalendar:
        """``/me/events/{id}`` names no calendar: find the user's calendar that holds the event."""
        if (
            request.path_params.get("calendar_id")
            or request.path_params.get("user_id")
            or "/calendar/" in request.url.path
        ):
            return self.calendar_for(request, write=write)
        self._token(request, WRITE if write else READ)
        for calendar in self.state.visible_to_owner():
            if calendar.owner.email.lower() != self.state.owner.email.lower():
                continue
            try:
                self.state.event(calendar.id, event_id)
            except GraphError:
                continue
            if write and not calendar.can_edit:
                raise GraphError(403, "ErrorAccessDenied", "You have read access to this calendar only.")
            return calendar
        raise not_found()

    async def respond(self, request: Request) -> Response:
        event_id = request.path_params["event_id"]
        calendar = self._event_calendar(request, event_id, write=True)
        action = request.url.path.rsplit("/", 1)[1]
        response = {
            "accept": ResponseStatus.ACCEPTED,
            "decline": ResponseStatus.DECLINED,
            "tentativelyAccept": ResponseStatus.TENTATIVE,
        }[action]
        body = await odata.json_body(request) if await request.body() else {}
        self.state.respond(calendar.id, event_id, response)
        self.state.responses.append((event_id, action, bool(body.get("sendResponse", True))))
        return Response(status_code=202)

    # -- availability ---------------------------------------------------------------------------------------------

    async def get_schedule(self, request: Request) -> Response:
        self._token(request, READ)
        body = await odata.json_body(request)
        schedules = body.get("schedules")
        if not isinstance(schedules, list) or not schedules:
            raise bad_request("schedules is required.", "ErrorInvalidParameter")
        if len(schedules) > MAX_SCHEDULES:
            raise bad_request(f"At most {MAX_SCHEDULES} schedules a request.", "ErrorInvalidParameter")
        start, end = parse_time(body.get("startTime"), "startTime"), parse_time(body.get("endTime"), "endTime")
        interval = int(body.get("availabilityViewInterval") or 30)
        out_zone = body.get("startTime", {}).get("timeZone") or "UTC"
        values = []
        for address in schedules:
            busy = self.state.busy(str(address), start, end)
            if busy is None:
                error = {"message": f"The mailbox {address} was not found.", "responseCode": "ErrorMailboxNotFound"}
                values.append({"scheduleId": address, "availabilityView": "", "scheduleItems": [], "error": error})
                continue
            view = []
            slot = start
            while slot < end:
                slot_end = slot + dt.timedelta(minutes=interval)
                overlapping = [e for e in busy if e.start < slot_end and e.end > slot]
                worst = max((AVAILABILITY[e.show_as] for e in overlapping), default="0")
                view.append(worst)
                slot = slot_end
            values.append(
                {
                    "scheduleId": address,
                    "availabilityView": "".join(view),
                    "scheduleItems": [
                        {
                            "isPrivate": False,
                            "status": SHOW_AS[e.show_as],
                            "subject": e.title,
                            "location": e.location,
                            "start": {
                                "dateTime": odata.graph_datetime(e.start.astimezone(zone(out_zone))),
                                "timeZone": out_zone,
                            },
                            "end": {
                                "dateTime": odata.graph_datetime(e.end.astimezone(zone(out_zone))),
                                "timeZone": out_zone,
                            },
                        }
                        for e in busy
                    ],
                    "workingHours": {
                        "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                        "startTime": "08:00:00.0000000",
                        "endTime": "17:00:00.0000000",
                        "timeZone": {"name": "W. Europe Standard Time"},
                    },
                }
            )
        what = "Collection(microsoft.graph.scheduleInformation)"
        return JSONResponse({"@odata.context": odata.context(request, what), "value": values})

    async def find_meeting_times(self, request: Request) -> Response:
        self._token(request, READ)
        body = await odata.json_body(request)
        people = [str((a.get("emailAddress") or {}).get("address", "")) for a in body.get("attendees") or ()]
        people.append(self.state.owner.email)
        match = _DURATION.fullmatch(str(body.get("meetingDuration") or "PT30M"))
        if match is None:
            raise bad_request("meetingDuration is not an ISO 8601 duration.", "ErrorInvalidParameter")
        days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
        duration = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        slots = ((body.get("timeConstraint") or {}).get("timeSlots")) or []
        if not slots:
            raise bad_request("timeConstraint.timeSlots is required.", "ErrorInvalidParameter")
        limit = int(body.get("maxCandidates") or 5)
        suggestions = []
        for slot in slots:
            start, end = parse_time(slot.get("start"), "start"), parse_time(slot.get("end"), "end")
            busy = {p: self.state.busy(p, start, end) or [] for p in people}
            when = start
            while when + duration <= end and len(suggestions) < limit:
                stop = when + duration
                if all(not any(e.start < stop and e.end > when for e in items) for items in busy.values()):
                    out_zone = slot["start"].get("timeZone") or "UTC"
                    suggestions.append(
                        {
                            "confidence": 100.0,
                            "organizerAvailability": "free",
                            "suggestionReason": "Suggested because all attendees are available.",
                            "meetingTimeSlot": {
                                "start": {
                                    "dateTime": odata.graph_datetime(when.astimezone(zone(out_zone))),
                                    "timeZone": out_zone,
                                },
                                "end": {
                                    "dateTime": odata.graph_datetime(stop.astimezone(zone(out_zone))),
                                    "timeZone": out_zone,
                                },
                            },
                            "attendeeAvailability": [
                                {
                                    "attendee": {"type": "required", "emailAddress": {"address": p}},
                                    "availability": "free",
                                }
                                for p in people[:-1]
                            ],
                            "locations": [],
                        }
                    )
                when += dt.timedelta(minutes=30)
        reason = "" if suggestions else "attendeesUnavailable"
        return JSONResponse({"@odata.context": odata.context(request, "microsoft.graph.meetingTimeSuggestionsResult"),
                             "meetingTimeSuggestions": suggestions, "emptySuggestionsReason": reason})  # fmt: skip

    async def rooms(self, request: Request) -> Response:
        self.emulator.oauth.require_token(request, scopes=PLACES)
        items = [
            {
                "@odata.type": "#microsoft.graph.room",
                "id": "3162F1E1-C4C0-604B-51D8-91DA78989EB1",
                "displayName": room.owner.name,
                "emailAddress": room.owner.email,
                "capacity": 8,
                "building": "Berlin HQ",
                "floorNumber": 4,
                "floorLabel": "4",
                "bookingType": "standard",
                "isWheelChairAccessible": True,
                "nickname": room.owner.name,
                "phone": "",
                "tags": ["video"],
            }
            for room in self.state.rooms()
        ]
        return odata.collection(request, items, "places/microsoft.graph.room", dict, default_top=100)

    # -- routes ----------------------------------------------------------------------------------------------------

    def routes(self, prefix: str) -> list[Route]:
        routes: list[Route] = [
            Route(f"{prefix}/calendars", self.calendars, methods=["GET"]),
            Route(f"{prefix}/calendarGroups", self.groups, methods=["GET"]),
            Route(f"{prefix}/calendarGroups/{{group_id}}/calendars", self.group_calendars, methods=["GET"]),
            Route(f"{prefix}/findMeetingTimes", self.find_meeting_times, methods=["POST"]),
            Route(f"{prefix}/events", self.events, methods=["GET", "POST"]),
            Route(f"{prefix}/events/{{event_id}}", self.event, methods=["GET", "PATCH", "DELETE"]),
            Route(f"{prefix}/calendarView", self.calendar_view, methods=["GET"]),
            Route(f"{prefix}/calendarView/delta()", self.calendar_view_delta, methods=["GET"]),
            Route(f"{prefix}/calendarView/delta", self.calendar_view_delta, methods=["GET"]),
        ]
        for action in ("accept", "decline", "tentativelyAccept"):
            routes.append(Route(f"{prefix}/events/{{event_id}}/{action}", self.respond, methods=["POST"]))
        for base in (f"{prefix}/calendar", f"{prefix}/calendars/{{calendar_id}}"):
            routes += [
                Route(base, self.calendar, methods=["GET"]),
                Route(f"{base}/calendarPermissions", self.permissions, methods=["GET"]),
                Route(f"{base}/calendarView", self.calendar_view, methods=["GET"]),
                Route(f"{base}/calendarView/delta()", self.calendar_view_delta, methods=["GET"]),
                Route(f"{base}/calendarView/delta", self.calendar_view_delta, methods=["GET"]),
                Route(f"{base}/events", self.events, methods=["GET", "POST"]),
                Route(f"{base}/events/{{event_id}}", self.event, methods=["GET", "PATCH", "DELETE"]),
                Route(f"{base}/getSchedule", self.get_schedule, methods=["POST"]),
            ]
            for action in ("accept", "decline", "tentativelyAccept"):
                routes.append(Route(f"{base}/events/{{event_id}}/{action}", self.respond, methods=["POST"]))
        return routes


def _attendee(data: Any, base: Event) -> Attendee:
    if not isinstance(data, dict):
        raise bad_request("An attendee must be an object.", "ErrorInvalidParameter")
    address = (data.get("emailAddress") or {}).get("address")
    if not address:
        raise bad_request("An attendee has no address.", "ErrorInvalidParameter")
    kind = str(data.get("type") or "required")
    if kind not in ("required", "optional", "resource"):
        raise bad_request(f"Unknown attendee type {kind!r}.", "ErrorInvalidParameter")
    previous = next((a for a in base.attendees if a.address.email.lower() == address.lower()), None)
    return Attendee(
        Address(address, str((data.get("emailAddress") or {}).get("name") or "")),
        previous.response if previous else ResponseStatus.NEEDS_ACTION,
        AttendeeRole(kind),
        organizer=previous.organizer if previous else False,
        is_self=previous.is_self if previous else False,
    )

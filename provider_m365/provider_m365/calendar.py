"""Microsoft 365 calendars through Graph: the host's CalendarProvider protocol.

Calendars: ``/me/calendars`` lists the user's own and those others shared with them (``owner``,
``canEdit``); a shared calendar the user may edit is a delegated one and is reached at
``/users/{owner}/calendar`` (the ``.Shared`` scopes); rooms come from ``places`` as resource calendars.
Events come from ``calendarView/delta`` (occurrences expanded), whose delta link is the window's cursor.
Times are asked for in UTC and put back into the event's own zone, which Graph names in Windows terms
(``originalStartTimeZone``).

Never Teams: every event written says ``isOnlineMeeting: false`` and names no online meeting provider;
a Zoom meeting travels in the body and location only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from host.errors import ProviderError
from host.model.calendar import (
    AccessRole,
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
from host.model.mail import Address
from host.providers.calendar import EventChanges, EventWindow
from host.providers.connection import ProviderConnection
from provider_m365.account import CALENDAR_CAPABILITIES
from provider_m365.graph import GraphClient
from provider_m365.patterns import from_pattern, to_pattern
from provider_m365.timezones import to_iana, to_windows

CAPABILITIES = CALENDAR_CAPABILITIES
ROOM = "room:"
#: getSchedule's schedules a request, kept small so that one slow mailbox does not hold up many.
SCHEDULES_PER_REQUEST = 20
RESPONSES = {
    "notResponded": ResponseStatus.NEEDS_ACTION,
    "accepted": ResponseStatus.ACCEPTED,
    "tentativelyAccepted": ResponseStatus.TENTATIVE,
    "declined": ResponseStatus.DECLINED,
    "organizer": ResponseStatus.ACCEPTED,
}
ACTIONS = {
    ResponseStatus.ACCEPTED: "accept",
    ResponseStatus.DECLINED: "decline",
    ResponseStatus.TENTATIVE: "tentativelyAccept",
}
SHOW_AS = {"free": ShowAs.FREE, "tentative": ShowAs.TENTATIVE, "busy": ShowAs.BUSY, "oof": ShowAs.OUT_OF_OFFICE,
           "workingElsewhere": ShowAs.WORKING_ELSEWHERE, "unknown": ShowAs.BUSY}  # fmt: skip
ROLES = {
    "freeBusyRead": (AccessRole.FREE_BUSY, False),
    "limitedRead": (AccessRole.FREE_BUSY, False),
    "read": (AccessRole.READER, False),
    "write": (AccessRole.WRITER, True),
    "delegateWithoutPrivateEventAccess": (AccessRole.WRITER, True),
    "delegateWithPrivateEventAccess": (AccessRole.WRITER, True),
}
COLORS = {"lightBlue": "#a4c2f4", "lightGreen": "#b6d7a8", "lightOrange": "#f9cb9c", "lightGray": "#d9d9d9",
          "lightYellow": "#ffe599", "lightTeal": "#a2c4c9", "lightPink": "#ead1dc", "lightBrown": "#d5a6bd",
          "lightRed": "#ea9999", "maxColor": None, "auto": None}  # fmt: skip


def _utc(text: str) -> dt.datetime:
    """A Graph date-time asked for in UTC (seven fractional digits, no offset)."""
    return dt.datetime.fromisoformat(text[:26].rstrip("Z")).replace(tzinfo=dt.UTC)


def _address(data: dict[str, Any] | None) -> Address | None:
    email = (data or {}).get("emailAddress") or {}
    return Address(str(email["address"]), str(email.get("name") or "")) if email.get("address") else None


def event_from_graph(item: dict[str, Any], calendar_id: str, me: str) -> Event:
    """An event (asked for with ``Prefer: outlook.timezone="UTC"``) in its own time zone."""
    zone_name = to_iana(item.get("originalStartTimeZone"))
    zone = ZoneInfo(zone_name)
    if item.get("isAllDay"):
        # An all-day event is a span of dates, whatever zone the answer is in.
        start = dt.datetime.combine(dt.date.fromisoformat(item["start"]["dateTime"][:10]), dt.time(), zone)
        end = dt.datetime.combine(dt.date.fromisoformat(item["end"]["dateTime"][:10]), dt.time(), zone)
    else:
        start = _utc(item["start"]["dateTime"]).astimezone(zone)
        end = _utc(item["end"]["dateTime"]).astimezone(zone)
    attendees = []
    for data in item.get("attendees") or ():
        address = _address(data)
        if address is None:
            continue
        attendees.append(
            Attendee(
                address,
                RESPONSES.get((data.get("status") or {}).get("response", ""), ResponseStatus.NEEDS_ACTION),
                AttendeeRole(
                    data.get("type") if data.get("type") in ("required", "optional", "resource") else "required"
                ),
                is_self=address.email.lower() == me,
            )
        )
    organizer = _address(item.get("organizer"))
    if organizer is not None:
        attendees.insert(
            0, Attendee(organizer, ResponseStatus.ACCEPTED, organizer=True, is_self=organizer.email.lower() == me)
        )
    response = (item.get("responseStatus") or {}).get("response", "none")
    meeting = item.get("onlineMeeting") or {}
    original = item.get("originalStart")
    return Event(
        id=item["id"],
        calendar_id=calendar_id,
        title=item.get("subject") or "",
        start=start,
        end=end,
        all_day=bool(item.get("isAllDay")),
        time_zone=zone_name,
        location=((item.get("location") or {}).get("displayName")) or "",
        description=((item.get("body") or {}).get("content")) or "",
        organizer=organizer,
        attendees=tuple(attendees) if len(attendees) > 1 or item.get("attendees") else (),
        recurrence=from_pattern(item.get("recurrence")) if item.get("type") == "seriesMaster" else (),
        series_id=item.get("seriesMasterId"),
        original_start=_utc(original).astimezone(zone) if original else None,
        status=EventStatus.CANCELLED if item.get("isCancelled") else EventStatus.CONFIRMED,
        show_as=SHOW_AS.get(item.get("showAs", "busy"), ShowAs.BUSY),
        reminders=(Reminder(int(item.get("reminderMinutesBeforeStart") or 0)),) if item.get("isReminderOn") else (),
        online_meeting=(
            OnlineMeeting(str(item.get("onlineMeetingProvider") or "unknown"), str(meeting["joinUrl"]))
            if item.get("isOnlineMeeting") and meeting.get("joinUrl")
            else None
        ),
        my_response=RESPONSES.get(response),
        updated=_utc(item["lastModifiedDateTime"]) if item.get("lastModifiedDateTime") else None,
        provider_data={"changeKey": item.get("changeKey"), "type": item.get("type"), "iCalUId": item.get("iCalUId")},
    )


def _wall(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def event_to_graph(event: Event, *, with_recurrence: bool = True) -> dict[str, Any]:
    """The JSON for a create or an update. ``isOnlineMeeting`` is always false and no online meeting
    provider is named: Graph would otherwise attach a Teams meeting (promise 1)."""
    zone = ZoneInfo(event.time_zone or "UTC")
    windows = to_windows(event.time_zone)
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    if event.all_day:
        start, end = start.replace(hour=0, minute=0, second=0), end.replace(hour=0, minute=0, second=0)
    description = event.description
    location = event.location
    meeting = event.online_meeting
    if meeting is not None and meeting.provider == "zoom" and meeting.join_url not in description:
        # The join link (never the host's start link) goes into the invitation text.
        lines = [description, "", "Join Zoom Meeting", meeting.join_url]
        if meeting.meeting_id:
            lines.append(f"Meeting ID: {meeting.meeting_id}")
        if meeting.passcode:
            lines.append(f"Passcode: {meeting.passcode}")
        description = "\n".join(lines).strip()
        location = location or "Zoom"
    popup = next((r for r in event.reminders if r.method == "popup"), None)
    body: dict[str, Any] = {
        "subject": event.title,
        "body": {"contentType": "text", "content": description},
        "start": {"dateTime": _wall(start), "timeZone": windows},
        "end": {"dateTime": _wall(end), "timeZone": windows},
        "isAllDay": event.all_day,
        "location": {"displayName": location},
        "attendees": [
            {"emailAddress": {"address": a.address.email, "name": a.address.name}, "type": a.role.value}
            for a in event.attendees
            if not a.organizer
        ],
        "showAs": {v: k for k, v in SHOW_AS.items() if k != "unknown"}[event.show_as],
        "isReminderOn": popup is not None,
        "isOnlineMeeting": False,
    }
    if popup is not None:
        body["reminderMinutesBeforeStart"] = popup.minutes
    if with_recurrence and event.recurrence and event.series_id is None:
        body["recurrence"] = to_pattern(event.recurrence, start, event.time_zone)
    return body


class M365CalendarProvider:
    capabilities = CAPABILITIES

    def __init__(self, connection: ProviderConnection) -> None:
        self.graph = GraphClient(connection, prefer=('outlook.timezone="UTC"',))
        self.me = connection.account.email.lower()
        self._paths: dict[str, str] = {}

    # -- calendars -----------------------------------------------------------------------------------

    async def list_calendars(self) -> list[Calendar]:
        items = await self.graph.all("me/calendars", params={"$top": "100"})
        try:
            rooms = await self.graph.all("places/microsoft.graph.room", params={"$top": "100"})
        except ProviderError as error:
            if error.status != 403:
                raise
            rooms = []  # the Place.Read.All scope was declined: no rooms
        calendars = []
        for item in items:
            owner = _address({"emailAddress": item.get("owner") or {}})
            mine = owner is None or owner.email.lower() == self.me
            can_edit = bool(item.get("canEdit"))
            if mine:
                kind, role, path = CalendarKind.OWN, AccessRole.OWNER, f"me/calendars/{item['id']}"
            else:
                kind = CalendarKind.DELEGATED if can_edit else CalendarKind.SHARED
                role = AccessRole.WRITER if can_edit else AccessRole.READER
                path = f"users/{owner.email}/calendar"
            self._paths[item["id"]] = path
            calendars.append(
                Calendar(
                    id=item["id"],
                    name=item.get("name") or "",
                    kind=kind,
                    access_role=role,
                    owner=owner,
                    color=item.get("hexColor") or COLORS.get(item.get("color", "auto")),
                    primary=bool(item.get("isDefaultCalendar")) and mine,
                    provider_data={"path": path},
                )
            )
        for room in rooms:
            email = room.get("emailAddress")
            if not email:
                continue
            calendar_id = ROOM + email
            self._paths[calendar_id] = f"users/{email}/calendar"
            calendars.append(
                Calendar(
                    id=calendar_id,
                    name=room.get("displayName") or email,
                    kind=CalendarKind.RESOURCE,
                    access_role=AccessRole.READER,
                    owner=Address(email, room.get("displayName") or ""),
                    provider_data={"path": self._paths[calendar_id], "capacity": room.get("capacity")},
                )
            )
        return calendars

    async def _path(self, calendar_id: str) -> str:
        if calendar_id not in self._paths:
            await self.list_calendars()
        try:
            return self._paths[calendar_id]
        except KeyError:
            raise ProviderError(
                "Microsoft 365 does not list this calendar any more.", status=404, hint="Refresh the calendar list."
            ) from None

    # -- events -----------------------------------------------------------------------------------------

    async def _follow(self, url: str, params: dict[str, str] | None, calendar_id: str) -> EventChanges:
        upserted: list[Event] = []
        deleted: list[str] = []
        page = await self.graph.get(url, params=params, cursor=params is None)
        while True:
            for item in page.get("value", []):
                if "@removed" in item:
                    deleted.append(item["id"])
                else:
                    upserted.append(event_from_graph(item, calendar_id, self.me))
            if "@odata.deltaLink" in page:
                return EventChanges(tuple(upserted), tuple(deleted), self.graph.relative(page["@odata.deltaLink"]))
            page = await self.graph.get(page["@odata.nextLink"], cursor=True)

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow:
        path = await self._path(calendar_id)
        params = {
            "startDateTime": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "endDateTime": end.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        found = await self._follow(f"{path}/calendarView/delta", params, calendar_id)
        return EventWindow(found.upserted, found.cursor)

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        return await self._follow(cursor, None, calendar_id)

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        # Graph invites attendees whenever an event with attendees is saved; ``notify`` cannot stop it.
        path = await self._path(event.calendar_id)
        item = await self.graph.json("POST", f"{path}/events", json=event_to_graph(event))
        return event_from_graph(item, event.calendar_id, self.me)

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        path = await self._path(event.calendar_id)
        item = await self.graph.json("PATCH", f"{path}/events/{event.id}", json=event_to_graph(event))
        return event_from_graph(item, event.calendar_id, self.me)

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        path = await self._path(calendar_id)
        await self.graph.send("DELETE", f"{path}/events/{event_id}")

    async def respond(
        self,
        calendar_id: str,
        event_id: str,
        response: ResponseStatus,
        *,
        comment: str = "",
        notify: bool = True,
    ) -> Event:
        if response not in ACTIONS:
            raise ProviderError("An invitation can be accepted, declined or accepted tentatively, nothing else.")
        path = await self._path(calendar_id)
        body = {"comment": comment, "sendResponse": notify}
        await self.graph.send("POST", f"{path}/events/{event_id}/{ACTIONS[response]}", json=body)
        return event_from_graph(await self.graph.get(f"{path}/events/{event_id}"), calendar_id, self.me)

    # -- availability ------------------------------------------------------------------------------------

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        chunks = [
            list(addresses[i : i + SCHEDULES_PER_REQUEST]) for i in range(0, len(addresses), SCHEDULES_PER_REQUEST)
        ]
        window = {
            "startTime": {"dateTime": _wall(start.astimezone(dt.UTC)), "timeZone": "UTC"},
            "endTime": {"dateTime": _wall(end.astimezone(dt.UTC)), "timeZone": "UTC"},
            "availabilityViewInterval": 15,
        }
        answers = await asyncio.gather(
            *(self.graph.json("POST", "me/calendar/getSchedule", json={"schedules": c, **window}) for c in chunks)
        )
        by_address = {str(v["scheduleId"]).lower(): v for answer in answers for v in answer.get("value", [])}
        result = []
        for address in addresses:
            info = by_address.get(address.lower())
            if info is None or info.get("error"):
                message = ((info or {}).get("error") or {}).get("message", "Microsoft 365 did not answer for them.")
                result.append(FreeBusy(address, error=str(message)))
                continue
            busy = tuple(
                BusyInterval(
                    _utc(i["start"]["dateTime"]), _utc(i["end"]["dateTime"]), SHOW_AS.get(i.get("status"), ShowAs.BUSY)
                )
                for i in info.get("scheduleItems") or ()
                if i.get("status") != "free"
            )
            result.append(FreeBusy(address, busy))
        return result

    async def find_meeting_times(
        self,
        attendees: Sequence[str],
        start: dt.datetime,
        end: dt.datetime,
        duration: dt.timedelta,
        *,
        max_candidates: int = 5,
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Slots of ``duration`` between ``start`` and ``end`` when everyone is free, as Graph suggests them."""
        minutes = int(duration.total_seconds() // 60)
        body = {
            "attendees": [{"type": "required", "emailAddress": {"address": a}} for a in attendees],
            "timeConstraint": {
                "activityDomain": "unrestricted",
                "timeSlots": [
                    {
                        "start": {"dateTime": _wall(start.astimezone(dt.UTC)), "timeZone": "UTC"},
                        "end": {"dateTime": _wall(end.astimezone(dt.UTC)), "timeZone": "UTC"},
                    }
                ],
            },
            "meetingDuration": f"PT{minutes // 60}H{minutes % 60}M",
            "maxCandidates": max_candidates,
            "isOrganizerOptional": False,
        }
        answer = await self.graph.json("POST", "me/findMeetingTimes", json=body)
        return [
            (_utc(s["meetingTimeSlot"]["start"]["dateTime"]), _utc(s["meetingTimeSlot"]["end"]["dateTime"]))
            for s in answer.get("meetingTimeSuggestions") or ()
        ]

    async def delegate_permissions(self) -> list[DelegatePermission]:
        """Whom the user lets act on their calendar, and whose calendars the user may act on."""
        calendars = await self.list_calendars()
        mine = next((c for c in calendars if c.primary), None)
        others = [c for c in calendars if c.kind in (CalendarKind.SHARED, CalendarKind.DELEGATED) and c.owner]
        answers = await asyncio.gather(
            self.graph.all("me/calendar/calendarPermissions"),
            *(self.graph.all(f"users/{c.owner.email}/calendar/calendarPermissions") for c in others if c.owner),
        )
        me = Address(self.me)
        result: list[DelegatePermission] = []
        if mine is not None:
            for item in answers[0]:
                delegate = _address({"emailAddress": item.get("emailAddress")})
                if delegate is None or item.get("role") not in ROLES:
                    continue
                role, can_schedule = ROLES[item["role"]]
                result.append(DelegatePermission(mine.id, mine.owner or me, delegate, role, can_schedule))
        for calendar, items in zip(others, answers[1:], strict=True):
            for item in items:
                delegate = _address({"emailAddress": item.get("emailAddress")})
                if delegate is None or delegate.email.lower() != self.me or item.get("role") not in ROLES:
                    continue
                role, can_schedule = ROLES[item["role"]]
                assert calendar.owner is not None
                result.append(DelegatePermission(calendar.id, calendar.owner, delegate, role, can_schedule))
        return result

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client belongs to the host."""

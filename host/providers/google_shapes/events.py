"""Google-Calendar-shaped event JSON as the host's :class:`~host.model.Event` and back: times (dates for
all-day events, ``dateTime`` with ``timeZone`` otherwise), recurrence, reminders, attendees, and the
calendar list's entries as :class:`~host.model.CalendarKind`.

Serves every provider whose calendar API follows Google Calendar's JSON (Google Calendar, Zoom
Calendar). Each keeps its own parts: how it carries a Zoom meeting, which recurrence it writes, the
domains of its resource and group calendars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from host.model import (
    Address,
    Attendee,
    AttendeeRole,
    CalendarKind,
    Event,
    EventStatus,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
    ShowAs,
)


def calendar_path(calendar_id: str) -> str:
    """A calendar id as a path segment (``@`` stays, as in the API's own links)."""
    return quote(calendar_id, safe="@")


def zone(name: str | None) -> ZoneInfo:
    """The time zone of that name; UTC for none or one this machine does not know."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(field: dict, zone_name: str) -> tuple[dt.datetime, bool, str]:
    """An event time as (instant, all day?, time zone name); ``zone_name`` where the field names none."""
    zone_of_field = field.get("timeZone") or zone_name
    if field.get("date"):
        day = dt.date.fromisoformat(field["date"])
        return dt.datetime.combine(day, dt.time(), zone(zone_of_field)), True, zone_of_field
    return dt.datetime.fromisoformat(field["dateTime"]).astimezone(zone(zone_of_field)), False, zone_of_field


def time_field(value: dt.datetime, all_day: bool, zone_name: str) -> dict:
    if all_day:
        return {"date": value.astimezone(zone(zone_name)).date().isoformat()}
    return {"dateTime": value.isoformat(timespec="seconds"), "timeZone": zone_name}


def _address(person: dict | None) -> Address | None:
    if not person or not person.get("email"):
        return None
    return Address(person["email"], person.get("displayName", ""))


def event_from_json(
    resource: dict,
    calendar_id: str,
    zone_name: str,
    *,
    online_meeting: OnlineMeeting | None,
    provider_keys: Sequence[str],
) -> Event:
    """An event resource as an :class:`Event`; the provider reads its meeting, and keeps ``provider_keys``."""
    start, all_day, event_zone = when(resource["start"], zone_name)
    end, _, _ = when(resource["end"], event_zone)
    attendees = tuple(
        Attendee(
            Address(a["email"], a.get("displayName", "")),
            ResponseStatus(a.get("responseStatus", "needsAction")),
            AttendeeRole.RESOURCE
            if a.get("resource")
            else (AttendeeRole.OPTIONAL if a.get("optional") else AttendeeRole.REQUIRED),
            organizer=bool(a.get("organizer")),
            is_self=bool(a.get("self")),
        )
        for a in resource.get("attendees", [])
    )
    mine = next((a.response for a in attendees if a.is_self), None)
    reminders = tuple(
        Reminder(int(r["minutes"]), r.get("method", "popup"))
        for r in (resource.get("reminders") or {}).get("overrides", [])
    )
    original = resource.get("originalStartTime")
    return Event(
        id=resource["id"],
        calendar_id=calendar_id,
        title=resource.get("summary", ""),
        start=start,
        end=end,
        all_day=all_day,
        time_zone=event_zone,
        location=resource.get("location", ""),
        description=resource.get("description", ""),
        organizer=_address(resource.get("organizer")),
        attendees=attendees,
        recurrence=tuple(resource.get("recurrence", [])),
        series_id=resource.get("recurringEventId"),
        original_start=when(original, event_zone)[0] if original else None,
        status=EventStatus(resource.get("status", "confirmed")),
        show_as=ShowAs.FREE if resource.get("transparency") == "transparent" else ShowAs.BUSY,
        reminders=reminders,
        online_meeting=online_meeting,
        my_response=mine,
        updated=dt.datetime.fromisoformat(resource["updated"]) if resource.get("updated") else None,
        provider_data={key: resource[key] for key in provider_keys if key in resource},
    )


def event_body(event: Event, *, organizer_flag: bool) -> dict[str, Any]:
    """The event body without recurrence and meeting (each provider writes those its own way);
    ``organizer_flag`` marks the organizer among the attendees, where the API takes that."""
    return {
        "summary": event.title,
        "description": event.description,
        "location": event.location,
        "start": time_field(event.start, event.all_day, event.time_zone),
        "end": time_field(event.end, event.all_day, event.time_zone),
        "status": event.status.value,
        "transparency": "transparent" if event.show_as is ShowAs.FREE else "opaque",
        "reminders": {
            "useDefault": False,
            "overrides": [{"method": r.method, "minutes": r.minutes} for r in event.reminders],
        },
        "attendees": [
            {
                "email": a.address.email,
                **({"displayName": a.address.name} if a.address.name else {}),
                "responseStatus": a.response.value,
                **({"optional": True} if a.role is AttendeeRole.OPTIONAL else {}),
                **({"resource": True} if a.role is AttendeeRole.RESOURCE else {}),
                **({"organizer": True} if organizer_flag and a.organizer else {}),
            }
            for a in event.attendees
        ],
    }


def write_meeting_text(body: dict[str, Any], meeting: OnlineMeeting, *, heading: str, dial_in: bool) -> None:
    """A Zoom meeting written as text into ``body``: its join link in the location when that is empty,
    and ``heading`` with the link, meeting id, passcode (and ``dial_in`` numbers) in the description.
    The start URL is the host's own and never goes into an invitation."""
    if not body["location"]:
        body["location"] = meeting.join_url
    if meeting.join_url not in body["description"]:
        body["description"] = (body["description"] + "\n\n" if body["description"] else "") + (
            f"{heading}: {meeting.join_url}"
            + (f"\nMeeting ID: {meeting.meeting_id}" if meeting.meeting_id else "")
            + (f"\nPasscode: {meeting.passcode}" if meeting.passcode else "")
            + ("".join(f"\nDial in: {number}" for number in meeting.dial_in) if dial_in else "")
        )


def calendar_kind(
    entry: dict, account_email: str, *, resource_suffix: str, not_people: tuple[str, ...]
) -> CalendarKind:
    """A calendar list entry's kind: the account's own, a resource, a person's delegated to it, or shared.
    ``resource_suffix`` ends resource calendars' ids; ``not_people`` ends those that are no person's."""
    calendar_id = entry["id"]
    if entry.get("primary") or calendar_id.lower() == account_email.lower():
        return CalendarKind.OWN
    if calendar_id.endswith(resource_suffix):
        return CalendarKind.RESOURCE
    if entry.get("accessRole") == "owner" and calendar_id.endswith(not_people):
        return CalendarKind.OWN
    is_person = "@" in calendar_id and not calendar_id.endswith(not_people)
    if is_person and entry.get("accessRole") in ("writer", "owner"):
        return CalendarKind.DELEGATED
    return CalendarKind.SHARED

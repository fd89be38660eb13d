"""How events read: the one-line description used for tooltips, accessible text and messages. No Qt."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from calendar_view.placement import event_dates, zone_of
from host.model.calendar import Event, ResponseStatus

RESPONSES = {
    ResponseStatus.ACCEPTED: "accepted",
    ResponseStatus.TENTATIVE: "tentative",
    ResponseStatus.DECLINED: "declined",
    ResponseStatus.NEEDS_ACTION: "not answered yet",
}


def clock(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def when(event: Event, zone: ZoneInfo) -> str:
    """The event's time in the user's zone, and in its own when that differs (a call set in New York)."""
    if event.all_day:
        first, last = event_dates(event, zone)
        return first.strftime("%a %d %b") + (f" – {last.strftime('%a %d %b')}" if last != first else "") + ", all day"
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    text = f"{start.strftime('%a %d %b')} {clock(start)}–{clock(end)}"
    own = zone_of(event)
    if own.key != zone.key and own.utcoffset(event.start) != zone.utcoffset(event.start):
        text += f" ({clock(event.start.astimezone(own))}–{clock(event.end.astimezone(own))} {own.key})"
    return text


def describe(event: Event, zone: ZoneInfo, calendar_name: str = "") -> str:
    parts = [event.title or "(no title)", when(event, zone)]
    if event.location:
        parts.append(event.location)
    if calendar_name:
        parts.append(f"calendar {calendar_name}")
    if event.recurrence or event.series_id:
        parts.append("repeats")
    if event.my_response is not None and not is_organizer(event):
        parts.append(f"you: {RESPONSES[event.my_response]}")
    return ", ".join(parts)


def is_organizer(event: Event) -> bool:
    return any(a.is_self and a.organizer for a in event.attendees)


def is_invitation(event: Event) -> bool:
    """The user is an attendee (not the organiser): accept / tentative / decline apply."""
    return any(a.is_self and not a.organizer for a in event.attendees)

"""The sandbox toolkit's generated calendars put into Google Calendar's shapes, and the label colours
seeded mailboxes use: for every emulator whose APIs follow Gmail's and Google Calendar's JSON (the
Google emulator, the Zoom emulator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from host.model.calendar import AttendeeRole, CalendarKind, Event, EventStatus, ShowAs
from host.sandbox.calendar_store import CalendarStore, rfc3339
from host.sandbox.datagen import CalendarSet

#: Colours from Gmail's label palette (text, background), which Zoom Mail's spec allows too.
LABEL_COLOURS = (
    ("#ffffff", "#16a766"),
    ("#ffffff", "#4a86e8"),
    ("#000000", "#fad165"),
    ("#ffffff", "#a479e2"),
    ("#ffffff", "#e66550"),
    ("#000000", "#b9e4d0"),
)


def calendar_ids(calendars: CalendarSet, domain: str) -> dict[str, str]:
    """The generated calendars' ids as Google names them (``domain``: ``calendar.google.com``): a person's
    primary calendar is their address, others are ``c_...@resource.<domain>`` or ``c_...@group.<domain>``."""
    ids = {}
    for calendar in calendars.calendars:
        if calendar.primary:
            ids[calendar.id] = calendars.owner.email
        elif calendar.kind is CalendarKind.RESOURCE:
            ids[calendar.id] = f"c_{calendar.id}@resource.{domain}"
        elif calendar.kind in (CalendarKind.SHARED, CalendarKind.DELEGATED) and calendar.owner is not None:
            ids[calendar.id] = calendar.owner.email
        else:
            ids[calendar.id] = f"c_{calendar.id}@group.{domain}"
    return ids


def seed_calendars(
    store: CalendarStore,
    calendars: CalendarSet,
    owners: dict[str, str],
    *,
    domain: str,
    event_json: Callable[[Event], dict],
) -> None:
    """The generated calendars and events into ``store``, ids as :func:`calendar_ids` makes them;
    ``owners`` gets each calendar's owner, ``event_json`` makes an event's JSON."""
    ids = calendar_ids(calendars, domain)
    user = calendars.owner.email
    for calendar in calendars.calendars:
        calendar_id = ids[calendar.id]
        store.add_calendar(calendar_id, calendar.name, calendar.time_zone or "UTC")
        owner = calendar.owner.email if calendar.owner and calendar.kind is not CalendarKind.OWN else user
        owners[calendar_id] = owner if calendar.kind is not CalendarKind.RESOURCE else calendar_id
        store.grant(
            user, calendar_id, calendar.access_role.value, primary=calendar.primary, color=calendar.color or "#4285f4"
        )
        if owner != user and calendar.kind is not CalendarKind.RESOURCE:
            store.grant(owner, calendar_id, "owner", primary=True)
    for event in calendars.events:
        calendar_id = ids[event.calendar_id]
        body = event_json(event)
        store.put(calendar_id, body)
        invited = any(a.address.email == user and not a.organizer for a in event.attendees)
        if invited and calendar_id != user:
            # The server puts an invitation into every guest's primary calendar, under the same id.
            store.put(user, dict(body))


def _time(value: dt.datetime, all_day: bool, zone: str) -> dict:
    if all_day:
        return {"date": value.date().isoformat()}
    return {"dateTime": rfc3339(value), "timeZone": zone}


def event_json(event: Event, *, ical_domain: str) -> dict:
    """An event as the store keeps it, its iCalUID at ``ical_domain``."""
    stamp = (event.updated or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC)
    body: dict = {
        "kind": "calendar#event",
        "id": event.id,
        "status": event.status.value,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "updated": stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "summary": event.title,
        "description": event.description,
        "location": event.location,
        "start": _time(event.start, event.all_day, event.time_zone),
        "end": _time(event.end, event.all_day, event.time_zone),
        "iCalUID": f"{event.series_id or event.id}@{ical_domain}",
        "sequence": 0,
        "reminders": {
            "useDefault": False,
            "overrides": [{"method": r.method, "minutes": r.minutes} for r in event.reminders],
        },
    }
    if event.organizer is not None:
        body["organizer"] = {"email": event.organizer.email}
        body["creator"] = {"email": event.organizer.email}
    if event.show_as is ShowAs.FREE:
        body["transparency"] = "transparent"
    if event.status is EventStatus.TENTATIVE:
        body["status"] = "tentative"
    if event.recurrence:
        body["recurrence"] = list(event.recurrence)
    if event.series_id:
        body["recurringEventId"] = event.series_id
        original = event.original_start or event.start
        body["originalStartTime"] = _time(original, event.all_day, event.time_zone)
    if event.attendees:
        body["attendees"] = [
            {
                "email": a.address.email,
                **({"displayName": a.address.name} if a.address.name else {}),
                "responseStatus": a.response.value,
                **({"organizer": True} if a.organizer else {}),
                **({"optional": True} if a.role is AttendeeRole.OPTIONAL else {}),
                **({"resource": True} if a.role is AttendeeRole.RESOURCE else {}),
            }
            for a in event.attendees
        ]
    return body

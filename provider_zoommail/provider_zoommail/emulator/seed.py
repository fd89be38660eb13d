"""The sandbox toolkit's generated mailbox and calendars, put into Zoom Mail's and Zoom Calendar's shapes."""

from __future__ import annotations

import datetime as dt

from host.model.calendar import AttendeeRole, CalendarKind, Event, EventStatus, ShowAs
from host.sandbox.calendar_store import CalendarStore, rfc3339
from host.sandbox.datagen import CUSTOM_LABELS, CalendarSet
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from provider_zoommail.emulator.mailbox import ZoomMailbox

#: Colours from the label palette the spec allows (text, background).
LABEL_COLOURS = (
    ("#ffffff", "#16a766"),
    ("#ffffff", "#4a86e8"),
    ("#000000", "#fad165"),
    ("#ffffff", "#a479e2"),
    ("#ffffff", "#e66550"),
    ("#000000", "#b9e4d0"),
)


def seed_mailbox(mailbox: ZoomMailbox, generated: GeneratedMailbox) -> None:
    """Labels (``Projekte/Ärger`` becomes ``Ärger`` under ``Projekte``, some with colours) and the messages."""
    label_ids: dict[str, str] = {}
    number = 0
    for name in CUSTOM_LABELS:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            full = "/".join(parts[:depth])
            if full in label_ids:
                continue
            text, background = LABEL_COLOURS[number % len(LABEL_COLOURS)]
            body: dict = {"name": parts[depth - 1], "parentId": label_ids.get("/".join(parts[: depth - 1]), "")}
            if number % 3 != 2:  # some labels have no colour, as in real mailboxes
                body["color"] = {"textColor": text, "backgroundColor": background}
            label_ids[full] = mailbox.create_label(body)["id"]
            number += 1
    mailbox.seed(generated, label_ids)


def calendar_ids(calendars: CalendarSet) -> dict[str, str]:
    """The generated calendars' ids as Zoom Calendar names them: a person's primary calendar is their address."""
    ids = {}
    for calendar in calendars.calendars:
        if calendar.primary:
            ids[calendar.id] = calendars.owner.email
        elif calendar.kind is CalendarKind.RESOURCE:
            ids[calendar.id] = f"c_{calendar.id}@resource.calendar.zoom.us"
        elif calendar.kind in (CalendarKind.SHARED, CalendarKind.DELEGATED) and calendar.owner is not None:
            ids[calendar.id] = calendar.owner.email
        else:
            ids[calendar.id] = f"c_{calendar.id}@group.calendar.zoom.us"
    return ids


def seed_calendars(store: CalendarStore, calendars: CalendarSet, owners: dict[str, str]) -> None:
    ids = calendar_ids(calendars)
    user = calendars.owner.email
    for calendar in calendars.calendars:
        zoom_id = ids[calendar.id]
        store.add_calendar(zoom_id, calendar.name, calendar.time_zone or "UTC")
        owner = calendar.owner.email if calendar.owner and calendar.kind is not CalendarKind.OWN else user
        owners[zoom_id] = owner if calendar.kind is not CalendarKind.RESOURCE else zoom_id
        store.grant(
            user, zoom_id, calendar.access_role.value, primary=calendar.primary, color=calendar.color or "#4285f4"
        )
        if owner != user and calendar.kind is not CalendarKind.RESOURCE:
            store.grant(owner, zoom_id, "owner", primary=True)
    for event in calendars.events:
        zoom_id = ids[event.calendar_id]
        body = event_json(event, zoom_id)
        store.put(zoom_id, body)
        invited = any(a.address.email == user and not a.organizer for a in event.attendees)
        if invited and zoom_id != user:
            # An invitation goes into every guest's primary calendar, under the same id.
            store.put(user, dict(body))


def _time(value: dt.datetime, all_day: bool, zone: str) -> dict:
    if all_day:
        return {"date": value.date().isoformat()}
    return {"dateTime": rfc3339(value), "timeZone": zone}


def event_json(event: Event, calendar_id: str) -> dict:
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
        "iCalUID": f"{event.series_id or event.id}@zoom.us",
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

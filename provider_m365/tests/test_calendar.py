"""The Graph calendar provider against the emulator over real HTTP."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest

from host.errors import CursorExpired, ProviderError
from host.model.calendar import (
    AccessRole,
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
from host.sandbox.recurrence import occurrences
from provider_m365.calendar import M365CalendarProvider
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.control import GraphControl
from provider_m365.patterns import UnsupportedRecurrence

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
WINDOW = (NOW - dt.timedelta(days=200), NOW + dt.timedelta(days=200))
LENA = "lena.schmidt@example.com"


def _event(calendar_id: str, title: str, zone: str = "Europe/Berlin", **changes) -> Event:
    start = dt.datetime.combine(NOW.date() + dt.timedelta(days=3), dt.time(10), ZoneInfo(zone))
    event = Event(
        id="",
        calendar_id=calendar_id,
        title=title,
        start=start,
        end=start + dt.timedelta(hours=1),
        time_zone=zone,
        location="Berlin 4.01",
        description="Agenda: roadmap",
        attendees=(Attendee(Address("ana.mueller@example.de", "Ana Müller"), role=AttendeeRole.OPTIONAL),),
        reminders=(Reminder(10),),
        show_as=ShowAs.TENTATIVE,
    )
    return attrs.evolve(event, **changes)


async def _primary(calendar: M365CalendarProvider) -> str:
    return next(c.id for c in await calendar.list_calendars() if c.primary)


async def test_calendars_with_their_kinds_and_roles(calendar: M365CalendarProvider) -> None:
    found = {c.name: c for c in await calendar.list_calendars()}
    assert [c.name for c in found.values() if c.primary] == ["Calendar"]
    assert found["Calendar"].kind is CalendarKind.OWN and found["Calendar"].access_role is AccessRole.OWNER
    assert found["Team holidays"].kind is CalendarKind.OWN and not found["Team holidays"].primary
    shared = found["Ana Müller"]
    assert shared.kind is CalendarKind.SHARED and shared.access_role is AccessRole.READER
    assert shared.owner == Address("ana.mueller@example.de", "Ana Müller")
    delegated = found["Lena Schmidt"]
    assert delegated.kind is CalendarKind.DELEGATED and delegated.writable and delegated.owner.email == LENA
    room = next(c for c in found.values() if c.kind is CalendarKind.RESOURCE)
    assert room.id == "room:room-berlin-4@resource.example.com" and room.provider_data["capacity"] == 8


async def test_events_come_in_their_own_time_zone(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    window = await calendar.list_events(primary, *WINDOW)
    expected = emulator.calendars.expand(primary, *WINDOW)
    assert sorted(e.id for e in window.events) == sorted(e.id for e in expected)
    by_id = {e.id: e for e in expected}
    for event in window.events:
        server = by_id[event.id]
        assert event.start == server.start and event.end == server.end  # the same instants
        assert event.time_zone == server.time_zone
        assert event.start.tzinfo == ZoneInfo(server.time_zone) or event.all_day
    assert any(e.series_id for e in window.events)  # recurring series come expanded
    assert window.cursor
    # Asked for in UTC: the zone is the event's own, from originalStartTimeZone's Windows name.
    views = emulator.log.find("GET", "/calendarView/delta")
    assert views and all('outlook.timezone="UTC"' in (v.header("prefer") or "") for v in views)


async def test_teams_is_never_added(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    zoom = OnlineMeeting(
        "zoom", "https://zoom.us/j/123456789?pwd=abc", "123 456 789", "abc", start_url="https://zoom.us/s/secret"
    )
    created = await calendar.create_event(_event(primary, "Planning", online_meeting=zoom))
    await calendar.update_event(attrs.evolve(created, title="Planning (moved)", online_meeting=zoom))
    lena = next(c.id for c in await calendar.list_calendars() if c.owner and c.owner.email == LENA)
    await calendar.create_event(_event(lena, "For Lena"))
    writes = [e for e in emulator.log.entries if e.method in ("POST", "PATCH") and "/events" in e.path]
    assert len(writes) == 3
    for write in writes:
        assert write.json["isOnlineMeeting"] is False
        assert "onlineMeetingProvider" not in write.json and "onlineMeeting" not in write.json
        assert "zoom.us/s/" not in write.text  # the host's start link never goes into an invitation
    stored = emulator.calendars.events[created.id]
    assert stored.online_meeting is None and "https://zoom.us/j/123456789" in stored.description
    assert stored.description.count("Join Zoom Meeting") == 1  # an update does not add it twice


async def test_create_update_delete_round_trip(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    wanted = _event(primary, "Kundentermin", zone="Asia/Kolkata")
    created = await calendar.create_event(wanted)
    assert created.id and created.time_zone == "Asia/Kolkata" and created.start == wanted.start
    assert created.reminders == (Reminder(10),) and created.show_as is ShowAs.TENTATIVE
    assert [a.address.email for a in created.attendees if not a.organizer] == ["ana.mueller@example.de"]
    assert created.attendees[1].role is AttendeeRole.OPTIONAL
    body = emulator.log.find("POST", "/events")[-1].json
    assert body["start"] == {"dateTime": wanted.start.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "India Standard Time"}
    assert emulator.calendars.events[created.id].time_zone == "Asia/Kolkata"

    moved = attrs.evolve(created, start=created.start + dt.timedelta(hours=2), end=created.end + dt.timedelta(hours=2))
    updated = await calendar.update_event(moved)
    assert updated.start == moved.start and emulator.calendars.events[created.id].start == moved.start
    await calendar.delete_event(primary, created.id)
    assert created.id not in emulator.calendars.events


async def test_all_day_events(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    day = dt.datetime.combine(NOW.date() + dt.timedelta(days=5), dt.time(), ZoneInfo("America/New_York"))
    event = _event(primary, "Offsite", zone="America/New_York", start=day, end=day + dt.timedelta(days=2), all_day=True)
    created = await calendar.create_event(event)
    assert created.all_day and created.start == day and created.end == day + dt.timedelta(days=2)


async def test_recurrence_travels_as_a_pattern(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    series = _event(primary, "Standup", recurrence=("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=9",))
    created = await calendar.create_event(series)
    assert created.recurrence and created.recurrence[0].startswith("RRULE:FREQ=WEEKLY")
    pattern = emulator.log.find("POST", "/events")[-1].json["recurrence"]
    assert pattern["pattern"]["type"] == "weekly" and pattern["range"]["numberOfOccurrences"] == 9
    assert pattern["range"]["recurrenceTimeZone"] == "W. Europe Standard Time"
    stored = emulator.calendars.events[created.id]
    window = await calendar.list_events(primary, *WINDOW)
    mine = [e for e in window.events if e.series_id == created.id]
    assert len(mine) == 9 == len(occurrences(stored, [], *WINDOW)) == len(occurrences(series, [], *WINDOW))
    # One occurrence moved, one cancelled: an exception and a gap.
    moved = attrs.evolve(mine[1], start=mine[1].start + dt.timedelta(hours=1), end=mine[1].end + dt.timedelta(hours=1))
    await calendar.update_event(moved)
    await calendar.delete_event(primary, mine[2].id)
    changes = await calendar.event_changes(primary, window.cursor or "")
    assert mine[2].id in changes.deleted
    assert any(e.id == mine[1].id and e.start == moved.start for e in changes.upserted)
    with pytest.raises(UnsupportedRecurrence, match="EXDATE"):  # it has no place in a patternedRecurrence
        await calendar.create_event(attrs.evolve(series, recurrence=(*series.recurrence, "EXDATE:20300101T100000Z")))


async def test_incremental_changes_and_expired_cursor(calendar: M365CalendarProvider, emulator: GraphEmulator):
    primary = await _primary(calendar)
    window = await calendar.list_events(primary, *WINDOW)
    control = GraphControl(emulator)
    start = NOW + dt.timedelta(days=1)
    added = control.add_event(primary, title="Server-side", start=start, end=start + dt.timedelta(hours=1))
    doomed = next(e for e in window.events if not e.series_id)
    emulator.calendars.delete(primary, doomed.id)
    changes = await calendar.event_changes(primary, window.cursor or "")
    assert [e.id for e in changes.upserted] == [added] and changes.deleted == (doomed.id,)
    quiet = await calendar.event_changes(primary, changes.cursor or "")
    assert (quiet.upserted, quiet.deleted) == ((), ())
    control.expire_calendar_cursor()
    with pytest.raises(CursorExpired):
        await calendar.event_changes(primary, quiet.cursor or "")


async def test_respond_to_an_invitation(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    primary = await _primary(calendar)
    control = GraphControl(emulator)
    start = NOW + dt.timedelta(days=2)
    invite = control.add_event(primary, title="Invite", start=start, end=start + dt.timedelta(hours=1), organizer=LENA)
    answered = await calendar.respond(primary, invite, ResponseStatus.TENTATIVE, comment="Maybe", notify=False)
    assert answered.my_response is ResponseStatus.TENTATIVE
    assert control.event_response(primary, invite) is ResponseStatus.TENTATIVE
    assert emulator.calendars.responses[-1] == (invite, "tentativelyAccept", False)
    assert emulator.log.find("POST", "/tentativelyAccept")[-1].json == {"comment": "Maybe", "sendResponse": False}


async def test_delegates_schedule_in_the_owners_calendar(calendar: M365CalendarProvider, emulator: GraphEmulator):
    calendars = await calendar.list_calendars()
    lena = next(c for c in calendars if c.kind is CalendarKind.DELEGATED)
    created = await calendar.create_event(_event(lena.id, "Board meeting"))
    assert emulator.log.find("POST", "/events")[-1].path == f"/v1.0/users/{LENA}/calendar/events"
    assert emulator.calendars.events[created.id].calendar_id == lena.id
    ana = next(c for c in calendars if c.kind is CalendarKind.SHARED)
    with pytest.raises(ProviderError) as refused:
        await calendar.create_event(_event(ana.id, "Not allowed"))
    assert refused.value.status == 403
    permissions = await calendar.delegate_permissions()
    mine = next(p for p in permissions if p.calendar_id == lena.id)
    assert mine.owner.email == LENA and mine.delegate.email == "alex.morgan@example.com"
    assert mine.role is AccessRole.WRITER and mine.can_schedule
    readers = [p for p in permissions if p.owner.email == "alex.morgan@example.com"]
    assert [(p.delegate.email, p.role, p.can_schedule) for p in readers] == [
        ("ana.mueller@example.de", AccessRole.READER, False)
    ]


async def test_free_busy_and_meeting_times(calendar: M365CalendarProvider, emulator: GraphEmulator) -> None:
    start, end = NOW, NOW + dt.timedelta(days=14)
    people = ["alex.morgan@example.com", LENA, "room-berlin-4@resource.example.com", "nobody@nowhere.example"]
    answers = {f.address: f for f in await calendar.free_busy(people, start, end)}
    expected = emulator.calendars.busy("alex.morgan@example.com", start, end) or []
    assert len(answers["alex.morgan@example.com"].busy) == len(expected) > 0
    assert answers["nobody@nowhere.example"].error and not answers["nobody@nowhere.example"].busy
    assert answers[LENA].error is None
    many = [f"person{n}@nowhere.example" for n in range(45)]
    assert len(await calendar.free_busy(many, start, end)) == 45
    assert max(len(r.json["schedules"]) for r in emulator.log.find("POST", "/getSchedule")) == 20

    slots = await calendar.find_meeting_times([LENA], start, start + dt.timedelta(days=3), dt.timedelta(minutes=45))
    assert slots and all(b - a == dt.timedelta(minutes=45) for a, b in slots)
    for a, b in slots:
        for person in ("alex.morgan@example.com", LENA):
            assert not any(e.start < b and e.end > a for e in emulator.calendars.busy(person, a, b) or [])

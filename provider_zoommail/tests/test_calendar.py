"""The Zoom Calendar provider against the emulator over real HTTP: calendars, events by PATCH, sync
tokens and their expiry, free/busy, and the autoAddZoomMeeting setting."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from host.errors import CursorExpired, ZoomclientError
from host.model import CalendarKind, Event, OnlineMeeting, ResponseStatus
from provider_zoommail.calendar import ZoomCalendar, meeting_in
from provider_zoommail.emulator import ZoomEmulator
from provider_zoommail.emulator.control import ZoomControl

WINDOW = dt.timedelta(days=60)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


async def primary(calendar: ZoomCalendar) -> str:
    (found,) = [c for c in await calendar.list_calendars() if c.primary]
    return found.id


async def test_the_calendar_list_has_the_users_primary_and_others_calendars(calendar: ZoomCalendar) -> None:
    calendars = await calendar.list_calendars()
    (own,) = [c for c in calendars if c.primary]
    assert own.id == calendar.connection.account.email and own.kind is CalendarKind.OWN and own.writable
    delegated = [c for c in calendars if c.kind is CalendarKind.DELEGATED]
    assert [p.calendar_id for p in await calendar.delegate_permissions()] == [c.id for c in delegated]


async def test_events_are_created_patched_and_deleted(calendar: ZoomCalendar, emulator: ZoomEmulator) -> None:
    calendar_id = await primary(calendar)
    start = now() + dt.timedelta(days=2)
    event = Event("", calendar_id, "Planning", start, start + dt.timedelta(hours=1), time_zone="Europe/Berlin")
    created = await calendar.create_event(event, notify=False)
    assert created.title == "Planning" and created.start == start and created.time_zone == "Europe/Berlin"
    assert created.online_meeting is None and created.location == ""
    later = dt.timedelta(days=1)
    moved = await calendar.update_event(
        attrs.evolve(created, title="Planning (moved)", start=created.start + later, end=created.end + later)
    )
    assert (moved.title, moved.id, moved.start) == ("Planning (moved)", created.id, start + later)
    assert emulator.log.find("PATCH", "/events/") and not emulator.log.find("PUT", "/events/")
    await calendar.delete_event(calendar_id, created.id)
    await calendar.delete_event(calendar_id, created.id)  # gone already: done
    assert "Planning (moved)" not in ZoomControl(emulator).event_titles(calendar_id)


async def test_a_zoom_meeting_is_written_as_text_and_read_back(calendar: ZoomCalendar) -> None:
    calendar_id = await primary(calendar)
    start = now() + dt.timedelta(days=3)
    meeting = OnlineMeeting(
        "zoom", "https://zoom.us/j/81234567890?pwd=abc", "81234567890", "123456", start_url="https://zoom.us/s/secret"
    )
    event = Event("", calendar_id, "Sync", start, start + dt.timedelta(minutes=30), online_meeting=meeting)
    created = await calendar.create_event(event, notify=False)
    assert created.location == meeting.join_url and "Passcode: 123456" in created.description
    assert "zoom.us/s/" not in created.description + created.location  # never the start URL
    assert created.online_meeting == OnlineMeeting("zoom", meeting.join_url, "81234567890")
    assert meeting_in("Room 4", "see https://us02web.zoom.us/j/9876543210") is not None


async def test_auto_add_zoom_meeting_is_read_and_the_server_adds_one_meeting_only(
    calendar: ZoomCalendar, emulator: ZoomEmulator
) -> None:
    calendar_id = await primary(calendar)
    assert await calendar.auto_adds_zoom_meeting() is False
    await calendar.set_auto_add_zoom_meeting(True)
    assert await calendar.auto_adds_zoom_meeting() is True
    start = now() + dt.timedelta(days=4)
    plain = await calendar.create_event(Event("", calendar_id, "Auto", start, start + dt.timedelta(minutes=30)))
    assert plain.online_meeting is not None and plain.online_meeting.provider == "zoom"
    assert plain.description.count("zoom.us/j/") == 1
    # An event that carries the meetings plugin's meeting gets no second one from the server.
    mine = OnlineMeeting("zoom", "https://zoom.us/j/81111111111", "81111111111")
    event = Event("", calendar_id, "Mine", start, start + dt.timedelta(minutes=30), online_meeting=mine)
    created = await calendar.create_event(event)
    assert created.online_meeting == mine and (created.location + created.description).count("zoom.us/j/") == 2
    ZoomControl(emulator).set_auto_add_zoom_meeting(False)
    assert await calendar.auto_adds_zoom_meeting() is False


async def test_no_write_carries_any_conference_data(calendar: ZoomCalendar, emulator: ZoomEmulator) -> None:
    calendar_id = await primary(calendar)
    start = now() + dt.timedelta(days=5)
    teams = OnlineMeeting("teams", "https://teams.microsoft.com/l/meetup-join/x")
    with pytest.raises(ZoomclientError, match="Only Zoom meetings"):
        await calendar.create_event(
            Event("", calendar_id, "No", start, start + dt.timedelta(hours=1), online_meeting=teams)
        )
    assert not emulator.log.find("POST", "/events")
    created = await calendar.create_event(Event("", calendar_id, "Plain", start, start + dt.timedelta(hours=1)))
    await calendar.update_event(attrs.evolve(created, title="Plain 2"))
    writes = emulator.log.find("POST", "/events") + emulator.log.find("PATCH", "/events/")
    assert writes and all(not set(entry.json) & {"conferenceData", "hangoutLink"} for entry in writes)
    assert all("meet.google" not in entry.text and "teams" not in entry.text.lower() for entry in writes)


async def test_sync_tokens_follow_changes_and_an_expired_one_is_410(
    calendar: ZoomCalendar, emulator: ZoomEmulator
) -> None:
    calendar_id = await primary(calendar)
    window = await calendar.list_events(calendar_id, now() - WINDOW, now() + WINDOW)
    assert window.cursor is not None and window.events
    control = ZoomControl(emulator)
    added = control.add_event(
        calendar_id, title="Server side", start=now() + dt.timedelta(days=1), end=now() + dt.timedelta(days=1, hours=1)
    )
    changes = await calendar.event_changes(calendar_id, window.cursor)
    assert [e.id for e in changes.upserted] == [added] and changes.deleted == ()
    await calendar.delete_event(calendar_id, added)
    later = await calendar.event_changes(calendar_id, changes.cursor or "")
    assert later.deleted == (added,)
    control.expire_calendar_cursor()
    with pytest.raises(CursorExpired):  # Zoom Calendar's 410
        await calendar.event_changes(calendar_id, later.cursor or "")


async def test_invitations_are_answered(calendar: ZoomCalendar, emulator: ZoomEmulator) -> None:
    calendar_id = await primary(calendar)
    control = ZoomControl(emulator)
    start = now() + dt.timedelta(days=6)
    invite = control.add_event(
        calendar_id, title="Invite", start=start, end=start + dt.timedelta(hours=1), organizer="pat@example.org"
    )
    answered = await calendar.respond(calendar_id, invite, ResponseStatus.ACCEPTED)
    assert answered.my_response is ResponseStatus.ACCEPTED
    assert control.event_response(calendar_id, invite) is ResponseStatus.ACCEPTED
    assert answered.organizer is not None and answered.organizer.email == "pat@example.org"


async def test_free_busy_reads_zooms_list_of_calendars(calendar: ZoomCalendar, emulator: ZoomEmulator) -> None:
    calendar_id = await primary(calendar)
    start = (now() + dt.timedelta(days=10)).replace(hour=9, minute=0, second=0)
    busy = ZoomControl(emulator)
    busy.add_event(calendar_id, title="Busy", start=start, end=start + dt.timedelta(hours=2))
    me, nobody = await calendar.free_busy(
        [calendar_id, "nobody@example.net"], start - dt.timedelta(hours=1), start + dt.timedelta(hours=3)
    )
    assert (me.address, me.error) == (calendar_id, None)
    assert any(b.start <= start and b.end >= start + dt.timedelta(hours=2) for b in me.busy)
    assert (nobody.address, nobody.busy, nobody.error) == ("nobody@example.net", (), "notFound")


async def test_a_recurring_series_expands_into_occurrences_and_can_be_ended(calendar: ZoomCalendar) -> None:
    calendar_id = await primary(calendar)
    start = (now() + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0)
    series = Event(
        "",
        calendar_id,
        "Stand-up",
        start,
        start + dt.timedelta(minutes=15),
        time_zone="UTC",
        recurrence=("RRULE:FREQ=DAILY;COUNT=5",),
    )
    master = await calendar.create_event(series, notify=False)
    window = await calendar.list_events(calendar_id, start - dt.timedelta(hours=1), start + dt.timedelta(days=7))
    occurrences = [e for e in window.events if e.series_id == master.id]
    assert [o.start for o in occurrences] == [start + dt.timedelta(days=n) for n in range(5)]
    assert all(o.original_start == o.start for o in occurrences)
    await calendar.update_event(attrs.evolve(master, recurrence=()), notify=False)
    window = await calendar.list_events(calendar_id, start - dt.timedelta(hours=1), start + dt.timedelta(days=7))
    assert [e.start for e in window.events if e.id == master.id or e.series_id == master.id] == [start]

"""TestMail's calendar provider, every method, against its emulator over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from testprovider.calendar import TestCalendarProvider, TestCalendarProviderFactory
from testprovider.emulator import TestMailEmulator
from testprovider.signin import open_connection

from host.errors import CursorExpired, ProviderError
from host.model.account import Feature
from host.model.calendar import (
    Attendee,
    CalendarKind,
    Event,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
)
from host.model.mail import Address
from host.providers.calendar import CalendarProvider, CalendarProviderFactory
from host.providers.connection import ProviderConnection

BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
ANA = Address("ana.mueller@example.de", "Ana Müller")


def new_event(calendar_id: str = "primary", **changes: object) -> Event:
    start = dt.datetime(2026, 3, 24, 10, 0, tzinfo=BERLIN)
    event = Event(
        id="",
        calendar_id=calendar_id,
        title="Planung Q2",
        start=start,
        end=start + dt.timedelta(hours=1),
        time_zone="Europe/Berlin",
        attendees=(Attendee(ANA),),
        reminders=(Reminder(10),),
        online_meeting=OnlineMeeting(
            "zoom", "https://zoom.us/j/123456789", "123456789", start_url="https://zoom.us/s/123456789?zak=SECRET"
        ),
    )
    return attrs.evolve(event, **changes)


def test_the_factory_keeps_the_protocol() -> None:
    assert isinstance(TestCalendarProviderFactory(), CalendarProviderFactory)


async def test_session_is_a_calendar_provider(calendar: TestCalendarProvider) -> None:
    assert isinstance(calendar, CalendarProvider)


async def test_calendars_of_every_kind(calendar: TestCalendarProvider) -> None:
    calendars = {c.id: c for c in await calendar.list_calendars()}
    assert {c.kind for c in calendars.values()} == set(CalendarKind)
    assert calendars["primary"].primary and calendars["primary"].writable
    assert not calendars["shared-ana"].writable
    assert calendars["delegated-lena"].owner.email == "lena.schmidt@example.com"


async def test_a_window_expands_series_in_their_zone(
    calendar: TestCalendarProvider, emulator: TestMailEmulator
) -> None:
    start = dt.datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)
    emulator.state.create_event(
        Event(
            id="weekly",
            calendar_id="primary",
            title="Jour fixe",
            start=start,
            end=start + dt.timedelta(minutes=30),
            time_zone="Europe/Berlin",
            recurrence=("RRULE:FREQ=WEEKLY;COUNT=3",),
        )
    )
    window = await calendar.list_events("primary", *WINDOW)
    series = [e for e in window.events if e.series_id == "weekly"]
    assert [e.start.hour for e in series] == [9, 9, 9]  # 8:00 UTC, then 7:00 UTC after DST
    assert all(e.start.tzinfo == BERLIN for e in series)
    assert window.cursor
    assert [e.start for e in window.events] == sorted(e.start for e in window.events)


async def test_create_update_delete_and_notifications(
    calendar: TestCalendarProvider, emulator: TestMailEmulator
) -> None:
    created = await calendar.create_event(new_event(), notify=False)
    assert created.id and created.title == "Planung Q2" and created.start == new_event().start
    assert created.online_meeting is not None and created.online_meeting.join_url.startswith("https://zoom.us/j/")
    assert created.online_meeting.start_url is None  # never sent, never stored
    assert not any("SECRET" in entry.text for entry in emulator.log)
    updated = await calendar.update_event(attrs.evolve(created, title="Planung Q2 (verschoben)"))
    assert updated.title == "Planung Q2 (verschoben)" and emulator.state.events[created.id].title == updated.title
    await calendar.delete_event("primary", created.id)
    assert created.id not in emulator.state.events
    assert emulator.notifications == [
        (created.id, "created", "none"),
        (created.id, "updated", "all"),
        (created.id, "deleted", "all"),
    ]


async def test_incremental_changes_with_series(calendar: TestCalendarProvider, emulator: TestMailEmulator) -> None:
    state = emulator.state
    window = await calendar.list_events("primary", *WINDOW)
    cursor = window.cursor
    assert cursor is not None
    single = state.create_event(new_event())
    start = dt.datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN)
    series = state.create_event(
        Event(
            id="daily",
            calendar_id="primary",
            title="Daily",
            start=start,
            end=start + dt.timedelta(minutes=15),
            time_zone="Europe/Berlin",
            recurrence=("RRULE:FREQ=DAILY;COUNT=3",),
        )
    )
    changes = await calendar.event_changes("primary", cursor)
    assert {e.id for e in changes.upserted} == {single.id, *(f"daily_2026031{d}T080000Z" for d in (6, 7, 8))}
    assert changes.deleted == ()
    # Someone drops one occurrence and moves another; the client learns both.
    state.delete_event("primary", "daily_20260317T080000Z")
    moved = state.update_event(
        attrs.evolve(
            next(e for e in state.event_window("primary", *WINDOW) if e.id == "daily_20260318T080000Z"),
            start=start + dt.timedelta(days=2, hours=3),
            end=start + dt.timedelta(days=2, hours=3, minutes=15),
        )
    )
    assert moved.series_id == series.id
    later = await calendar.event_changes("primary", changes.cursor)
    assert later.deleted == ("daily_20260317T080000Z",)
    assert {e.id: e.start.hour for e in later.upserted}["daily_20260318T080000Z"] == 12
    state.delete_event("primary", series.id)
    gone = await calendar.event_changes("primary", later.cursor)
    assert set(gone.deleted) == {"daily_20260316T080000Z", "daily_20260318T080000Z"}
    assert (await calendar.event_changes("primary", gone.cursor)) == type(gone)((), (), gone.cursor)


async def test_expired_sync_token(calendar: TestCalendarProvider, emulator: TestMailEmulator) -> None:
    cursor = (await calendar.list_events("primary", *WINDOW)).cursor
    emulator.state.create_event(new_event())
    emulator.state.expire_event_tokens()
    with pytest.raises(CursorExpired):
        await calendar.event_changes("primary", cursor)
    fresh = (await calendar.list_events("primary", *WINDOW)).cursor
    emulator.state.expire_event_tokens()  # even a token with nothing after it is forgotten
    with pytest.raises(CursorExpired):
        await calendar.event_changes("primary", fresh)
    fresh = (await calendar.list_events("primary", *WINDOW)).cursor
    emulator.faults.expire_cursors(1)
    with pytest.raises(CursorExpired):
        await calendar.event_changes("primary", fresh)
    with pytest.raises(CursorExpired):
        await calendar.event_changes("primary", "garbage")


async def test_writing_to_a_read_only_calendar_is_refused(calendar: TestCalendarProvider) -> None:
    with pytest.raises(ProviderError) as refused:
        await calendar.create_event(new_event("shared-ana"))
    assert refused.value.status == 403


async def test_respond_and_delegates(calendar: TestCalendarProvider, emulator: TestMailEmulator) -> None:
    organised = attrs.evolve(
        new_event("delegated-lena"),
        organizer=Address("lena.schmidt@example.com", "Lena Schmidt"),
        attendees=(Attendee(emulator.state.owner),),
    )
    stored = emulator.state.create_event(organised)
    answered = await calendar.respond("delegated-lena", stored.id, ResponseStatus.TENTATIVE, comment="maybe")
    assert answered.my_response is ResponseStatus.TENTATIVE
    assert any(a.is_self and a.response is ResponseStatus.TENTATIVE for a in answered.attendees)
    (permission,) = await calendar.delegate_permissions()
    assert permission.calendar_id == "delegated-lena" and permission.can_schedule
    assert permission.delegate.email == emulator.state.owner.email


async def test_free_busy(calendar: TestCalendarProvider, emulator: TestMailEmulator) -> None:
    emulator.state.create_event(new_event())
    owner, room = emulator.state.owner.email, "room-berlin-4@resource.example.com"
    found = {f.address: f for f in await calendar.free_busy([owner, room, "nobody@example.com"], *WINDOW)}
    assert found["nobody@example.com"].error == "notFound"
    assert found[owner].error is None and any(b.start == new_event().start for b in found[owner].busy)
    assert found[room].error is None


async def test_only_zoom_meetings_are_accepted(connection: ProviderConnection, emulator: TestMailEmulator) -> None:
    url = connection.url("api", "calendars/primary/events")
    body = {
        "title": "Meet",
        "start": "2026-03-24T10:00:00+01:00",
        "end": "2026-03-24T11:00:00+01:00",
        "online_meeting": {"provider": "google-meet", "join_url": "https://meet.google.com/abc"},
    }
    answer = await connection.http.post(url, json=body)
    assert answer.status_code == 400 and "Zoom" in answer.json()["error"]["message"]
    assert not any(e.title == "Meet" for e in emulator.state.events.values())


async def test_declined_calendar_scope_means_no_calendar(server) -> None:
    connection = await open_connection(server.url, scopes=("openid", "email", "testmail.mail"))
    try:
        assert connection.account.features == frozenset({Feature.MAIL})
        with pytest.raises(ProviderError) as refused:
            await TestCalendarProvider(connection).list_calendars()
        assert refused.value.status == 403
    finally:
        await connection.http.aclose()


async def test_invalid_windows_are_refused(connection: ProviderConnection) -> None:
    answer = await connection.http.get(connection.url("api", "calendars/primary/events"))
    assert answer.status_code == 400
    missing = await connection.http.get(
        connection.url("api", "calendars/nope/events"),
        params={"timeMin": WINDOW[0].isoformat(), "timeMax": WINDOW[1].isoformat()},
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["reason"] == "notFound"

"""Google Calendar through the provider: calendars and delegates, expanded series, sync tokens and
410, freeBusy, responses, and never a Google Meet (proved from the request log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

import attrs
import pytest

from host.errors import CursorExpired, ProviderError
from host.model import (
    AccessRole,
    Address,
    Attendee,
    CalendarKind,
    Event,
    OnlineMeeting,
    Reminder,
    ResponseStatus,
)
from provider_gmail.calendar import GoogleCalendar
from provider_gmail.emulator import GoogleEmulator

Logged = Callable[..., Awaitable[list]]
ME = "alex.morgan@example.com"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
WINDOW = (NOW - dt.timedelta(days=200), NOW + dt.timedelta(days=200))


def _meeting_event(calendar_id: str = "primary", **changes: object) -> Event:
    start = (NOW + dt.timedelta(days=3)).replace(hour=9, minute=0, second=0)
    event = Event(
        id="",
        calendar_id=calendar_id,
        title="Planung Q1",
        start=start,
        end=start + dt.timedelta(hours=1),
        time_zone="Europe/Berlin",
        attendees=(Attendee(Address("priya.sharma@example.in", "Priya Sharma")),),
        reminders=(Reminder(10),),
        online_meeting=OnlineMeeting(
            "zoom",
            "https://zoom.us/j/95551234567?pwd=abc",
            "95551234567",
            passcode="314159",
            start_url="https://zoom.us/s/95551234567?zak=secret-host-token",
        ),
    )
    return attrs.evolve(event, **changes)


async def test_calendars_have_their_kinds_and_roles(calendar: GoogleCalendar) -> None:
    calendars = {c.id: c for c in await calendar.list_calendars()}
    assert calendars[ME].kind is CalendarKind.OWN and calendars[ME].primary
    kinds = {c.kind for c in calendars.values()}
    assert kinds == {CalendarKind.OWN, CalendarKind.SHARED, CalendarKind.RESOURCE, CalendarKind.DELEGATED}
    shared = next(c for c in calendars.values() if c.kind is CalendarKind.SHARED)
    assert shared.access_role is AccessRole.READER and not shared.writable
    [delegation] = await calendar.delegate_permissions()
    assert delegation.owner.email == "lena.schmidt@example.com" and delegation.delegate.email == ME
    assert delegation.can_schedule and delegation.role is AccessRole.WRITER


async def test_series_are_expanded_with_their_exceptions(calendar: GoogleCalendar, emulator: GoogleEmulator) -> None:
    readable = {c.id for c in await calendar.list_calendars()}
    calendar_id, master = next(
        (cid, e)
        for cid, events in emulator.calendars.events.items()
        for e in events.values()
        if e.get("recurrence") and cid in readable
    )
    window = await calendar.list_events(calendar_id, *WINDOW)
    occurrences = [e for e in window.events if e.series_id == master["id"]]
    expected = emulator.calendars.expand(calendar_id, master, WINDOW[0], WINDOW[1])
    assert [e.id for e in occurrences] == [i["id"] for i in expected if i.get("status") != "cancelled"]
    assert len(occurrences) >= 2 and all(e.id.startswith(master["id"] + "_") for e in occurrences)
    moved = [e for e in occurrences if e.title.endswith("(moved)")]
    assert len(moved) == 1 and moved[0].start - moved[0].original_start == dt.timedelta(hours=1)
    assert all(not e.recurrence for e in occurrences)
    assert window.cursor


async def test_sync_tokens_follow_changes_and_410_means_full_sync(
    calendar: GoogleCalendar, emulator: GoogleEmulator
) -> None:
    window = await calendar.list_events(ME, *WINDOW)
    quiet = await calendar.event_changes(ME, window.cursor)
    assert quiet.upserted == () and quiet.deleted == ()
    created = await calendar.create_event(_meeting_event(ME))
    changes = await calendar.event_changes(ME, quiet.cursor)
    assert [e.id for e in changes.upserted] == [created.id] and changes.cursor != quiet.cursor
    later = dt.timedelta(hours=2)
    moved = await calendar.update_event(attrs.evolve(created, start=created.start + later, end=created.end + later))
    await calendar.delete_event(ME, window.events[0].id, notify=False)
    changes = await calendar.event_changes(ME, changes.cursor)
    assert [e.start for e in changes.upserted] == [moved.start]
    assert changes.deleted == (window.events[0].id,)

    await calendar.create_event(_meeting_event(ME, title="Noch eins"))
    emulator.calendars.forget_changes(ME)  # Google forgot what happened since the last token
    with pytest.raises(CursorExpired):
        await calendar.event_changes(ME, changes.cursor)
    fresh = await calendar.list_events(ME, *WINDOW)
    emulator.faults.expire_cursors(1)
    with pytest.raises(CursorExpired):
        await calendar.event_changes(ME, fresh.cursor)


async def test_a_sync_token_excludes_time_bounds_order_and_query(calendar: GoogleCalendar) -> None:
    window = await calendar.list_events(ME, *WINDOW)
    http, url = calendar.connection.http, calendar.connection.url("calendar", f"calendar/v3/calendars/{ME}/events")
    for extra in ({"timeMin": NOW.isoformat()}, {"timeMax": NOW.isoformat()}, {"orderBy": "updated"}, {"q": "x"}):
        response = await http.get(url, params={"syncToken": window.cursor, **extra})
        assert response.status_code == 400, extra
    response = await http.get(url, params={"orderBy": "startTime"})
    assert response.status_code == 400  # ordering by start needs singleEvents
    response = await http.get(url, params={"syncToken": window.cursor, "singleEvents": "true"})
    assert response.status_code == 200 and "nextSyncToken" in response.json()


async def test_never_a_google_meet(calendar: GoogleCalendar, emulator: GoogleEmulator, logged: Logged) -> None:
    created = await calendar.create_event(_meeting_event())
    assert created.online_meeting is not None and created.online_meeting.join_url.startswith("https://zoom.us/j/")
    assert "zoom.us/j/95551234567" in created.description and created.location.startswith("https://zoom.us/j/")
    await calendar.update_event(attrs.evolve(created, title="Planung Q1 (neu)"))
    mine = next(
        e
        for e in (await calendar.list_events(ME, *WINDOW)).events
        if any(a.is_self and not a.organizer for a in e.attendees)
    )
    await calendar.respond(ME, mine.id, ResponseStatus.TENTATIVE)
    delegated = await calendar.create_event(_meeting_event("lena.schmidt@example.com"))
    assert delegated.organizer is not None and delegated.organizer.email == "lena.schmidt@example.com"

    writes = [e for method in ("POST", "PUT", "PATCH") for e in await logged(method, "/calendar/v3/calendars/")]
    assert len(writes) == 4
    for entry in writes:
        assert entry.query_params["conferenceDataVersion"] == ["0"], entry
        assert "conferenceData" not in entry.json and "createRequest" not in entry.text
        assert "zak=secret-host-token" not in entry.text  # the host's start URL never goes out
    for events in emulator.calendars.events.values():
        assert not any("conferenceData" in e or "hangoutLink" in e for e in events.values())

    # The check can fail: the emulator does make a Meet when a client asks for one.
    response = await calendar.connection.http.post(
        calendar.connection.url("calendar", "calendar/v3/calendars/primary/events"),
        params={"conferenceDataVersion": 1},
        json={
            "summary": "Meet",
            "start": {"dateTime": NOW.isoformat()},
            "end": {"dateTime": (NOW + dt.timedelta(hours=1)).isoformat()},
            "conferenceData": {"createRequest": {"requestId": "r1"}},
        },
    )
    assert response.json()["conferenceData"]["conferenceSolution"]["key"]["type"] == "hangoutsMeet"


async def test_respond_and_notifications(calendar: GoogleCalendar, emulator: GoogleEmulator, logged: Logged) -> None:
    mine = next(
        e
        for e in (await calendar.list_events(ME, *WINDOW)).events
        if any(a.is_self and not a.organizer for a in e.attendees) and e.series_id is None
    )
    answered = await calendar.respond(ME, mine.id, ResponseStatus.DECLINED, notify=False)
    assert answered.my_response is ResponseStatus.DECLINED
    stored = emulator.calendars.events[ME][mine.id]
    assert next(a for a in stored["attendees"] if a["email"] == ME)["responseStatus"] == "declined"
    assert (await logged("PATCH", mine.id))[-1].query_params["sendUpdates"] == ["none"]
    created = await calendar.create_event(_meeting_event(ME), notify=True)
    assert emulator.calendars.notifications[-1] == {
        "eventId": created.id,
        "action": "created",
        "to": ["priya.sharma@example.in"],
    }
    with pytest.raises(ProviderError) as refused:
        await calendar.create_event(_meeting_event("ana.mueller@example.de"))  # a reader may not write
    assert refused.value.status == 403


async def test_free_busy_in_calls_of_at_most_fifty(
    calendar: GoogleCalendar, emulator: GoogleEmulator, logged: Logged
) -> None:
    created = await calendar.create_event(_meeting_event(ME))
    strangers = [f"person{n}@example.org" for n in range(50)]
    answers = await calendar.free_busy([ME, *strangers], created.start - dt.timedelta(hours=1), created.end)
    assert [a.address for a in answers] == [ME, *strangers]
    mine = answers[0]
    assert mine.error is None
    assert any(b.start <= created.start and b.end >= created.end for b in mine.busy)
    assert all(a.error == "notFound" for a in answers[1:])
    calls = await logged("POST", "/calendar/v3/freeBusy", 2)
    assert [len(c.json["items"]) for c in calls] == [50, 1]
    too_many = await calendar.connection.http.post(
        calendar.connection.url("calendar", "calendar/v3/freeBusy"),
        json={
            "timeMin": NOW.isoformat(),
            "timeMax": (NOW + dt.timedelta(hours=1)).isoformat(),
            "items": [{"id": s} for s in [*strangers, "x@y.z"]],
        },
    )
    assert too_many.status_code == 400


async def test_one_occurrence_is_changed_and_another_cancelled(calendar: GoogleCalendar) -> None:
    start = (NOW + dt.timedelta(days=1)).replace(hour=8, minute=0, second=0)
    series = await calendar.create_event(
        Event(
            id="",
            calendar_id=ME,
            title="Standup",
            start=start,
            end=start + dt.timedelta(minutes=15),
            time_zone="Europe/Berlin",
            recurrence=("RRULE:FREQ=DAILY;COUNT=5",),
        )
    )
    window = await calendar.list_events(ME, NOW, NOW + dt.timedelta(days=10))
    occurrences = [e for e in window.events if e.series_id == series.id]
    assert len(occurrences) == 5
    await calendar.update_event(attrs.evolve(occurrences[1], title="Standup (verlegt)"))
    await calendar.delete_event(ME, occurrences[3].id)
    changes = await calendar.event_changes(ME, window.cursor)
    assert [e.title for e in changes.upserted] == ["Standup (verlegt)"]
    assert changes.deleted == (occurrences[3].id,)
    after = [
        e for e in (await calendar.list_events(ME, NOW, NOW + dt.timedelta(days=10))).events if e.series_id == series.id
    ]
    assert [e.id for e in after] == [o.id for i, o in enumerate(occurrences) if i != 3]
    assert after[1].title == "Standup (verlegt)" and after[0].title == "Standup"


async def test_a_shortened_series_reports_its_lost_occurrences(calendar: GoogleCalendar) -> None:
    start = (NOW + dt.timedelta(days=1)).replace(hour=15, minute=0, second=0)
    series = await calendar.create_event(
        Event(
            id="",
            calendar_id=ME,
            title="Sprint",
            start=start,
            end=start + dt.timedelta(hours=1),
            time_zone="America/New_York",
            recurrence=("RRULE:FREQ=WEEKLY;COUNT=4",),
        )
    )
    window = await calendar.list_events(ME, NOW, NOW + dt.timedelta(days=40))
    before = [e.id for e in window.events if e.series_id == series.id]
    assert len(before) == 4
    await calendar.update_event(attrs.evolve(series, recurrence=("RRULE:FREQ=WEEKLY;COUNT=2",)))
    changes = await calendar.event_changes(ME, window.cursor)
    assert [e.id for e in changes.upserted] == before[:2]
    assert set(changes.deleted) == set(before[2:])


async def test_series_keep_wall_clock_time_across_dst_and_honour_until_and_exdate(calendar: GoogleCalendar) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 10, 19, 9, 0, tzinfo=berlin)  # DST ends in Berlin on 25 October 2026
    until = dt.datetime(2026, 11, 9, 8, 0, tzinfo=dt.UTC)  # 09:00 Berlin on 9 November is 08:00 UTC
    skipped = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
    series = await calendar.create_event(
        Event(
            id="",
            calendar_id=ME,
            title="Jour fixe",
            start=start,
            end=start + dt.timedelta(minutes=30),
            time_zone="Europe/Berlin",
            recurrence=(f"RRULE:FREQ=WEEKLY;UNTIL={until:%Y%m%dT%H%M%SZ}", f"EXDATE:{skipped:%Y%m%dT%H%M%SZ}"),
        )
    )
    window = await calendar.list_events(ME, start - dt.timedelta(days=1), start + dt.timedelta(days=60))
    occurrences = [e for e in window.events if e.series_id == series.id]
    assert [e.start.astimezone(berlin).date().isoformat() for e in occurrences] == [
        "2026-10-19",
        "2026-10-26",
        "2026-11-09",
    ]
    assert {e.start.astimezone(berlin).time() for e in occurrences} == {dt.time(9, 0)}

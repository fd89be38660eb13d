"""Zoom meetings with their events, against the Zoom and TestMail emulators over real HTTP: create,
update and delete with the event, delegates under the owner's and their own Zoom account, a missing
scheduling privilege, and nothing half-created; the start_url never reaches the calendar."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from host.actions import ActionContext, ActionPlace
from host.errors import TransientError, ZoomclientError
from host.model.calendar import Event
from zoom_meetings.provider import SchedulingPrivilegeMissing
from zoom_meetings.scheduling import add_meeting, meeting_of

ALEX = "alex.morgan@example.com"
LENA = "lena.schmidt@example.com"
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)


def new_event(calendar_id: str = "primary", **fields) -> Event:
    return Event(
        id="",
        calendar_id=calendar_id,
        title="Quarterly planning",
        start=START,
        end=START + dt.timedelta(minutes=45),
        time_zone="Europe/Berlin",
        description="Agenda: the next quarter.",
        **fields,
    )


def zoom_provider(host):
    (provider,) = host.registry.conferencing
    return provider


def assert_no_start_url_written(testmail) -> None:
    for request in testmail.log.entries:
        assert "start_url" not in request.text and "zak=" not in request.text, request.path


async def test_create_update_delete_with_the_event(host, session, zoom, testmail) -> None:
    provider, cache = zoom_provider(host), session.require_calendars()
    scheduled = await add_meeting(provider, cache, new_event(), cache.calendar("primary"))

    (stored,) = zoom.state.meetings.values()
    assert stored["host_email"] == ALEX and stored["duration"] == 45 and stored["settings"]["waiting_room"]
    assert scheduled.meeting.start_url and "zak=" in scheduled.meeting.start_url, "the organiser keeps it"
    event = scheduled.event
    assert event.id and event.location == stored["join_url"]
    assert stored["join_url"] in event.description and "Passcode: " + stored["password"] in event.description
    assert "+1 646 558 8656 (US, New York)" in event.description
    assert event.description.startswith("Agenda: the next quarter.")
    server_event = testmail.state.events[event.id]
    assert server_event.location == stored["join_url"] and server_event.online_meeting.start_url is None

    moved = attrs.evolve(
        event,
        title="Quarterly planning (moved)",
        start=START + dt.timedelta(hours=1),
        end=START + dt.timedelta(hours=2),
    )
    updated = await cache.update_event(moved)  # the host's write path moves the meeting along
    assert stored["topic"] == "Quarterly planning (moved)" and stored["duration"] == 60
    assert stored["start_time"] == (START + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert updated.description.count("Zoom meeting ─") == 1, "the block is replaced, not added again"

    await cache.delete_event(updated.calendar_id, updated.id)
    assert zoom.state.meetings == {} and zoom.state.deleted_meetings == [stored["id"]]
    assert updated.id not in testmail.state.events
    assert_no_start_url_written(testmail)


async def test_a_recurring_event_gets_a_recurring_meeting(host, session, zoom) -> None:
    cache = session.require_calendars()
    event = new_event(recurrence=("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10",))
    await add_meeting(zoom_provider(host), cache, event, cache.calendar("primary"))
    (stored,) = zoom.state.meetings.values()
    assert stored["type"] == 8
    assert stored["recurrence"] == {"type": 2, "repeat_interval": 1, "weekly_days": "2,4", "end_times": 10}


async def test_deleting_one_occurrence_keeps_the_series_meeting(host, session, zoom) -> None:
    cache = session.require_calendars()
    event = new_event(recurrence=("RRULE:FREQ=DAILY;COUNT=5",))
    scheduled = await add_meeting(zoom_provider(host), cache, event, cache.calendar("primary"))
    await cache.ensure_range(START, START + dt.timedelta(days=5), ["primary"])
    occurrences = [
        e for e in cache.events_between(START, START + dt.timedelta(days=5)) if e.series_id == scheduled.event.id
    ]
    assert len(occurrences) == 5 and meeting_of(occurrences[1]) is not None
    await cache.delete_event(occurrences[1].calendar_id, occurrences[1].id)
    assert len(zoom.state.meetings) == 1, "the series' meeting stays"
    assert occurrences[1].id not in {e.id for e in cache.events_between(START, START + dt.timedelta(days=5))}


async def test_a_delegate_schedules_under_the_owners_zoom_account_by_default(host, session, zoom, testmail) -> None:
    cache = session.require_calendars()
    delegated = cache.calendar("delegated-lena")
    scheduled = await add_meeting(zoom_provider(host), cache, new_event("delegated-lena"), delegated)
    (create,) = zoom.log.find("POST", "/meetings")
    assert create.json["schedule_for"] == LENA
    (stored,) = zoom.state.meetings.values()
    assert stored["host_email"] == LENA and stored["assistant_id"]
    assert scheduled.meeting.host_email == LENA
    assert testmail.state.events[scheduled.event.id].calendar_id == "delegated-lena"
    assert_no_start_url_written(testmail)


async def test_a_delegate_may_host_under_their_own_account(host, session, zoom) -> None:
    cache = session.require_calendars()
    event = attrs.evolve(new_event("delegated-lena"), provider_data={"zoom_host": "me"})
    scheduled = await add_meeting(zoom_provider(host), cache, event, cache.calendar("delegated-lena"))
    (create,) = zoom.log.find("POST", "/meetings")
    assert "schedule_for" not in create.json
    assert scheduled.meeting.host_email == ALEX


async def test_a_missing_scheduling_privilege_is_a_clear_error_and_creates_nothing(
    host, session, zoom, testmail
) -> None:
    zoom.state.users[ALEX].schedules_for.clear()
    cache = session.require_calendars()
    testmail.log.clear()
    with pytest.raises(SchedulingPrivilegeMissing) as raised:
        await add_meeting(zoom_provider(host), cache, new_event("delegated-lena"), cache.calendar("delegated-lena"))
    assert LENA in str(raised.value) and "Nothing was created" in str(raised.value)
    assert "Scheduling privilege" in raised.value.hint
    assert zoom.state.meetings == {} and not zoom.log.find("POST", "/meetings")
    assert not testmail.log.find("POST"), "no event was written"


async def test_zooms_own_refusal_of_schedule_for_is_the_same_clear_error(host, session, zoom) -> None:
    """When the privilege goes between the check and the create, Zoom's 400 maps to the same error."""
    zoom.state.users[ALEX].schedules_for.clear()
    zoom.state.users[ALEX].schedules_for.add("someone-else@example.com")
    provider = zoom_provider(host)
    from host.conferencing import MeetingRequest

    client = provider.connect()
    try:
        with pytest.raises(ZoomclientError, match="scheduling privilege"):
            await client.request(
                "POST",
                "/users/me/meetings",
                body={"topic": "x", "schedule_for": LENA, "start_time": "2030-01-01T10:00:00Z"},
            )
    finally:
        await client.aclose()
    zoom.state.users[ALEX].schedules_for.add(LENA)
    # Lena revokes while the create is in flight: the schedulers check passes, the create is refused.
    original = zoom.state.users[ALEX].schedules_for

    class Revoking(set):
        def __contains__(self, email: object) -> bool:
            return False

    zoom.state.users[ALEX].schedules_for = Revoking(original)
    with pytest.raises(SchedulingPrivilegeMissing):
        await provider.create_meeting(MeetingRequest(topic="t", start=START, duration_minutes=30, host_email=LENA))
    assert zoom.state.meetings == {}


async def test_if_the_event_cannot_be_written_the_meeting_is_deleted(host, session, zoom, testmail) -> None:
    cache = session.require_calendars()
    testmail.faults.queue_status(400, path="/api/calendars/primary/events", method="POST")
    with pytest.raises(ZoomclientError):
        await add_meeting(zoom_provider(host), cache, new_event(), cache.calendar("primary"))
    assert zoom.state.meetings == {} and len(zoom.state.deleted_meetings) == 1


async def test_the_event_editor_action_fills_in_the_event_without_writing_it(host, session, zoom, testmail) -> None:
    (action,) = [a for a in host.registry.actions if ActionPlace.EVENT_EDITOR in a.places]
    assert action.title == "Add Zoom meeting"
    cache = session.require_calendars()
    context = ActionContext(
        host=host,
        place=ActionPlace.EVENT_EDITOR,
        ui=None,
        event=new_event("delegated-lena"),
        calendar=cache.calendar("delegated-lena"),
    )
    assert action.available(context)
    testmail.log.clear()
    result = await action.run(context)
    assert result.event.location.startswith("https://zoom.us/j/") and result.event.online_meeting.start_url is None
    assert f"hosted by {LENA}" in result.message
    assert not testmail.log.find("POST"), "the editor saves the event"
    assert not action.available(attrs.evolve(context, event=result.event)), "one meeting per event"
    with pytest.raises(ZoomclientError, match="has a Zoom meeting already"):
        await action.run(attrs.evolve(context, event=result.event))
    unknown = attrs.evolve(
        context, calendar=None, event=attrs.evolve(new_event(), provider_data={"zoom_host": "owner"})
    )
    with pytest.raises(ZoomclientError, match="owner's Zoom account is unknown"):
        await action.run(unknown)
    assert len(zoom.state.meetings) == 1


async def test_a_meeting_is_found_from_the_join_url_alone(host, session, zoom) -> None:
    """A calendar that keeps no meeting record (Gmail, Graph) gives back the join URL in the location."""
    cache = session.require_calendars()
    scheduled = await add_meeting(zoom_provider(host), cache, new_event(), cache.calendar("primary"))
    bare = attrs.evolve(scheduled.event, online_meeting=None)
    assert meeting_of(bare).meeting_id == scheduled.meeting.meeting_id
    await zoom_provider(host).event_deleted(bare)
    assert zoom.state.meetings == {}


async def test_zoom_unreachable_leaves_the_event_untouched(host, session, zoom, testmail) -> None:
    cache = session.require_calendars()
    zoom.faults.queue_drop(path="/v2/users/me/meetings")
    testmail.log.clear()
    with pytest.raises(TransientError):
        await add_meeting(zoom_provider(host), cache, new_event(), cache.calendar("primary"))
    assert not testmail.log.find("POST")

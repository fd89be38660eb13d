"""A Zoom meeting lives and dies with its event, through the host's calendar write path (the cache), against
the Zoom and TestMail emulators: a move, a new length, title or recurrence PATCHes the meeting; deleting the
event (or the series) deletes it; a draft the user never saved takes its meeting with it; and a failure on
either side, injected by the emulators, leaves the event and the meeting as they were."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from host.conferencing import MeetingNotChanged, MeetingNotDeleted
from host.errors import TransientError
from host.model.calendar import Attendee, Event
from host.model.mail import Address
from zoom_meetings.scheduling import MEETING_STATE_KEY, add_meeting, meeting_of

START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
ZOOM_TIME = "%Y-%m-%dT%H:%M:%SZ"


def new_event(calendar_id: str = "primary", **fields) -> Event:
    event = Event(
        id="",
        calendar_id=calendar_id,
        title="Design review",
        start=START,
        end=START + dt.timedelta(minutes=30),
        time_zone="Europe/Berlin",
        description="Bring the mock-ups.",
    )
    return attrs.evolve(event, **fields)


def zoom_provider(host):
    (provider,) = host.registry.conferencing
    return provider


def patches(zoom) -> list:
    return zoom.log.find("PATCH", "/v2/meetings/")


@pytest.fixture
async def scheduled(host, session):
    """An event in the primary calendar with its Zoom meeting, written through the cache."""
    cache = session.require_calendars()
    return (await add_meeting(zoom_provider(host), cache, new_event(), cache.calendar("primary"))).event


async def test_moving_and_resizing_the_event_moves_the_meeting(session, zoom, scheduled) -> None:
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    later = START + dt.timedelta(hours=3)
    moved = await cache.update_event(attrs.evolve(scheduled, start=later, end=later + dt.timedelta(minutes=90)))
    (patch,) = patches(zoom)
    assert patch.path == f"/v2/meetings/{meeting['id']}"
    assert "settings" not in patch.json and "schedule_for" not in patch.json, "what the host set in Zoom stays"
    assert meeting["start_time"] == later.strftime(ZOOM_TIME) and meeting["duration"] == 90
    assert meeting_of(moved).meeting_id == str(meeting["id"])
    assert moved.description.count("Join Zoom meeting") == 1


async def test_a_new_title_and_recurrence_reach_the_meeting(session, zoom, scheduled) -> None:
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    weekly = attrs.evolve(scheduled, title="Design review (weekly)", recurrence=("RRULE:FREQ=WEEKLY;COUNT=4",))
    await cache.update_event(weekly)
    assert meeting["topic"] == "Design review (weekly)" and meeting["type"] == 8
    assert meeting["recurrence"]["type"] == 2 and meeting["recurrence"]["end_times"] == 4


async def test_a_change_the_meeting_does_not_hold_sends_nothing_to_zoom(session, zoom, testmail, scheduled) -> None:
    cache = session.require_calendars()
    zoom.log.clear()
    noted = scheduled.description + "\nRecording of last time: https://zoom.us/rec/share/abc"
    await cache.update_event(attrs.evolve(scheduled, location="Room 4.01, and on Zoom", description=noted))
    assert not patches(zoom) and testmail.log.find("PUT", f"/events/{scheduled.id}")


async def test_if_zoom_fails_the_event_is_not_changed(session, zoom, testmail, scheduled) -> None:
    """The meeting goes first: when Zoom fails, nothing is written and both stay as they were."""
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    kept = dict(meeting)
    zoom.faults.queue_status(503, path="/v2/meetings/", method="PATCH")
    testmail.log.clear()
    with pytest.raises(TransientError, match="Zoom had a server error"):
        await cache.update_event(attrs.evolve(scheduled, start=START + dt.timedelta(days=1)))
    assert not testmail.log.find("PUT"), "the event was not written"
    assert testmail.state.events[scheduled.id].start == START and cache.get("primary", scheduled.id).start == START
    assert meeting["start_time"] == kept["start_time"]


async def test_if_the_event_update_fails_the_meeting_is_moved_back(session, zoom, testmail, scheduled) -> None:
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    kept = {key: meeting[key] for key in ("start_time", "duration", "topic")}
    testmail.faults.queue_status(503, path=f"/api/calendars/primary/events/{scheduled.id}", method="PUT")
    moved = attrs.evolve(
        scheduled, title="Moved", start=START + dt.timedelta(days=1), end=START + dt.timedelta(days=1, hours=2)
    )
    with pytest.raises(TransientError, match="TestMail had a server error"):
        await cache.update_event(moved)
    there, back = patches(zoom)
    assert there.json["start_time"] == moved.start.strftime(ZOOM_TIME) and there.json["duration"] == 120
    assert back.json["start_time"] == kept["start_time"] and back.json["topic"] == kept["topic"]
    assert {key: meeting[key] for key in kept} == kept, "the meeting did not drift from the event"
    assert testmail.state.events[scheduled.id].start == START


async def test_deleting_the_event_deletes_the_meeting(session, zoom, testmail, scheduled) -> None:
    cache = session.require_calendars()
    (meeting_id,) = zoom.state.meetings
    await cache.delete_event("primary", scheduled.id)
    assert zoom.state.meetings == {} and zoom.state.deleted_meetings == [meeting_id]
    assert scheduled.id not in testmail.state.events


async def test_deleting_a_whole_series_deletes_its_meeting(host, session, zoom) -> None:
    cache = session.require_calendars()
    series = new_event(recurrence=("RRULE:FREQ=DAILY;COUNT=3",))
    written = (await add_meeting(zoom_provider(host), cache, series, cache.calendar("primary"))).event
    await cache.ensure_range(START, START + dt.timedelta(days=3), ["primary"])
    await cache.delete_event("primary", written.id)
    assert zoom.state.meetings == {} and len(zoom.state.deleted_meetings) == 1


async def test_a_meeting_that_cannot_be_deleted_is_said_and_the_event_is_gone(
    session, zoom, testmail, scheduled
) -> None:
    cache = session.require_calendars()
    zoom.faults.queue_status(503, path="/v2/meetings/", method="DELETE")
    with pytest.raises(MeetingNotDeleted) as raised:
        await cache.delete_event("primary", scheduled.id)
    assert "“Design review” is deleted, but its Zoom meeting could not be deleted" in str(raised.value)
    assert "Delete the meeting in Zoom" in raised.value.hint
    assert scheduled.id not in testmail.state.events and cache.get("primary", scheduled.id) is None
    assert len(zoom.state.meetings) == 1


async def test_taking_the_meeting_out_of_the_event_deletes_it(session, zoom, scheduled) -> None:
    cache = session.require_calendars()
    bare = attrs.evolve(scheduled, location="Room 4.01", description="Bring the mock-ups.", online_meeting=None)
    written = await cache.update_event(bare)
    assert meeting_of(written) is None and zoom.state.meetings == {}


async def test_a_delegate_moving_the_owners_event_moves_the_owners_meeting(host, session, zoom, testmail) -> None:
    cache = session.require_calendars()
    event = new_event("delegated-lena")
    written = (await add_meeting(zoom_provider(host), cache, event, cache.calendar("delegated-lena"))).event
    (meeting,) = zoom.state.meetings.values()
    assert meeting["host_email"] == "lena.schmidt@example.com"
    later = START + dt.timedelta(days=1)
    await cache.update_event(attrs.evolve(written, start=later, end=later + dt.timedelta(minutes=30)))
    assert meeting["start_time"] == later.strftime(ZOOM_TIME) and meeting["host_email"] == "lena.schmidt@example.com"
    assert testmail.state.events[written.id].start == later


async def test_someone_elses_meeting_is_left_alone_and_the_event_still_moves(host, session, zoom, testmail) -> None:
    """Lena's meeting in her calendar, after she withdrew the scheduling privilege: Zoom refuses the PATCH,
    the event moves anyway (the meeting is hers to move)."""
    cache = session.require_calendars()
    event = new_event("delegated-lena")
    written = (await add_meeting(zoom_provider(host), cache, event, cache.calendar("delegated-lena"))).event
    zoom.state.users["alex.morgan@example.com"].schedules_for.clear()
    (meeting,) = zoom.state.meetings.values()
    kept = meeting["start_time"]
    later = START + dt.timedelta(hours=2)
    await cache.update_event(attrs.evolve(written, start=later, end=later + dt.timedelta(minutes=30)))
    assert len(patches(zoom)) == 1 and meeting["start_time"] == kept
    assert testmail.state.events[written.id].start == later


async def test_a_draft_that_is_never_saved_takes_its_meeting_with_it(host, session, zoom, testmail) -> None:
    """The event editor's "Add Zoom meeting" creates the meeting at once; cancelling the editor discards it."""
    cache = session.require_calendars()
    draft = (await add_meeting(zoom_provider(host), None, new_event(), cache.calendar("primary"))).event
    assert len(zoom.state.meetings) == 1 and not testmail.log.find("POST", "/events")
    await cache.discard_draft(draft, None)
    assert zoom.state.meetings == {} and len(zoom.state.deleted_meetings) == 1


async def test_cancelling_an_existing_event_keeps_the_meeting_it_had(session, zoom, scheduled) -> None:
    cache = session.require_calendars()
    await cache.discard_draft(attrs.evolve(scheduled, title="typed, then cancelled"), scheduled)
    assert len(zoom.state.meetings) == 1 and not zoom.state.deleted_meetings


async def test_saving_a_draft_keeps_its_meeting_and_moves_it_if_the_time_changed(host, session, zoom) -> None:
    cache = session.require_calendars()
    provider = zoom_provider(host)
    draft = (await add_meeting(provider, None, new_event(), cache.calendar("primary"))).event
    assert MEETING_STATE_KEY in draft.provider_data
    saved = await cache.create_event(draft)
    assert not patches(zoom), "the meeting already holds what the draft says"
    assert meeting_of(saved) is not None and len(zoom.state.meetings) == 1

    second = (await add_meeting(provider, None, new_event(title="Second"), cache.calendar("primary"))).event
    later = START + dt.timedelta(hours=5)
    await cache.create_event(attrs.evolve(second, start=later, end=later + dt.timedelta(hours=1)))
    (patch,) = patches(zoom)
    assert patch.json["start_time"] == later.strftime(ZOOM_TIME) and patch.json["duration"] == 60
    assert len(zoom.state.meetings) == 2 and not zoom.state.deleted_meetings


async def test_a_new_event_that_cannot_be_written_deletes_its_meeting(host, session, zoom, testmail) -> None:
    cache = session.require_calendars()
    draft = (await add_meeting(zoom_provider(host), None, new_event(), cache.calendar("primary"))).event
    testmail.faults.queue_status(503, path="/api/calendars/primary/events", method="POST")
    with pytest.raises(TransientError):
        await cache.create_event(draft)
    assert zoom.state.meetings == {} and len(zoom.state.deleted_meetings) == 1


async def test_moving_to_another_calendar_takes_the_meeting_along(session, zoom, testmail, scheduled) -> None:
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    later = START + dt.timedelta(hours=1)
    moved = await cache.move_event(
        scheduled,
        attrs.evolve(scheduled, calendar_id="room-berlin-4", start=later, end=later + dt.timedelta(minutes=30)),
    )
    assert moved.calendar_id == "room-berlin-4" and meeting_of(moved).meeting_id == str(meeting["id"])
    assert scheduled.id not in testmail.state.events and zoom.state.meetings, "the meeting is kept"
    assert meeting["start_time"] == later.strftime(ZOOM_TIME)


async def test_one_occurrence_moved_keeps_the_series_meeting_as_it_is(host, session, zoom) -> None:
    cache = session.require_calendars()
    series = new_event(recurrence=("RRULE:FREQ=DAILY;COUNT=3",))
    written = (await add_meeting(zoom_provider(host), cache, series, cache.calendar("primary"))).event
    await cache.ensure_range(START, START + dt.timedelta(days=3), ["primary"])
    occurrence = next(e for e in cache.events_between(START, START + dt.timedelta(days=3)) if e.series_id == written.id)
    zoom.log.clear()
    await cache.update_event(
        attrs.evolve(
            occurrence, start=occurrence.start + dt.timedelta(hours=1), end=occurrence.end + dt.timedelta(hours=1)
        )
    )
    assert not patches(zoom) and len(zoom.state.meetings) == 1


async def test_an_invitation_carrying_a_meeting_the_user_could_change_is_left_alone(
    host, session, zoom, testmail, scheduled
) -> None:
    """Priya invited Alex to a meeting that Alex's Zoom account could change (Alex hosts it, or is Priya's
    delegate): it is Priya's event, so declining by deleting it, or moving Alex's copy, never touches it."""
    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    priya = Address("priya.sharma@example.in", "Priya Sharma")
    invitation = attrs.evolve(
        scheduled,
        id="priya-review",
        title="Priya's review",
        organizer=priya,
        attendees=(Attendee(priya, organizer=True), Attendee(Address("alex.morgan@example.com"))),
        provider_data={},
    )
    testmail.state.create_event(invitation)  # Priya's server put it there
    await cache.refresh()
    written = cache.get("primary", "priya-review")
    assert any(a.is_self and not a.organizer for a in written.attendees) and meeting_of(written) is not None
    zoom.log.clear()
    later = START + dt.timedelta(hours=4)
    await cache.update_event(attrs.evolve(written, start=later, end=later + dt.timedelta(minutes=30)))
    await cache.delete_event("primary", written.id)
    assert not zoom.log.find("PATCH") and not zoom.log.find("DELETE") and meeting["id"] in zoom.state.meetings
    assert written.id not in testmail.state.events


async def test_signed_out_of_zoom_the_event_still_moves_and_the_user_is_told(
    session, zoom, testmail, secrets, scheduled
):
    from zoom_workplace.session import sign_out

    cache = session.require_calendars()
    (meeting,) = zoom.state.meetings.values()
    kept = meeting["start_time"]
    sign_out(secrets)
    later = START + dt.timedelta(hours=6)
    with pytest.raises(MeetingNotChanged) as raised:
        await cache.update_event(attrs.evolve(scheduled, start=later, end=later + dt.timedelta(minutes=30)))
    assert "“Design review” is saved, but its Zoom meeting was not changed" in str(raised.value)
    assert "Nobody is signed in to Zoom" in str(raised.value) and "zoomclient zoom signin" in raised.value.hint
    assert testmail.state.events[scheduled.id].start == later and cache.get("primary", scheduled.id).start == later
    assert meeting["start_time"] == kept


async def test_an_event_moved_to_another_calendar_signed_out_of_zoom_is_not_left_twice(
    session, zoom, testmail, secrets, scheduled
) -> None:
    from zoom_workplace.session import sign_out

    cache = session.require_calendars()
    sign_out(secrets)
    later = START + dt.timedelta(hours=1)
    with pytest.raises(MeetingNotChanged):
        await cache.move_event(
            scheduled,
            attrs.evolve(scheduled, title="Moved to a room", calendar_id="room-berlin-4", start=later, end=later),
        )
    assert scheduled.id not in testmail.state.events
    assert [e.calendar_id for e in testmail.state.events.values() if e.title == "Moved to a room"] == ["room-berlin-4"]

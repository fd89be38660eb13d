"""Zoom meetings with their events: create one for an event and write it in, and the event-level steps
the host's calendar write path takes for an event that carries one (:class:`ZoomConferencing`'s
``event_changed``/``event_deleted`` build on these); never leave half of it behind.

What goes into the event: the join URL as the location, and the join URL, meeting ID, passcode and
dial-in numbers in the description, between marker lines so that an update replaces the block. The
``start_url`` (the host's own key to the meeting) never goes into an event: it stays in the
:class:`ScheduledMeeting` the caller gets back. ``event.provider_data["zoom_meeting"]`` (in memory
only: no provider writes provider_data) holds what the meeting was last set to, so that an event
not yet saved (the editor's) is compared with its meeting without asking Zoom.

Who hosts: on a calendar the user manages for someone else (``CalendarKind.DELEGATED``), the owner's
Zoom account by default (``schedule_for``), the user's own when the editor put
``event.provider_data["zoom_host"] = "me"``.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

import attrs

from host.conferencing import ConferencingProvider, MeetingNotChanged, MeetingRequest
from host.errors import ZoomclientError
from host.model.calendar import Calendar, CalendarKind, Event, OnlineMeeting
from host.policy import check_meeting, is_zoom_url
from zoom_meetings.provider import not_signed_in, not_the_users, update_body

if TYPE_CHECKING:
    from host.calendar import CalendarCache

BEGIN = "──────── Zoom meeting ────────"
END = "──────────────────────────────"
HOST_CHOICE_KEY = "zoom_host"
#: provider_data key: the meeting's fields as last set (see the module docstring)
MEETING_STATE_KEY = "zoom_meeting"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)


@attrs.frozen
class ScheduledMeeting:
    """The event as written, and the meeting with its ``start_url`` (for the organiser only)."""

    event: Event
    meeting: OnlineMeeting


def host_email(event: Event, calendar: Calendar | None) -> str | None:
    """Whose Zoom account hosts the meeting: None for the user's own."""
    if calendar is None or calendar.kind is not CalendarKind.DELEGATED or calendar.owner is None:
        return None
    return None if event.provider_data.get(HOST_CHOICE_KEY) == "me" else calendar.owner.email


def meeting_request(event: Event, calendar: Calendar | None) -> MeetingRequest:
    minutes = max(1, int((event.end - event.start).total_seconds() // 60))
    return MeetingRequest(
        topic=event.title,
        start=event.start,
        duration_minutes=minutes,
        time_zone=event.time_zone,
        host_email=host_email(event, calendar),
        agenda=strip_invitation(event.description),
        invitees=tuple(a.address.email for a in event.attendees),
        recurrence=event.recurrence,
    )


def _grouped(meeting_id: str) -> str:
    """Zoom's way of showing a meeting ID: ``810 0000 0001``."""
    if not meeting_id.isdigit() or len(meeting_id) < 9:
        return meeting_id
    return f"{meeting_id[:3]} {meeting_id[3:-4]} {meeting_id[-4:]}"


def invitation(meeting: OnlineMeeting) -> str:
    """The block written into the description: what invitees need to join, nothing of the host's."""
    lines = [BEGIN, f"Join Zoom meeting: {meeting.join_url}"]
    if meeting.meeting_id:
        lines.append(f"Meeting ID: {_grouped(meeting.meeting_id)}")
    if meeting.passcode:
        lines.append(f"Passcode: {meeting.passcode}")
    if meeting.dial_in:
        lines.append("Dial in:")
        lines.extend(f"  {number}" for number in meeting.dial_in)
    lines.append(END)
    return "\n".join(lines) + "\n"


def strip_invitation(description: str) -> str:
    return _BLOCK.sub("", description).rstrip()


def meeting_state(event: Event) -> dict[str, Any]:
    """What of ``event`` its meeting must follow: topic, time, length, time zone and recurrence (raises
    ValueError for a rule that cannot be read). Not the agenda: a note added to the description (a
    recording's link, a phone number) is not worth a request that could fail the edit; the agenda goes
    along with the next change that is."""
    state = update_body(meeting_request(event, None))
    del state["agenda"]
    return state


def with_meeting(event: Event, meeting: OnlineMeeting) -> Event:
    """``event`` carrying ``meeting``: the location, the description's block, the meeting without its
    start_url, and what the meeting was set to (``MEETING_STATE_KEY``)."""
    text = strip_invitation(event.description)
    location = event.location if event.location and not is_zoom_url(event.location) else meeting.join_url
    carrying = attrs.evolve(
        event,
        location=location,
        description=(text + "\n\n" if text else "") + invitation(meeting),
        online_meeting=attrs.evolve(meeting, start_url=None),
    )
    return attrs.evolve(carrying, provider_data={**event.provider_data, MEETING_STATE_KEY: meeting_state(carrying)})


def meeting_of(event: Event) -> OnlineMeeting | None:
    """The Zoom meeting an event carries: its own record, else the one in its location (a provider that
    keeps no meeting record gives back the join URL alone)."""
    if event.online_meeting is not None and event.online_meeting.provider == "zoom":
        return event.online_meeting
    match = re.search(r"https://[a-z0-9.-]*zoom\.us/j/(\d+)\S*", f"{event.location} {event.description}")
    if match and is_zoom_url(match.group(0)):
        return OnlineMeeting(provider="zoom", join_url=match.group(0), meeting_id=match.group(1))
    return None


async def add_meeting(
    conferencing: ConferencingProvider,
    calendars: CalendarCache | None,
    event: Event,
    calendar: Calendar | None = None,
    *,
    notify: bool = True,
) -> ScheduledMeeting:
    """Create a Zoom meeting for ``event`` and write it in (create the event when it has no id yet).

    With ``calendars`` None the event is only prepared (the event editor saves it). If the host refuses
    the meeting it is deleted again; if writing the event fails, the cache deletes it: nothing is
    half-created.
    """
    if meeting_of(event) is not None:
        raise ZoomclientError("This event has a Zoom meeting already.", hint="Remove it first to make a new one.")
    meeting = await conferencing.create_meeting(meeting_request(event, calendar))
    try:
        check_meeting(meeting)
        prepared = with_meeting(event, meeting)
    except BaseException:
        with contextlib.suppress(Exception):  # the first error is the one to report
            await conferencing.delete_meeting(meeting)
        raise
    if calendars is None:
        written = prepared
    elif event.id:
        written = await calendars.update_event(prepared, notify=notify)
    else:
        written = await calendars.create_event(prepared, notify=notify)
    return ScheduledMeeting(written, meeting)


async def follow_event(conferencing: ConferencingProvider, before: Event | None, after: Event) -> Event:
    """The ``event_changed`` step: set the meeting to ``after``'s title, time and recurrence where they differ
    from ``before`` (or, with no ``before``, from what the meeting was last set to), and return ``after``
    with its invitation refreshed. A meeting that is not the user's is left alone."""
    meeting = meeting_of(after)
    if meeting is None:
        return after
    wanted = meeting_state(after)  # a rule that cannot be read fails here, before anything changes
    if before is not None:
        try:
            last = meeting_state(before)
        except ValueError:
            last = None
    else:
        last = after.provider_data.get(MEETING_STATE_KEY)
    if wanted == last:
        return after
    try:
        updated = await conferencing.update_meeting(meeting, meeting_request(after, None))
    except ZoomclientError as error:
        if not_the_users(error):
            return after
        if not_signed_in(error):
            raise MeetingNotChanged(
                str(error),
                hint="Sign in to Zoom (`zoomclient zoom signin`), then run `zoomclient meeting update` for this event.",
            ) from error
        raise
    return with_meeting(after, check_meeting(updated))


async def update_with_event(
    conferencing: ConferencingProvider, calendars: CalendarCache, event: Event, *, notify: bool = True
) -> Event:
    """``zoomclient meeting update``: set the event's meeting from the event as it is, whatever the meeting
    was last set to (a meeting changed in Zoom is brought back in line), and write the refreshed event."""
    if meeting_of(event) is None:
        raise ZoomclientError("This event has no Zoom meeting to update.", hint="Add a Zoom meeting to it first.")
    forgotten = attrs.evolve(
        event, provider_data={k: v for k, v in event.provider_data.items() if k != MEETING_STATE_KEY}
    )
    return await calendars.update_event(await follow_event(conferencing, None, forgotten), notify=notify)

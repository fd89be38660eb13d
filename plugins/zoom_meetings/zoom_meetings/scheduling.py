"""Zoom meetings with their events: create one for an event and write it in, update and delete it with
the event, and never leave half of it behind.

What goes into the event: the join URL as the location, and the join URL, meeting ID, passcode and
dial-in numbers in the description, between marker lines so that an update replaces the block. The
``start_url`` (the host's own key to the meeting) never goes into an event: it stays in the
:class:`ScheduledMeeting` the caller gets back.

Who hosts: on a calendar the user manages for someone else (``CalendarKind.DELEGATED``), the owner's
Zoom account by default (``schedule_for``), the user's own when the editor put
``event.provider_data["zoom_host"] = "me"``.
"""

from __future__ import annotations

import contextlib
import re
from typing import Protocol

import attrs

from host.conferencing import ConferencingProvider, MeetingRequest
from host.errors import ZoomclientError
from host.model.calendar import Calendar, CalendarKind, Event, OnlineMeeting
from host.policy import check_meeting, is_zoom_url

BEGIN = "──────── Zoom meeting ────────"
END = "──────────────────────────────"
HOST_CHOICE_KEY = "zoom_host"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)


class EventWriter(Protocol):
    """Where events are written: a calendar provider, or the host's CalendarCache in front of one."""

    async def create_event(self, event: Event, *, notify: bool = True) -> Event: ...

    async def update_event(self, event: Event, *, notify: bool = True) -> Event: ...

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None: ...


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


def with_meeting(event: Event, meeting: OnlineMeeting) -> Event:
    """``event`` carrying ``meeting``: the location, the description's block, and the meeting without its start_url."""
    text = strip_invitation(event.description)
    location = event.location if event.location and not is_zoom_url(event.location) else meeting.join_url
    return attrs.evolve(
        event,
        location=location,
        description=(text + "\n\n" if text else "") + invitation(meeting),
        online_meeting=attrs.evolve(meeting, start_url=None),
    )


def without_meeting(event: Event) -> Event:
    location = "" if is_zoom_url(event.location) else event.location
    return attrs.evolve(event, location=location, description=strip_invitation(event.description), online_meeting=None)


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
    calendars: EventWriter | None,
    event: Event,
    calendar: Calendar | None = None,
    *,
    notify: bool = True,
) -> ScheduledMeeting:
    """Create a Zoom meeting for ``event`` and write it in (create the event when it has no id yet).

    With ``calendars`` None the event is only prepared (the event editor saves it). If the host refuses
    the meeting, or writing the event fails, the meeting is deleted again: nothing is half-created.
    """
    if meeting_of(event) is not None:
        raise ZoomclientError("This event has a Zoom meeting already.", hint="Remove it first to make a new one.")
    meeting = await conferencing.create_meeting(meeting_request(event, calendar))
    try:
        check_meeting(meeting)
        prepared = with_meeting(event, meeting)
        if calendars is None:
            written = prepared
        elif event.id:
            written = await calendars.update_event(prepared, notify=notify)
        else:
            written = await calendars.create_event(prepared, notify=notify)
    except BaseException:
        with contextlib.suppress(Exception):  # the first error is the one to report
            await conferencing.delete_meeting(meeting)
        raise
    return ScheduledMeeting(written, meeting)


async def update_with_event(
    conferencing: ConferencingProvider,
    calendars: EventWriter,
    event: Event,
    calendar: Calendar | None = None,
    *,
    notify: bool = True,
) -> ScheduledMeeting:
    """Move the event's meeting to the event's new title, time and recurrence, then write the event."""
    current = meeting_of(event)
    if current is None:
        raise ZoomclientError("This event has no Zoom meeting to update.", hint="Add a Zoom meeting to it first.")
    meeting = check_meeting(await conferencing.update_meeting(current, meeting_request(event, calendar)))
    written = await calendars.update_event(with_meeting(event, meeting), notify=notify)
    return ScheduledMeeting(written, meeting)


async def delete_with_event(
    conferencing: ConferencingProvider, calendars: EventWriter, event: Event, *, notify: bool = True
) -> None:
    """Delete the event, then its Zoom meeting (a meeting without its event is harmless; an invite
    whose meeting is gone is not). One occurrence of a series goes alone: the series keeps its meeting."""
    meeting = meeting_of(event) if event.series_id is None else None
    await calendars.delete_event(event.calendar_id, event.id, notify=notify)
    if meeting is not None:
        await conferencing.delete_meeting(meeting)

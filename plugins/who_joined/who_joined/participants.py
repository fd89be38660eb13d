"""Who joined an event's Zoom meeting: live participants while it runs, past participants afterwards.

The meeting is the event's (:func:`zoom_meetings.scheduling.meeting_of`: its record, else the join URL
in the location or description). ``GET /meetings/{meetingId}`` says whether it runs (``status``
"started"); then ``GET /metrics/meetings/{meetingId}/participants?type=live``. Otherwise the instance of
this occurrence is looked for among the meeting's ended ones (``GET /past_meetings/{meetingId}/instances``,
one that started within half a day of the event) and its participants are read by UUID
(``GET /past_meetings/{meetingUUID}/participants``, a UUID with ``/`` at the start or ``//`` inside
encoded twice). Every list is read page by page to its end.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

import attrs

from host.errors import ZoomclientError
from host.model.calendar import Event
from zoom_meetings.scheduling import meeting_of
from zoom_workplace.client import ZoomApiError, meeting_uuid_path

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

#: The participants APIs' largest page.
PAGE_SIZE = 300
#: Zoom's answers for a meeting that is not the user's to see (someone else's, or deleted).
NOT_YOURS = (400, 403, 404)
#: How far from the event's start an ended instance may have started to count as this occurrence's.
INSTANCE_WINDOW = dt.timedelta(hours=12)


class MeetingState(enum.Enum):
    NOT_STARTED = "not-started"
    LIVE = "live"
    ENDED = "ended"


@attrs.frozen
class Participant:
    """One join of the meeting (who leaves and comes back is listed twice, as Zoom lists them)."""

    name: str
    email: str
    joined: dt.datetime | None
    left: dt.datetime | None = None
    #: time in the meeting: up to now while it runs
    duration: dt.timedelta | None = None


@attrs.frozen
class Attendance:
    """What the sidebar shows for one event's meeting at ``checked``."""

    meeting_id: str
    state: MeetingState
    participants: tuple[Participant, ...] = ()
    checked: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(dt.UTC))


def meeting_id_of(event: Event) -> str | None:
    """The Zoom meeting id of ``event``'s meeting, None when it has none."""
    meeting = meeting_of(event)
    return meeting.meeting_id if meeting is not None and meeting.meeting_id else None


def _time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _participant(data: dict[str, Any], now: dt.datetime) -> Participant:
    """A participant of either list: the live one names them ``user_name``/``email``, the past one
    ``name``/``user_email``."""
    joined, left = _time(data.get("join_time")), _time(data.get("leave_time"))
    seconds = data.get("duration")
    if isinstance(seconds, int | float):
        duration: dt.timedelta | None = dt.timedelta(seconds=seconds)
    elif joined is not None:
        duration = (left or now) - joined
    else:
        duration = None
    return Participant(
        name=str(data.get("user_name") or data.get("name") or ""),
        email=str(data.get("email") or data.get("user_email") or ""),
        joined=joined,
        left=left,
        duration=duration,
    )


async def _all_pages(client: ZoomClient, path: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token = ""
    while True:
        page = await client.get(path, page_size=PAGE_SIZE, next_page_token=token or None, **params)
        found.extend(page.get("participants", []))
        token = page.get("next_page_token") or ""
        if not token:
            return found


def instance_of(event: Event, instances: list[dict[str, Any]]) -> str | None:
    """The UUID of the ended instance that was ``event`` (this occurrence), the latest if several."""
    near = [
        (started, str(instance["uuid"]))
        for instance in instances
        if instance.get("uuid") and (started := _time(instance.get("start_time"))) is not None
        if event.start - INSTANCE_WINDOW <= started <= event.end + INSTANCE_WINDOW
    ]
    return max(near)[1] if near else None


async def attendance(client: ZoomClient, event: Event, meeting_id: str) -> Attendance:
    """Who is in ``event``'s meeting ``meeting_id`` now, or who was, or that it has not started."""
    now = dt.datetime.now(dt.UTC)
    try:
        meeting = await client.get(f"/meetings/{meeting_id}")
    except ZoomApiError as error:
        if error.status not in NOT_YOURS:
            raise
        raise ZoomclientError(
            f"Zoom does not show you meeting {meeting_id}: {Exception.__str__(error)}",
            hint="Only the meeting's host, or someone who schedules meetings for them, sees who joined; "
            "a meeting deleted in Zoom has nobody to show.",
        ) from error
    if meeting.get("status") == "started":
        live = await _all_pages(client, f"/metrics/meetings/{meeting_id}/participants", type="live")
        return Attendance(meeting_id, MeetingState.LIVE, tuple(_participant(p, now) for p in live), now)
    instances = (await client.get(f"/past_meetings/{meeting_id}/instances")).get("meetings", [])
    uuid = instance_of(event, instances)
    if uuid is None:
        return Attendance(meeting_id, MeetingState.NOT_STARTED, (), now)
    past = await _all_pages(client, f"/past_meetings/{meeting_uuid_path(uuid)}/participants")
    return Attendance(meeting_id, MeetingState.ENDED, tuple(_participant(p, now) for p in past), now)

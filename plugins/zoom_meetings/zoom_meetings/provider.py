"""The Zoom conferencing provider: Zoom meetings through the Zoom API client (``POST /users/{userId}/meetings``).

A meeting for a delegate is created under the calendar owner's Zoom account with ``schedule_for``;
the owner must have given the delegate scheduling privilege in Zoom. The provider asks Zoom first
(``GET /users/me/schedulers`` lists whom the user may schedule for), so that a missing privilege is a
clear error before anything is created; the API's own refusal is mapped to the same error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.errors import ZoomclientError

if TYPE_CHECKING:  # annotations only: the plugin registers this provider when it loads
    from host.conferencing import MeetingRequest
    from host.model.calendar import Event, OnlineMeeting
    from zoom_workplace.client import ZoomClient

#: The settings every meeting gets: a waiting room and muted entry keep a forwarded invite harmless.
MEETING_SETTINGS = {
    "host_video": True,
    "participant_video": False,
    "join_before_host": False,
    "mute_upon_entry": True,
    "waiting_room": True,
    "audio": "both",
    "auto_recording": "none",
    "email_notification": False,
}
#: The emulated code of Zoom's "has not granted you scheduling privilege" (see the emulator).
NO_SCHEDULING_PRIVILEGE = 1120


class SchedulingPrivilegeMissing(ZoomclientError):
    """The calendar's owner has not let the user schedule Zoom meetings for them."""

    def __init__(self, owner: str) -> None:
        super().__init__(
            f"{owner} has not given you scheduling privilege in Zoom, so no Zoom meeting can be created "
            "in their account. Nothing was created.",
            hint=f"Ask {owner} to add you under Zoom > Settings > Meeting > Scheduling privilege, "
            "or create the meeting under your own Zoom account.",
        )
        self.owner = owner


def not_the_users(error: Exception) -> bool:
    """Zoom says the meeting is not there for this user: gone, or someone else's (an invitation's)."""
    from zoom_workplace.client import ZoomApiError

    return isinstance(error, ZoomApiError) and (error.status == 404 or error.code == NO_SCHEDULING_PRIVILEGE)


def not_signed_in(error: Exception) -> bool:
    """The meeting cannot be changed from here: nobody signed in to Zoom, a sign-in Zoom refuses, or one
    without the access it needs (a Zoom Mail sign-in lacks the meeting scopes)."""
    from host.errors import AuthError, UsageError
    from zoom_workplace.client import ZoomApiError

    return isinstance(error, (UsageError, AuthError)) or (isinstance(error, ZoomApiError) and error.status == 403)


def _zoom_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def meeting_body(request: MeetingRequest) -> dict[str, Any]:
    """The ``POST /users/{userId}/meetings`` body for ``request`` (rivet's ``MeetingsCreateMeetingRequestBody``)."""
    from zoom_meetings.recurrence import zoom_recurrence

    meeting_type, recurrence = zoom_recurrence(request.recurrence, request.start)
    body: dict[str, Any] = {
        "topic": request.topic[:200] or "Zoom meeting",
        "type": meeting_type,
        "start_time": _zoom_time(request.start),
        "duration": max(1, request.duration_minutes),
        "timezone": request.time_zone,
        "agenda": request.agenda[:2000],
        "settings": dict(MEETING_SETTINGS),
    }
    if recurrence is not None:
        body["recurrence"] = recurrence
    if request.host_email:
        body["schedule_for"] = request.host_email
    return body


def update_body(request: MeetingRequest) -> dict[str, Any]:
    """The ``PATCH /meetings/{meetingId}`` body: the create body without what an update keeps."""
    body = meeting_body(request)
    body.pop("schedule_for", None)  # the host of a meeting cannot change
    body.pop("settings")  # what the host changed in Zoom (waiting room, recording) stays
    return body


def online_meeting(data: dict[str, Any]) -> OnlineMeeting:
    from host.model.calendar import OnlineMeeting

    numbers = data.get("settings", {}).get("global_dial_in_numbers", [])
    dial_in = tuple(
        f"{n['number']} ({', '.join(p for p in (n.get('country_name'), n.get('city')) if p)})"
        if n.get("country_name")
        else n["number"]
        for n in numbers
        if n.get("number")
    )
    return OnlineMeeting(
        provider="zoom",
        join_url=str(data["join_url"]),
        meeting_id=str(data["id"]),
        passcode=data.get("password") or None,
        dial_in=dial_in,
        start_url=data.get("start_url"),
        host_email=data.get("host_email"),
    )


class ZoomConferencing:
    """What ``register_conferencing`` registers. ``connect()`` gives a Zoom client to use and close."""

    service = "zoom"
    title = "Zoom"

    def __init__(self, connect: Callable[[], ZoomClient]) -> None:
        self.connect = connect

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting:
        from zoom_workplace.client import ZoomApiError

        body = meeting_body(request)  # a rule that cannot be read fails here, before anything is created
        client = self.connect()
        try:
            if request.host_email:
                me = (await client.me())["email"]
                if request.host_email.lower() == str(me).lower():
                    del body["schedule_for"]
                else:
                    schedulers = await client.get("/users/me/schedulers")
                    allowed = {str(s.get("email", "")).lower() for s in schedulers.get("schedulers", [])}
                    if request.host_email.lower() not in allowed:
                        raise SchedulingPrivilegeMissing(request.host_email)
            try:
                created = await client.request("POST", "/users/me/meetings", body=body)
            except ZoomApiError as error:
                if request.host_email and (error.code == NO_SCHEDULING_PRIVILEGE or "privilege" in str(error).lower()):
                    raise SchedulingPrivilegeMissing(request.host_email) from error
                raise
            return online_meeting(created)
        finally:
            await client.aclose()

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting:
        body = update_body(request)
        client = self.connect()
        try:
            await client.request("PATCH", f"/meetings/{meeting.meeting_id}", body=body)
            return online_meeting(await client.get(f"/meetings/{meeting.meeting_id}"))
        finally:
            await client.aclose()

    async def delete_meeting(self, meeting: OnlineMeeting) -> None:
        from zoom_workplace.client import ZoomApiError

        client = self.connect()
        try:
            await client.request("DELETE", f"/meetings/{meeting.meeting_id}", params={"schedule_for_reminder": False})
        except ZoomApiError as error:
            if error.status != 404:  # gone already is what was asked for
                raise
        finally:
            await client.aclose()

    # -- the steps the host's calendar write path takes (host.conferencing.EventMeetings) --------------

    def meeting_of(self, event: Event) -> OnlineMeeting | None:
        from zoom_meetings.scheduling import meeting_of

        return meeting_of(event)

    async def event_changed(self, before: Event | None, after: Event) -> Event:
        from zoom_meetings.scheduling import follow_event

        return await follow_event(self, before, after)

    async def event_deleted(self, event: Event) -> None:
        from zoom_meetings.scheduling import meeting_of

        meeting = meeting_of(event)
        if meeting is None:
            return
        try:
            await self.delete_meeting(meeting)
        except ZoomclientError as error:
            if not not_the_users(error):
                raise

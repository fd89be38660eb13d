"""Conferencing: the only meetings the host attaches are Zoom meetings (promise 1).

How the host knows a conferencing provider really is Zoom, so that a plugin cannot simply claim it:

1. a provider declares ``service``; any value but ``"zoom"`` refuses the whole plugin at load time;
2. a provider that says ``"zoom"`` is accepted only from a trusted distribution
   (:data:`host.policy.TRUSTED_ZOOM_DISTRIBUTIONS`, or in-process plugins a test marks trusted);
3. every meeting it creates is checked before the host attaches it: the join URL must be ``https`` on
   a Zoom host (:func:`host.policy.check_meeting`); anything else is refused and never reaches an event.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

import attrs

from host.model.calendar import OnlineMeeting


@attrs.frozen
class MeetingRequest:
    """A meeting to create for an event.

    ``host_email`` is whose Zoom account hosts it: the calendar owner's by default when a delegate
    schedules (``schedule_for``), the delegate's own when they choose so.
    """

    topic: str
    start: dt.datetime
    duration_minutes: int
    time_zone: str = "UTC"
    host_email: str | None = None
    agenda: str = ""
    invitees: tuple[str, ...] = ()
    recurrence: tuple[str, ...] = ()


@runtime_checkable
class ConferencingProvider(Protocol):
    """What ``register_conferencing`` registers."""

    service: str
    title: str

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting: ...

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting: ...

    async def delete_meeting(self, meeting: OnlineMeeting) -> None: ...

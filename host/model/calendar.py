"""Calendars and events. These objects live only in memory (promise 4): never pickle or log them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from host.model.mail import Address


class CalendarKind(enum.Enum):
    OWN = "own"
    SHARED = "shared"  # someone shared it with the user
    RESOURCE = "resource"  # a room or equipment
    DELEGATED = "delegated"  # the user manages it for its owner and may schedule in it


class AccessRole(enum.Enum):
    """Google's accessRole names; Graph's canEdit/canShare/isOwner map onto them."""

    FREE_BUSY = "freeBusyReader"
    READER = "reader"
    WRITER = "writer"
    OWNER = "owner"

    @property
    def can_write(self) -> bool:
        return self in (AccessRole.WRITER, AccessRole.OWNER)


@attrs.frozen
class Calendar:
    """A calendar the account reaches: its own, shared with it, a resource, or a delegator's."""

    id: str
    name: str
    kind: CalendarKind = CalendarKind.OWN
    access_role: AccessRole = AccessRole.OWNER
    owner: Address | None = None
    color: str | None = None
    primary: bool = False
    time_zone: str | None = None  # IANA
    provider_data: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)

    @property
    def writable(self) -> bool:
        return self.access_role.can_write


class ResponseStatus(enum.Enum):
    NEEDS_ACTION = "needsAction"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class AttendeeRole(enum.Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    RESOURCE = "resource"


@attrs.frozen
class Attendee:
    address: Address
    response: ResponseStatus = ResponseStatus.NEEDS_ACTION
    role: AttendeeRole = AttendeeRole.REQUIRED
    organizer: bool = False
    is_self: bool = False


class EventStatus(enum.Enum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class ShowAs(enum.Enum):
    """How the time shows in free/busy (Graph's showAs; Google's transparency is FREE or BUSY)."""

    FREE = "free"
    TENTATIVE = "tentative"
    BUSY = "busy"
    OUT_OF_OFFICE = "oof"
    WORKING_ELSEWHERE = "workingElsewhere"


@attrs.frozen
class Reminder:
    """A reminder ``minutes`` before the start; ``method`` is ``popup`` or ``email``."""

    minutes: int
    method: str = "popup"


@attrs.frozen
class OnlineMeeting:
    """The conferencing attached to an event. The host only ever attaches Zoom meetings (promise 1).

    ``start_url`` is the host's own link: it is kept for the organiser and never written into an
    invitation.
    """

    provider: str
    join_url: str
    meeting_id: str = ""
    passcode: str | None = None
    dial_in: tuple[str, ...] = ()
    start_url: str | None = attrs.field(default=None, repr=False)
    host_email: str | None = None


@attrs.frozen
class Event:
    """An event, or one occurrence of a recurring series.

    Times are timezone-aware; an all-day event has ``all_day`` set and midnight starts in
    ``time_zone``. ``recurrence`` holds RFC 5545 lines (``RRULE:...``, ``EXDATE:...``) on a series
    master; an occurrence has ``series_id`` and ``original_start``.
    """

    id: str
    calendar_id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool = False
    time_zone: str = "UTC"  # IANA
    location: str = ""
    description: str = ""
    organizer: Address | None = None
    attendees: tuple[Attendee, ...] = ()
    recurrence: tuple[str, ...] = ()
    series_id: str | None = None
    original_start: dt.datetime | None = None
    status: EventStatus = EventStatus.CONFIRMED
    show_as: ShowAs = ShowAs.BUSY
    reminders: tuple[Reminder, ...] = ()
    online_meeting: OnlineMeeting | None = None
    my_response: ResponseStatus | None = None
    updated: dt.datetime | None = None
    provider_data: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)


@attrs.frozen
class BusyInterval:
    start: dt.datetime
    end: dt.datetime
    show_as: ShowAs = ShowAs.BUSY


@attrs.frozen
class FreeBusy:
    """One invitee's availability over a window; ``error`` when the server could not tell."""

    address: str
    busy: tuple[BusyInterval, ...] = ()
    error: str | None = None


@attrs.frozen
class DelegatePermission:
    """The user may act on ``owner``'s calendar with ``role``.

    ``can_schedule`` means events (and their Zoom meetings) may be created in it on the owner's
    behalf; the Zoom meeting then goes to the owner's Zoom account unless the delegate chooses their
    own.
    """

    calendar_id: str
    owner: Address
    delegate: Address
    role: AccessRole
    can_schedule: bool = True

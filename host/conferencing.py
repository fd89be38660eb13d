"""Conferencing: the only meetings the host attaches are Zoom meetings (promise 1).

How the host knows a conferencing provider really is Zoom, so that a plugin cannot simply claim it:

1. a provider declares ``service``; any value but ``"zoom"`` refuses the whole plugin at load time;
2. a provider that says ``"zoom"`` is accepted only from a trusted distribution
   (:data:`host.policy.TRUSTED_ZOOM_DISTRIBUTIONS`, or in-process plugins a test marks trusted);
3. every meeting it creates is checked before the host attaches it: the join URL must be ``https`` on
   a Zoom host (:func:`host.policy.check_meeting`); anything else is refused and never reaches an event.

A meeting lives and dies with its event. The host's calendar write path
(:class:`host.calendar.CalendarCache`) hands every change of an event that carries a provider's meeting
to :class:`EventMeetings`, which calls the provider's :meth:`~ConferencingProvider.event_changed` and
:meth:`~ConferencingProvider.event_deleted` steps in an order that survives any single failure (see
there). Views and the CLI write events through the cache and never call these steps themselves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from host.errors import ZoomclientError

if TYPE_CHECKING:  # annotations only: this module is imported when plugins load
    from host.model.calendar import Event, OnlineMeeting

log = logging.getLogger(__name__)


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
    """What ``register_conferencing`` registers.

    ``create_meeting``, ``update_meeting`` and ``delete_meeting`` talk to the service. The other three
    are the steps the host's calendar write path takes for an event that carries one of the provider's
    meetings (:meth:`meeting_of` says which do); the host calls them, never a view.
    """

    service: str
    title: str

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting: ...

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting: ...

    async def delete_meeting(self, meeting: OnlineMeeting) -> None: ...

    def meeting_of(self, event: Event) -> OnlineMeeting | None:
        """The provider's meeting that ``event`` carries, or None. Reads the event only (no I/O)."""
        ...

    async def event_changed(self, before: Event | None, after: Event) -> Event:
        """``after`` is about to be written in place of ``before``: bring the meeting in line with it.

        Called before the event is written, for an event (not one occurrence of a series) that carries
        the provider's meeting. ``before`` is the version the host holds, None when it holds none (a new
        event: the provider knows from ``after`` what its meeting was made with). Change the meeting
        (topic, start, duration, time zone, recurrence) only where the two differ, and return the event
        to write, e.g. with its invitation text refreshed. If writing the event then fails, the host
        calls this again with the two the other way round, to put the meeting back. A meeting the
        service says is not the user's to change (someone else's invitation) is left as it is. Raise
        :class:`MeetingNotChanged` when the meeting cannot be changed from here (nobody signed in to the
        service, no permission): the host then writes the event as it is and says so.
        """
        ...

    async def event_deleted(self, event: Event) -> None:
        """``event``, which carried the provider's meeting, is gone (or was never saved): delete the meeting.

        Called after the event is deleted, never for one occurrence of a series (the series keeps its
        meeting). A meeting that is gone already, or not the user's, is no error.
        """
        ...


class MeetingNotDeleted(ZoomclientError):
    """The event was deleted, its meeting could not be."""


class MeetingNotChanged(ZoomclientError):
    """The meeting cannot be changed from here (nobody signed in to the service, no permission). Raised by a
    provider's ``event_changed``; the host then writes the event anyway and raises it again, saying so."""


Write = Callable[["Event"], Awaitable["Event"]]


class EventMeetings:
    """The meetings events carry, kept in step with their events: the calendar write path's part.

    The order, chosen so that one failure anywhere leaves the event and its meeting consistent: the
    meeting is changed first, then the event is written, and if the write fails the meeting is changed
    back. (Writing the event first would mean writing it back when the meeting fails: a second round of
    updated invitations for every attendee.) A meeting is deleted after its event: an invitation whose
    meeting is gone is worse than a meeting nobody is invited to.
    """

    def __init__(self, providers: Sequence[ConferencingProvider] = ()) -> None:
        self.providers = tuple(providers)

    def carried(self, event: Event | None) -> tuple[ConferencingProvider, OnlineMeeting] | None:
        """The provider and meeting ``event`` carries, if any. An invitation's meeting (the user an attendee,
        not the organiser) is the organiser's: the host never moves or deletes it, even where the service
        would let the user (a delegate of the organiser, say)."""
        if event is None or any(a.is_self and not a.organizer for a in event.attendees):
            return None
        for provider in self.providers:
            meeting = provider.meeting_of(event)
            if meeting is not None:
                return provider, meeting
        return None

    async def create(self, event: Event, write: Write) -> Event:
        """Write a new event; a meeting it carries (made for it, in no saved event) is deleted if that fails."""
        carried = self.carried(event)
        if carried is None:
            return await write(event)
        provider = carried[0]
        prepared = await self._follow(provider, None, event, write)
        try:
            return await write(prepared)
        except BaseException:
            with contextlib.suppress(Exception):  # the write's error is the one to report
                await provider.event_deleted(prepared)
            raise

    async def update(self, before: Event | None, after: Event, write: Write) -> Event:
        """Write ``after`` over ``before`` (the version the host holds), its meeting moved along with it."""
        if after.series_id is not None or (before is not None and before.series_id is not None):
            return await write(after)  # one occurrence on its own: the series' meeting stays as it is
        old, new = self.carried(before), self.carried(after)
        if new is None:
            written = await write(after)
        elif before is None:  # not loaded: there is no earlier version to put the meeting back to
            written = await write(await self._follow(new[0], None, after, write))
        elif old is None or old[1].meeting_id != new[1].meeting_id:
            written = await self.create(after, write)  # a meeting added in the editor: as for a new event
        else:
            written = await self._changed(new[0], before, after, write)
        if old is not None and (new is None or old[1].meeting_id != new[1].meeting_id):
            await self._delete(old[0], before, "saved without it")  # the edit took the meeting out of the event
        return written

    @staticmethod
    async def _follow(provider: ConferencingProvider, before: Event | None, after: Event, write: Write) -> Event:
        """The event to write, the meeting brought in line; if the meeting cannot be changed from here, the
        event is written as it is and that is said."""
        try:
            return await provider.event_changed(before, after)
        except MeetingNotChanged as error:
            await write(after)
            raise MeetingNotChanged(
                f"“{after.title}” is saved, but its {provider.title} meeting was not changed: {error}", hint=error.hint
            ) from error

    async def _changed(self, provider: ConferencingProvider, before: Event, after: Event, write: Write) -> Event:
        prepared = await self._follow(provider, before, after, write)
        try:
            return await write(prepared)
        except BaseException:
            try:
                await provider.event_changed(prepared, before)
            except Exception:  # a second failure: say so without the event's contents (promise 4)
                log.warning(
                    "calendar %s: a meeting could not be put back after its event's update failed", after.calendar_id
                )
            raise

    async def delete(self, event: Event | None, delete: Callable[[], Awaitable[None]]) -> None:
        """Delete an event (``event``: the version the host holds, None if none), then its meeting."""
        carried = self.carried(event) if event is not None and event.series_id is None else None
        await delete()
        if carried is not None:
            await self._delete(carried[0], event, "deleted")

    async def discard(self, draft: Event, kept: Event | None) -> None:
        """The user closed an editor without saving: delete a meeting ``draft`` got that ``kept`` (the event
        as it was opened, None for a new one) does not carry."""
        new, old = self.carried(draft), self.carried(kept)
        if new is not None and (old is None or old[1].meeting_id != new[1].meeting_id):
            await new[0].event_deleted(draft)

    @staticmethod
    async def _delete(provider: ConferencingProvider, event: Event, done: str) -> None:
        try:
            await provider.event_deleted(event)
        except ZoomclientError as error:
            raise MeetingNotDeleted(
                f"“{event.title}” is {done}, but its {provider.title} meeting could not be deleted: {error}",
                hint=f"Delete the meeting in {provider.title}, or try again later.",
            ) from error

"""The calendar provider protocol. What it returns lives only in memory (promise 4)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from host.providers.connection import ProviderConnection

if TYPE_CHECKING:  # annotations only: plugins import this module at load, the model is not light
    from host.model.calendar import Calendar, DelegatePermission, Event, FreeBusy, ResponseStatus


class CalendarCapability(enum.Enum):
    FREE_BUSY = "free-busy"
    RESPOND = "respond"
    RECURRENCE = "recurrence"
    INCREMENTAL = "incremental"  # sync tokens / delta links
    DELEGATES = "delegates"  # schedule in another user's calendar
    FIND_TIMES = "find-times"  # the server suggests meeting slots


@attrs.frozen
class EventWindow:
    """The events of a calendar between two instants, recurring ones expanded into occurrences.

    ``cursor`` continues incrementally from here when the provider has one for this window.
    """

    events: tuple[Event, ...]
    cursor: str | None = None


@attrs.frozen
class EventChanges:
    upserted: tuple[Event, ...] = ()
    deleted: tuple[str, ...] = ()
    cursor: str | None = None


@runtime_checkable
class CalendarProvider(Protocol):
    """Every calendar one account reaches. Errors as for :class:`~host.providers.MailProvider`."""

    capabilities: frozenset[CalendarCapability]

    async def list_calendars(self) -> list[Calendar]:
        """Own, shared, resource and delegated calendars with the user's access role in each."""

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow: ...

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        """Changes since ``cursor``; raises CursorExpired (410) when the server forgot it."""

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        """Create ``event`` in ``event.calendar_id``; never asks the server for a non-Zoom meeting."""

    async def update_event(self, event: Event, *, notify: bool = True) -> Event: ...

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None: ...

    async def respond(
        self,
        calendar_id: str,
        event_id: str,
        response: ResponseStatus,
        *,
        comment: str = "",
        notify: bool = True,
    ) -> Event: ...

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]: ...

    async def delegate_permissions(self) -> list[DelegatePermission]: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class CalendarProviderFactory(Protocol):
    """What ``register_calendar_providers`` registers; see :class:`~host.providers.MailProviderFactory`."""

    account_type: str
    scopes: tuple[str, ...]
    capabilities: frozenset[CalendarCapability]

    def open(self, connection: ProviderConnection) -> CalendarProvider: ...

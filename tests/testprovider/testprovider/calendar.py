"""TestMail's calendar provider: the host's CalendarProvider protocol over the emulator's JSON API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from host.model.calendar import BusyInterval, Calendar, DelegatePermission, Event, FreeBusy, ResponseStatus
from host.providers.calendar import CalendarCapability, EventChanges, EventWindow
from host.providers.connection import ProviderConnection
from host.sandbox.recurrence import localize
from testprovider import names
from testprovider.client import TestMailClient
from testprovider.codec import from_json, to_json

CAPABILITIES = frozenset(
    {
        CalendarCapability.FREE_BUSY,
        CalendarCapability.RESPOND,
        CalendarCapability.RECURRENCE,
        CalendarCapability.INCREMENTAL,
        CalendarCapability.DELEGATES,
    }
)


def event_from_json(data: dict[str, Any]) -> Event:
    # JSON keeps UTC offsets, not zones: put the times back into the event's own zone.
    return localize(from_json(Event, data))


@attrs.frozen
class TestCalendarProviderFactory:
    """What the plugin registers for ``register_calendar_providers``."""

    __test__ = False

    account_type: str = names.ACCOUNT_TYPE
    scopes: tuple[str, ...] = (names.CALENDAR_SCOPE,)
    capabilities: frozenset[CalendarCapability] = CAPABILITIES

    def open(self, connection: ProviderConnection) -> TestCalendarProvider:
        return TestCalendarProvider(connection)


class TestCalendarProvider:
    """Every calendar the TestMail account reaches. Windows come back with recurring series expanded."""

    __test__ = False

    capabilities = CAPABILITIES

    def __init__(self, connection: ProviderConnection) -> None:
        self.api = TestMailClient(connection)

    async def list_calendars(self) -> list[Calendar]:
        return [from_json(Calendar, item) for item in (await self.api.request("GET", "calendars"))["calendars"]]

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow:
        params = {"timeMin": start.isoformat(), "timeMax": end.isoformat()}
        data = await self.api.request("GET", f"calendars/{calendar_id}/events", params=params)
        return EventWindow(tuple(event_from_json(e) for e in data["events"]), data.get("syncToken"))

    async def event_changes(self, calendar_id: str, cursor: str) -> EventChanges:
        data = await self.api.request(
            "GET", f"calendars/{calendar_id}/events", params={"syncToken": cursor}, cursor=True
        )
        upserted = tuple(event_from_json(e) for e in data["events"] if e.get("status") != "cancelled")
        deleted = tuple(e["id"] for e in data["events"] if e.get("status") == "cancelled")
        return EventChanges(upserted, deleted, data.get("syncToken"))

    @staticmethod
    def _params(notify: bool) -> dict[str, str]:
        return {"sendUpdates": "all" if notify else "none"}

    async def create_event(self, event: Event, *, notify: bool = True) -> Event:
        data = await self.api.request(
            "POST", f"calendars/{event.calendar_id}/events", json=to_json(event), params=self._params(notify)
        )
        return event_from_json(data)

    async def update_event(self, event: Event, *, notify: bool = True) -> Event:
        data = await self.api.request(
            "PUT", f"calendars/{event.calendar_id}/events/{event.id}", json=to_json(event), params=self._params(notify)
        )
        return event_from_json(data)

    async def delete_event(self, calendar_id: str, event_id: str, *, notify: bool = True) -> None:
        await self.api.request("DELETE", f"calendars/{calendar_id}/events/{event_id}", params=self._params(notify))

    async def respond(
        self,
        calendar_id: str,
        event_id: str,
        response: ResponseStatus,
        *,
        comment: str = "",
        notify: bool = True,
    ) -> Event:
        data = await self.api.request(
            "POST",
            f"calendars/{calendar_id}/events/{event_id}/respond",
            json={"response": response.value, "comment": comment},
            params=self._params(notify),
        )
        return event_from_json(data)

    async def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        result: list[FreeBusy] = []
        # The server answers at most 50 addresses a call (Google's limit).
        for first in range(0, len(addresses), 50):
            chunk = list(addresses[first : first + 50])
            body = {"timeMin": start.isoformat(), "timeMax": end.isoformat(), "items": chunk}
            data = (await self.api.request("POST", "freebusy", json=body))["calendars"]
            for address in chunk:
                entry = data.get(address, {"error": "notFound"})
                if "error" in entry:
                    result.append(FreeBusy(address, error=str(entry["error"])))
                else:
                    result.append(FreeBusy(address, tuple(from_json(BusyInterval, b) for b in entry["busy"])))
        return result

    async def delegate_permissions(self) -> list[DelegatePermission]:
        data = await self.api.request("GET", "delegates")
        return [from_json(DelegatePermission, item) for item in data["delegates"]]

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client belongs to the host."""

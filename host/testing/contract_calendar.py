"""The contract's calendar part: calendars, events written and read back, invitations answered,
incremental refresh (and after an expired cursor), free/busy."""

from __future__ import annotations

import datetime as dt

import attrs

from host.accounts import AccountSession
from host.calendar import CalendarCache
from host.model.calendar import Event, FreeBusy, ResponseStatus
from host.providers import CalendarCapability
from host.testing.contract_base import OUTSIDER, ContractBase, load_primary, now, unique
from host.testing.control import EmulatorControl
from host.testing.recorder import CallRecorder

HOUR = dt.timedelta(hours=1)


def slot(days: int, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock UTC ``days`` from today: inside the window the cache loads around today."""
    return (now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0)


class CalendarContract(ContractBase):
    async def test_calendar_list_has_a_writable_primary(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        provider = self.calendar_provider(contract_session)
        (listed,) = [c for c in await provider.list_calendars() if c.primary]
        title = unique("Seen at load")
        contract_control.add_event(listed.id, title=title, start=slot(1), end=slot(1) + HOUR)
        cache = contract_session.require_calendars()
        primary = await load_primary(cache)

        assert primary.writable
        ids = [c.id for c in cache.calendars]
        assert len(ids) == len(set(ids)), "calendar ids repeat"
        today = now()
        loaded = {e.title for e in cache.events_between(today - cache.before, today + cache.after, [primary.id])}
        assert title in loaded
        assert loaded <= contract_control.event_titles(primary.id)

    async def test_calendar_events_are_created_updated_and_deleted_on_the_server(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        self.calendar_provider(contract_session)
        cache = contract_session.require_calendars()
        primary = await load_primary(cache)
        first, second = unique("Contract event"), unique("Contract event moved")
        start = slot(3)

        created = await cache.create_event(Event("", primary.id, first, start, start + HOUR, time_zone="UTC"))
        assert created.id and created.title == first
        assert (created.start, created.end) == (start, start + HOUR)
        assert first in contract_control.event_titles(primary.id)
        assert cache.get(primary.id, created.id) == created

        updated = await cache.update_event(attrs.evolve(created, title=second, end=start + 2 * HOUR))
        assert updated.id == created.id and updated.end == start + 2 * HOUR
        titles = contract_control.event_titles(primary.id)
        assert second in titles and first not in titles
        cached = cache.get(primary.id, created.id)
        assert cached is not None and cached.title == second

        await cache.delete_event(primary.id, created.id)
        assert second not in contract_control.event_titles(primary.id)
        assert cache.get(primary.id, created.id) is None

    async def test_calendar_invitations_are_answered_on_the_server(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        self.calendar_provider(contract_session, CalendarCapability.RESPOND)
        cache = contract_session.require_calendars()
        primary = await load_primary(cache)
        start = slot(4)
        event_id = contract_control.add_event(
            primary.id, title=unique("Invitation"), start=start, end=start + HOUR, organizer=OUTSIDER
        )
        await cache.refresh()
        invitation = cache.get(primary.id, event_id)
        assert invitation is not None and invitation.my_response is ResponseStatus.NEEDS_ACTION

        for response in (ResponseStatus.ACCEPTED, ResponseStatus.DECLINED):
            answered = await cache.respond(primary.id, event_id, response, notify=False)
            assert answered.my_response is response
            assert contract_control.event_response(primary.id, event_id) is response

    async def test_calendar_refresh_brings_server_side_events(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        provider = self.calendar_provider(contract_session)
        recorder = CallRecorder(provider)
        cache = CalendarCache(recorder)
        primary = await load_primary(cache)
        before = len(cache)
        title, start = unique("Added on the server"), slot(5)

        event_id = contract_control.add_event(primary.id, title=title, start=start, end=start + HOUR)
        recorder.calls.clear()
        await cache.refresh()

        _assert_once(cache, primary.id, event_id, title, start)
        assert len(cache) == before + 1
        if CalendarCapability.INCREMENTAL in provider.capabilities:
            assert recorder.calls["list_events"] == 0, "an incremental refresh listed the windows again"
            assert recorder.calls["event_changes"] >= 1

    async def test_calendar_expired_cursor_reloads_without_loss_or_duplicates(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        provider = self.calendar_provider(contract_session, CalendarCapability.INCREMENTAL)
        recorder = CallRecorder(provider)
        cache = CalendarCache(recorder)
        primary = await load_primary(cache)
        before = len(cache)
        title, start = unique("Added while the cursor expired"), slot(6)

        contract_control.expire_calendar_cursor()
        event_id = contract_control.add_event(primary.id, title=title, start=start, end=start + HOUR)
        recorder.calls.clear()
        await cache.refresh()

        assert recorder.calls["list_events"] >= 1, "the cursor did not expire: nothing was reloaded"
        _assert_once(cache, primary.id, event_id, title, start)
        assert len(cache) == before + 1

    async def test_calendar_free_busy_shows_a_new_event_as_busy(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        provider = self.calendar_provider(contract_session, CalendarCapability.FREE_BUSY)
        cache = contract_session.require_calendars()
        primary = await load_primary(cache)
        user = contract_control.user_email
        day = slot(400, hour=0)  # far from the seeded events, which cluster around today

        busy = _entry(await provider.free_busy([user], day, day + 24 * HOUR), user).busy
        hours = [day + h * HOUR for h in range(24)]
        free = [hour for hour in hours if not any(b.start < hour + HOUR and b.end > hour for b in busy)]
        assert free, "free/busy says the user is busy around the clock"
        start = free[0]
        await cache.create_event(Event("", primary.id, unique("Busy"), start, start + HOUR, time_zone="UTC"))

        busy = _entry(await provider.free_busy([user], start - HOUR, start + 2 * HOUR), user).busy
        assert any(b.start <= start and b.end >= start + HOUR for b in busy), busy


def _assert_once(cache: CalendarCache, calendar_id: str, event_id: str, title: str, start: dt.datetime) -> None:
    found = [e for e in cache.events_between(start, start + HOUR, [calendar_id]) if e.id == event_id]
    assert len(found) == 1 and found[0].title == title, found


def _entry(answers: list[FreeBusy], address: str) -> FreeBusy:
    (entry,) = [a for a in answers if a.address.lower() == address.lower()]
    assert entry.error is None, f"free/busy of {address} failed: {entry.error}"
    return entry

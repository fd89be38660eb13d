"""The calendar cache against the TestMail emulator: windows, on-demand loading, incremental refresh,
cursor expiry, and changes that go straight to the provider."""

from __future__ import annotations

import datetime as dt

import attrs

from host.calendar import CalendarCache
from host.model.calendar import Event, ResponseStatus

WEEK = dt.timedelta(weeks=1)


def _server_ids(state, calendar_id, start, end) -> set[str]:
    return {e.id for e in state.event_window(calendar_id, start, end)}


def _cache_ids(cache, calendar_id, start, end) -> set[str]:
    return {e.id for e in cache.events_between(start, end, [calendar_id])}


def _assert_matches(cache, state, start, end) -> None:
    for calendar_id in state.calendars:
        assert _cache_ids(cache, calendar_id, start, end) == _server_ids(state, calendar_id, start, end), calendar_id


async def test_load_fetches_the_window_around_today_and_more_on_demand(served, provider):
    state, log = served.state, served.emulator.log
    now = dt.datetime.now(dt.UTC)
    cache = CalendarCache(provider)
    await cache.load()
    assert {c.id for c in cache.calendars} == set(state.calendars)
    assert all(cache.loaded(c, now - 2 * WEEK, now + 6 * WEEK) for c in state.calendars)
    assert len(cache) > 0
    _assert_matches(cache, state, now - 2 * WEEK, now + 6 * WEEK)

    later = (now + 20 * WEEK, now + 21 * WEEK)
    assert not any(cache.loaded(c, *later) for c in state.calendars)
    log.clear()
    await cache.ensure_range(*later)
    assert len(log.find("GET", "/events")) == len(state.calendars)  # one window per calendar
    _assert_matches(cache, state, *later)

    log.clear()
    await cache.ensure_range(now - WEEK, now + WEEK)  # loaded already: no request
    await cache.ensure_range(later[0] + dt.timedelta(days=1), later[1] - dt.timedelta(days=1))
    assert log.find("GET", "/events") == []


async def test_refresh_follows_the_server_incrementally(served, provider):
    state, log = served.state, served.emulator.log
    now = dt.datetime.now(dt.UTC)
    cache = CalendarCache(provider)
    await cache.load()
    calendar_id = next(c.id for c in state.calendars.values() if c.writable)
    start = now + dt.timedelta(days=2)
    created = state.create_event(Event("", calendar_id, "Planning", start, start + dt.timedelta(hours=1)))
    existing = [
        e for e in state.event_window(calendar_id, now, now + 4 * WEEK) if not e.series_id and e.id != created.id
    ]
    moved, removed = existing[0], existing[1]
    state.update_event(
        attrs.evolve(
            moved, title="Moved", start=moved.start + dt.timedelta(hours=2), end=moved.end + dt.timedelta(hours=2)
        )
    )
    state.delete_event(calendar_id, removed.id)

    log.clear()
    await cache.refresh()
    requests = log.find("GET", "/events")
    assert requests and all("syncToken" in r.query_params for r in requests)
    assert cache.get(calendar_id, created.id).title == "Planning"
    assert cache.get(calendar_id, moved.id).title == "Moved"
    assert cache.get(calendar_id, removed.id) is None
    _assert_matches(cache, state, now - 2 * WEEK, now + 6 * WEEK)


async def test_an_expired_cursor_reloads_the_calendars_windows(served, provider):
    state, log = served.state, served.emulator.log
    now = dt.datetime.now(dt.UTC)
    cache = CalendarCache(provider)
    await cache.load()
    await cache.ensure_range(now + 10 * WEEK, now + 11 * WEEK)
    calendar_id = next(c.id for c in state.calendars.values() if c.writable)
    gone = next(e for e in state.event_window(calendar_id, now, now + 4 * WEEK) if not e.series_id)
    state.delete_event(calendar_id, gone.id)
    start = now + dt.timedelta(days=70, hours=3)
    added = state.create_event(Event("", calendar_id, "Offsite", start, start + dt.timedelta(hours=3)))
    state.expire_event_tokens()

    log.clear()
    await cache.refresh()
    assert any("timeMin" in r.query_params for r in log.find("GET", "/events"))  # windows listed again
    assert cache.get(calendar_id, gone.id) is None
    assert cache.get(calendar_id, added.id) is not None
    _assert_matches(cache, state, now - 2 * WEEK, now + 6 * WEEK)
    _assert_matches(cache, state, now + 10 * WEEK, now + 11 * WEEK)

    log.clear()
    await cache.refresh()  # the new cursors work again
    assert all("syncToken" in r.query_params for r in log.find("GET", "/events"))


async def test_changes_go_to_the_provider_and_into_the_cache(served, provider):
    state = served.state
    now = dt.datetime.now(dt.UTC)
    cache = CalendarCache(provider)
    await cache.load()
    calendar_id = next(c.id for c in state.calendars.values() if c.writable)
    start = (now + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    created = await cache.create_event(Event("", calendar_id, "Review", start, start + dt.timedelta(hours=1)))
    assert created.id in state.events and cache.get(calendar_id, created.id) == created
    updated = await cache.update_event(
        attrs.evolve(created, title="Review (moved)", start=start + WEEK, end=start + WEEK + dt.timedelta(hours=1))
    )
    assert state.events[created.id].title == "Review (moved)"
    assert cache.events_between(start + WEEK, start + WEEK + dt.timedelta(minutes=1), [calendar_id]) == [updated]
    assert created.id not in _cache_ids(cache, calendar_id, start, start + dt.timedelta(hours=1))

    invited = next(e for e in cache.events_between(now, now + 6 * WEEK) if any(a.is_self for a in e.attendees))
    answered = await cache.respond(invited.calendar_id, invited.id, ResponseStatus.TENTATIVE)
    assert answered.my_response is ResponseStatus.TENTATIVE
    assert cache.get(invited.calendar_id, invited.id).my_response is ResponseStatus.TENTATIVE

    await cache.delete_event(calendar_id, created.id)
    assert created.id not in state.events and cache.get(calendar_id, created.id) is None

    series_start = start + dt.timedelta(days=1)
    series = await cache.create_event(
        Event(
            "",
            calendar_id,
            "Standup",
            series_start,
            series_start + dt.timedelta(minutes=15),
            recurrence=("RRULE:FREQ=DAILY;COUNT=5",),
        )
    )
    occurrences = [e for e in cache.events_between(series_start, series_start + WEEK) if e.series_id == series.id]
    assert len(occurrences) == 5
    await cache.delete_event(calendar_id, series.id)
    assert [e for e in cache.events_between(series_start, series_start + WEEK) if e.series_id == series.id] == []
    _assert_matches(cache, state, now - 2 * WEEK, now + 6 * WEEK)

    cache.clear()
    assert len(cache) == 0 and cache.calendars == []

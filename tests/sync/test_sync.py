"""Full and incremental sync against the TestMail emulator over loopback HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import attrs
import pytest
from sync_support import FAST, assert_converged, server_mail
from testprovider import mail as testprovider_mail
from testprovider.mail import TestMailProviderFactory

from host.store.store import MailStore
from host.sync import SyncEngine, SyncPhase, SyncProgress
from host.sync.state import CURSOR, LISTING


async def test_initial_sync_recent_first_then_incremental(emulator, connect, key, tmp_path):
    served = emulator(messages=250)
    provider = TestMailProviderFactory().open(await connect(served.url))
    events: list[SyncProgress] = []
    inbox_after_first_page: list[int] = []
    with MailStore.open(tmp_path / "mail.db", key) as store:
        engine = SyncEngine(provider, store, FAST)

        def seen(progress: SyncProgress) -> None:
            events.append(progress)
            if progress.phase is SyncPhase.RECENT:
                inbox_after_first_page.append(store.count()[0])

        engine.subscribe(seen)
        await engine.sync()
        assert_converged(store, served.state)
        assert store.get_state(CURSOR) is not None and store.get_state(LISTING) is None

        # The first page is committed, and announced, before the backfill goes on.
        phases = [e.phase for e in events]
        assert phases.index(SyncPhase.RECENT) < phases.index(SyncPhase.BACKFILL) < phases.index(SyncPhase.CATCH_UP)
        assert inbox_after_first_page == [provider.limits.page_size]
        assert events[-1].phase is SyncPhase.IDLE
        backfill = [e for e in events if e.phase is SyncPhase.BACKFILL]
        assert backfill[-1].done == backfill[-1].total == 250

        # Server-side changes arrive incrementally, without another listing.
        state = served.state
        added = state.add_message(subject="fresh news")
        first, second, third = sorted(state.messages)[:3]
        state.modify([first], add={"SPAM"}, remove={"INBOX"}, unread=False)
        state.modify([second], flagged=True)
        state.delete([third])
        served.emulator.log.clear()
        await engine.sync()
        assert_converged(store, state)
        assert store.get_message(added.id).subject == "fresh news"
        assert not served.emulator.log.find("GET", "/mailbox/messages")  # no listing


async def test_window_limits_the_backfill(emulator, connect, key, tmp_path):
    served = emulator(messages=120)
    provider = TestMailProviderFactory().open(await connect(served.url))
    dates = sorted((m.date for m in served.state.messages.values()), reverse=True)
    window = dt.datetime.now(dt.UTC) - dates[30] + dt.timedelta(seconds=1)
    with MailStore.open(tmp_path / "mail.db", key) as store:
        await SyncEngine(provider, store, attrs.evolve(FAST, window=window)).sync()
        since = dt.datetime.now(dt.UTC) - window
        expected = {i for i, (_, _, _) in server_mail(served.state).items() if served.state.messages[i].date >= since}
        assert 25 <= len(expected) <= 31
        assert store.all_ids() == expected


async def test_changes_during_the_listing_are_caught_up(emulator, connect, key, tmp_path):
    """The cursor is taken before the listing: what changes on the server meanwhile is not lost."""
    served = emulator(messages=300)
    state = served.state
    provider = TestMailProviderFactory().open(await connect(served.url))
    newest_first = [m.id for m in sorted(state.messages.values(), key=lambda m: (-m.date.timestamp(), m.id))]
    listed_early, listed_late = newest_first[5], newest_first[-5]
    pages = 0
    original = provider.list_messages

    async def list_messages(*, page_token, since):
        nonlocal pages
        page = await original(page_token=page_token, since=since)
        pages += 1
        if pages == 1:  # the server changes after the first page went by
            state.add_message(subject="arrived during the listing")
            state.delete([listed_early])
            state.modify([listed_late], add={"SPAM"}, flagged=True)
            state.modify([newest_first[1]], unread=False, add={"IMPORTANT"})
        return page

    provider.list_messages = list_messages
    with MailStore.open(tmp_path / "mail.db", key) as store:
        await SyncEngine(provider, store, FAST).sync()
        assert pages == 3
        assert_converged(store, state)


async def test_restart_resumes_the_backfill_where_it_stopped(emulator, connect, key, tmp_path):
    served = emulator(messages=330)
    provider = TestMailProviderFactory().open(await connect(served.url))
    path = tmp_path / "mail.db"
    with MailStore.open(path, key) as store:
        engine = SyncEngine(provider, store, FAST)
        stop_after = 2

        def stop(progress: SyncProgress) -> None:
            if progress.phase is SyncPhase.BACKFILL and progress.done >= stop_after * 100:
                raise KeyboardInterrupt  # leaves the engine as a crash would, after a committed page

        engine.subscribe(stop)
        try:
            await engine.sync()
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("the sync was not interrupted")
        assert store.count()[0] == 200

    served.emulator.log.clear()
    with MailStore.open(path, key) as store:
        await SyncEngine(provider, store, FAST).sync()
        assert_converged(store, served.state)
    listings = served.emulator.log.find("GET", "/mailbox/messages")
    listings = [r for r in listings if r.path.endswith("/mailbox/messages")]
    assert all("pageToken" in r.query_params for r in listings)  # the first pages were not fetched again
    # Pages 3 and 4 only: the provider's read-ahead of the interrupted session may land in the log too.
    assert len({tuple(r.query_params["pageToken"]) for r in listings}) == 2


async def test_quota_throttling_is_waited_out(emulator, connect, key, tmp_path):
    served = emulator(messages=150)
    served.emulator.enforce_quota(500)  # units a second, as deep: a raw listing page of 100 costs 505
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        await SyncEngine(provider, store, FAST).sync()
        assert_converged(store, served.state)
    assert any(f.kind == "quota" for f in served.emulator.faults.injected)


async def test_run_pushes_local_changes_and_sends_without_waiting_for_the_poll(emulator, connect, key, tmp_path):
    import asyncio

    from host.model.mail import Address, OutgoingMessage

    served = emulator(messages=10)
    state = served.state
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        settings = attrs.evolve(FAST, poll_interval=3600, undo_delay=dt.timedelta(0))
        engine = SyncEngine(provider, store, settings)
        idle = asyncio.Event()
        engine.subscribe(lambda p: p.phase is SyncPhase.IDLE and idle.set())
        task = asyncio.create_task(engine.run())
        try:
            await asyncio.wait_for(idle.wait(), 30)
            target = sorted(state.messages)[0]
            await engine.set_flagged([target])
            await engine.send(OutgoingMessage(to=(Address("ada@example.com"),), subject="from the loop"))
            for _ in range(300):
                if state.messages[target].flagged and not store.pending_changes() and store.outbox()[0].sent_id:
                    break
                await asyncio.sleep(0.01)
            assert state.messages[target].flagged
            assert [m.subject for m in state.messages.values() if "SENT" in m.folder_ids].count("from the loop") == 1
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def test_stop_waits_until_the_running_sync_and_its_read_ahead_let_go(emulator, connect, key, tmp_path):
    """Closing a session mid-request: the sync and the page read ahead have ended before the HTTP client
    closes, so no connection is left half-open for the garbage collector (and a ResourceWarning) later."""
    served = emulator(messages=400)
    served.emulator.faults.queue_latency(0.2, count=10_000)
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        engine = SyncEngine(provider, store, FAST)
        running = asyncio.create_task(engine.run())
        while not any(e.path.endswith("/messages") for e in served.emulator.log.entries):
            await asyncio.sleep(0.02)  # a listing page is in flight
        await engine.stop()
        assert running.done() and running.cancelled()
        await provider.aclose()
        assert provider._ahead._task is None
        await engine.stop()  # stopping a stopped sync is nothing


async def test_the_next_page_is_asked_for_while_this_one_is_parsed(emulator, connect, monkeypatch):
    """The read-ahead request goes out at the loop's first turn during the page's parse (read_each),
    so that the server works on page 2 while the client reads page 1, not after it."""
    served = emulator(messages=250)
    connection = await connect(served.url)
    provider = TestMailProviderFactory().open(connection)
    parsed: list[str] = []
    parse = testprovider_mail.message_from_json

    def counting(data):
        parsed.append(data["id"])
        return parse(data)

    monkeypatch.setattr(testprovider_mail, "message_from_json", counting)
    parsed_when_asked: list[int] = []

    async def on_request(request):
        if request.url.path.endswith("/mailbox/messages") and "pageToken" in request.url.params:
            parsed_when_asked.append(len(parsed))

    connection.http.event_hooks["request"] = [on_request]
    page = await provider.list_messages(page_token=None, since=None)
    assert len(page.messages) == provider.limits.page_size == 100
    assert parsed_when_asked and parsed_when_asked[0] < 10
    await provider.aclose()


async def test_a_throttled_read_ahead_ends_the_reading_ahead():
    """Under a quota a request sent early is only refused for longer: once one made ahead was throttled,
    pages are asked for when needed, through the limiter's pause."""
    from host.errors import RateLimited
    from host.providers.read_ahead import ReadAhead

    ahead: ReadAhead[str] = ReadAhead()
    made: list[str] = []

    async def throttled() -> str:
        made.append("throttled")
        raise RateLimited("over quota", retry_after=1.0)

    async def page(name: str) -> str:
        made.append(name)
        return name

    ahead.start("p2", throttled)
    with pytest.raises(RateLimited):
        await ahead.take("p2", lambda: page("p2 again"))
    assert ahead.throttled
    ahead.start("p3", lambda: page("p3 ahead"))
    await asyncio.sleep(0.01)
    assert made == ["throttled"]  # nothing was sent ahead
    assert await ahead.take("p3", lambda: page("p3 when asked")) == "p3 when asked"

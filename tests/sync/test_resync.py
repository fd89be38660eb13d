"""An expired cursor: a full resync that loses nothing, duplicates nothing and keeps unpushed changes."""

from __future__ import annotations

import pytest
from sync_support import FAST, assert_converged
from testprovider.mail import TestMailProviderFactory

from host.errors import CursorExpired
from host.store.store import MailStore
from host.sync import SyncEngine, SyncPhase
from host.sync.state import CURSOR


@pytest.mark.parametrize("how", ["server-forgot", "injected"])
async def test_expired_cursor_resyncs_without_loss_or_duplicates(emulator, connect, key, tmp_path, how):
    served = emulator(messages=130)
    state = served.state
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        engine = SyncEngine(provider, store, FAST)
        phases = []
        engine.subscribe(lambda p: phases.append(p.phase))
        await engine.sync()
        old_cursor = store.get_state(CURSOR)
        ids = sorted(state.messages)
        state.delete(ids[:3])
        state.modify(ids[3:6], add={"SPAM"}, flagged=True)
        added = [state.add_message(subject=f"new {i}").id for i in range(4)]
        if how == "server-forgot":
            state.expire_history()
            with pytest.raises(CursorExpired):
                await provider.changes(old_cursor)
        else:
            served.emulator.faults.expire_cursors(1)
        phases.clear()
        await engine.sync()
        assert SyncPhase.RESYNC in phases and SyncPhase.BACKFILL in phases
        assert_converged(store, state)
        assert set(added) <= store.all_ids() and not set(ids[:3]) & store.all_ids()
        assert store.get_state(CURSOR) != old_cursor


async def test_resync_keeps_messages_with_unpushed_changes_until_the_server_has_spoken(
    emulator, connect, key, tmp_path
):
    served = emulator(messages=30)
    state = served.state
    faults = served.emulator.faults
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        engine = SyncEngine(provider, store, FAST)
        await engine.sync()
        kept, gone = sorted(state.messages)[:2]
        await engine.set_flagged([kept, gone])
        state.delete([gone])  # the server deleted it meanwhile
        state.delete([sorted(state.messages)[5]])
        state.expire_history()
        # The push keeps failing this round, so the change is still unpushed when the resync prunes.
        faults.queue_status(503, count=FAST.retry.attempts, path="/messages/modify")
        await engine.sync()
        assert store.pending_changes()
        assert gone in store.all_ids()  # kept: it has a change the server has not seen
        assert len(store.all_ids()) == len(state.messages) + 1

        # Next round: the push is refused (the message is gone), the server wins.
        await _until_pushed(engine, store)
        assert_converged(store, state)
        assert state.messages[kept].flagged is False  # the refused change was all-or-nothing on the server


async def _until_pushed(engine, store):
    import asyncio

    for _ in range(50):
        await engine.sync()
        if not store.pending_changes():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the change was never pushed")

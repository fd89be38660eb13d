"""Local changes: in the store at once (with their queue entry, in one transaction), then pushed with
retries; the server wins when it refuses one."""

from __future__ import annotations

import asyncio

import pytest
from sync_support import FAST, assert_converged
from testprovider.mail import TestMailProviderFactory

from host.store.errors import StoreError
from host.store.store import MailStore
from host.sync import SyncEngine, SyncPhase


@pytest.fixture
async def synced(emulator, connect, key, tmp_path):
    served = emulator(messages=20)
    provider = TestMailProviderFactory().open(await connect(served.url))
    with MailStore.open(tmp_path / "mail.db", key) as store:
        engine = SyncEngine(provider, store, FAST)
        await engine.sync()
        yield served, store, engine


def _flags(store, message_id):
    message = store.get_message(message_id)
    return set(message.folder_ids), message.unread, message.flagged


async def test_each_change_is_local_at_once_and_on_the_server_after_the_push(synced):
    served, store, engine = synced
    state = served.state
    a, b, c, d, e, f = sorted(state.messages)[:6]
    state.modify([a, b], add={"INBOX"}, unread=True, flagged=False)
    await engine.sync()

    await engine.mark_read([a])
    await engine.set_flagged([b])
    await engine.change_labels([c], add=["IMPORTANT"], remove=["INBOX"])
    await engine.move([d], "SPAM")
    await engine.trash([e])
    await engine.delete([f])
    # Locally done, nothing sent yet.
    assert _flags(store, a)[1] is False and state.messages[a].unread is True
    assert _flags(store, b)[2] is True
    assert "IMPORTANT" in _flags(store, c)[0] and "INBOX" not in _flags(store, c)[0]
    assert _flags(store, d)[0] & {"SPAM"} and "INBOX" not in _flags(store, d)[0]
    assert "TRASH" in _flags(store, e)[0]
    assert store.get_message(f) is None and f in state.messages
    assert [p.kind for p in store.pending_changes()] == ["modify", "modify", "modify", "move", "trash", "delete"]

    await engine.push()
    assert not store.pending_changes()
    assert state.messages[a].unread is False and state.messages[b].flagged is True
    assert "IMPORTANT" in state.messages[c].folder_ids and "INBOX" not in state.messages[c].folder_ids
    assert state.messages[d].folder_ids == {"SPAM"} | (state.messages[d].folder_ids & {"IMPORTANT"})
    assert "TRASH" in state.messages[e].folder_ids
    assert f not in state.messages
    await engine.sync()
    assert_converged(store, state)


async def test_a_change_and_its_queue_entry_are_one_transaction(synced, monkeypatch):
    served, store, engine = synced
    target = sorted(served.state.messages)[0]
    before = _flags(store, target)

    def broken(kind, payload):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "enqueue_change", broken)
    with pytest.raises(StoreError):
        await engine.set_flagged([target], flagged=not before[2])
    assert _flags(store, target) == before  # the local change was rolled back with the failed enqueue


async def test_throttling_and_server_errors_are_retried_in_order(synced):
    served, store, engine = synced
    state, faults = served.state, served.emulator.faults
    target = sorted(state.messages)[0]
    faults.queue_status(429, retry_after=0.05, count=2, path="/messages/modify")
    faults.queue_status(503, count=2, path="/messages/modify")
    faults.queue_drop(count=1, path="/messages/delete")
    await engine.set_flagged([target])
    await engine.delete([target])
    await engine.push()
    assert not store.pending_changes()
    assert target not in state.messages
    kinds = [(f.kind, f.status) for f in faults.injected]
    assert kinds.count(("status", 429)) == 2 and kinds.count(("status", 503)) == 2 and ("drop", None) in kinds


async def test_a_change_that_keeps_failing_waits_and_holds_back_the_later_ones(synced):
    served, store, engine = synced
    state, faults = served.state, served.emulator.faults
    first, second = sorted(state.messages)[:2]
    faults.queue_status(500, count=FAST.retry.attempts, path="/messages/modify")
    await engine.set_flagged([first])
    await engine.delete([second])
    await engine.push()
    pending = store.pending_changes()
    assert [p.kind for p in pending] == ["modify", "delete"]
    assert pending[0].attempts == 1 and pending[0].last_error
    assert second in state.messages  # not pushed before the change made earlier
    await asyncio.sleep(0.05)
    await engine.push()
    assert not store.pending_changes()
    assert state.messages[first].flagged and second not in state.messages


async def test_the_server_wins_a_conflict(synced):
    served, store, engine = synced
    state = served.state
    deleted, relabelled, other = sorted(state.messages)[:3]
    failures = []
    engine.subscribe(lambda p: p.phase is SyncPhase.FAILED and failures.append(p))

    # Changed here, deleted there: the push is refused and the message goes here too.
    await engine.set_flagged([deleted, other])
    state.delete([deleted])
    # A label the server no longer has: refused, and the message is read back as the server has it.
    label = state.create_folder("Projects")
    await engine.sync()
    await engine.change_labels([relabelled], add=[label.id])
    state.delete_folder(label.id)
    assert label.id in _flags(store, relabelled)[0]
    await engine.sync()

    assert not store.pending_changes()
    assert len(failures) == 2
    assert store.get_message(deleted) is None
    assert label.id not in _flags(store, relabelled)[0]
    # The refused request was all or nothing on the server; locally "other" is as the server has it.
    assert _flags(store, other)[2] == state.messages[other].flagged
    assert_converged(store, state)

"""The outbox: undo send, send later, and exactly once across a crash in "sending"."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from sync_support import FAST
from testprovider.mail import TestMailProviderFactory

from host.model.mail import Address, OutgoingMessage
from host.store.store import MailStore
from host.sync import SyncEngine


class Clock:
    """Real time plus an offset that tests move forward instead of sleeping."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += dt.timedelta(seconds=seconds)


@pytest.fixture
async def outbox(emulator, connect, key, tmp_path):
    served = emulator(messages=5)
    connection = await connect(served.url)
    path = tmp_path / "mail.db"
    clock = Clock()

    def engine(store):
        return SyncEngine(TestMailProviderFactory().open(connection), store, FAST, clock=clock)

    yield served, path, key, clock, engine, connection


def _message(subject: str) -> OutgoingMessage:
    return OutgoingMessage(to=(Address("ada@example.com", "Ada"),), subject=subject, body_text="Hello")


def _sent(state, subject: str) -> list[str]:
    with state.lock:
        return [m.id for m in state.messages.values() if m.subject == subject and "SENT" in m.folder_ids]


async def test_undo_send_before_the_delay_ends(outbox):
    served, path, key, clock, engine, _ = outbox
    with MailStore.open(path, key) as store:
        sync = engine(store)
        item = await sync.send(_message("taken back"))
        assert item.send_at > clock() + dt.timedelta(seconds=29)
        await sync.sync()  # not due yet: nothing goes out
        assert await sync.cancel_send(item.id) is True
        clock.advance(60)
        await sync.sync()
        assert _sent(served.state, "taken back") == []
        assert store.outbox() == []


async def test_send_later_goes_out_at_its_time_once(outbox):
    served, path, key, clock, engine, _ = outbox
    with MailStore.open(path, key) as store:
        sync = engine(store)
        item = await sync.send(_message("tomorrow morning"), send_at=clock() + dt.timedelta(hours=12))
        await sync.sync()
        assert _sent(served.state, "tomorrow morning") == []
        clock.advance(12 * 3600 + 1)
        await sync.sync()
        await sync.sync()
        sent = _sent(served.state, "tomorrow morning")
        assert len(sent) == 1
        (done,) = store.outbox()
        assert (done.id, done.state, done.sent_id) == (item.id, "sent", sent[0])
        assert await sync.cancel_send(item.id) is False  # too late to undo
        assert sent[0] in store.all_ids()  # and the pull brought it into Sent


async def test_crash_in_sending_before_the_server_got_it_sends_once(outbox):
    served, path, key, clock, engine, _ = outbox
    with MailStore.open(path, key) as store:
        item = store.queue_outgoing(_message("interrupted"), send_at=clock())
        store.mark_sending(item.id)  # ... and the process died here
    with MailStore.open(path, key) as store:
        await engine(store).sync()
        await engine(store).sync()
        assert len(_sent(served.state, "interrupted")) == 1
        assert store.outbox()[0].state == "sent"


async def test_a_dropped_connection_during_the_send_is_checked_before_sending_again(outbox):
    served, path, key, clock, engine, _ = outbox
    served.emulator.faults.queue_drop(count=1, path="/mailbox/send")
    with MailStore.open(path, key) as store:
        sync = engine(store)
        await sync.send(_message("dropped"), send_at=clock())
        await sync.sync()
        assert store.outbox()[0].state == "sending"  # the answer never came: unknown whether it went out
        assert _sent(served.state, "dropped") == []
        await sync.sync()
        assert len(_sent(served.state, "dropped")) == 1
        assert store.outbox()[0].state == "sent"


async def test_crash_in_sending_after_the_server_got_it_does_not_send_again(outbox):
    served, path, key, clock, engine, connection = outbox
    provider = TestMailProviderFactory().open(connection)
    with MailStore.open(path, key) as store:
        item = store.queue_outgoing(_message("already out"), send_at=clock())
        store.mark_sending(item.id)
        # The send reached the server, then the process died before it could record that.
        server_id = await provider.send(attrs.evolve(item.message, message_id_header=item.message_id_header))
    with MailStore.open(path, key) as store:
        await engine(store).sync()
        await engine(store).sync()
        assert _sent(served.state, "already out") == [server_id]
        (done,) = store.outbox()
        assert (done.state, done.sent_id) == ("sent", server_id)


async def test_a_refused_message_is_marked_failed_and_can_be_sent_again(outbox):
    served, path, key, clock, engine, _ = outbox
    with MailStore.open(path, key) as store:
        sync = engine(store)
        item = await sync.send(attrs.evolve(_message("no recipient"), to=()), send_at=clock())
        await sync.sync()
        (failed,) = store.outbox()
        assert failed.state == "failed" and "recipient" in failed.error
        assert _sent(served.state, "no recipient") == []
        # Asked again, the server refuses again: the message stays in the outbox, failed, never lost.
        await sync.retry_send(item.id)
        assert store.outbox()[0].state == "queued"
        await sync.sync()
        assert store.outbox()[0].state == "failed"

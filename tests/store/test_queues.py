"""The durable queues: the outbox (undo send, send later, exactly once) and local changes to push."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from store_helpers import make_message

from host.model.mail import Address, OutgoingAttachment, OutgoingMessage
from host.store import MailStore, OutboxConflict

NOW = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)

OUTGOING = OutgoingMessage(
    to=(Address("bob@example.com", "Bob"),),
    subject="Grüße",
    body_text="Hello\n",
    body_html="<p>Hello</p>",
    cc=(Address("cc@example.com"),),
    bcc=(Address("bcc@example.com", "B"),),
    sender=Address("me@corp.example", "Me"),
    attachments=(
        OutgoingAttachment("a.bin", "application/octet-stream", bytes(range(256)) * 3),
        OutgoingAttachment("logo.png", "image/png", b"\x89PNG\r\n", content_id="logo"),
    ),
    in_reply_to="<p@example.com>",
    references=("<r@example.com>", "<p@example.com>"),
    thread_id="t1",
)


def test_queued_message_round_trips_with_attachment_bytes(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW)
    assert item.message == attrs.evolve(OUTGOING, message_id_header=item.message_id_header)
    assert item.message.attachments[0].data == OUTGOING.attachments[0].data
    assert (item.state, item.send_at, item.sent_id, item.error) == ("queued", NOW, None, None)
    assert item.message_id_header.startswith("<") and item.message_id_header.endswith("@corp.example>")
    assert store.outbox() == [item]


def test_each_queued_message_gets_its_own_message_id(store: MailStore) -> None:
    already = attrs.evolve(OUTGOING, message_id_header="<old@corp.example>")
    items = [store.queue_outgoing(already, send_at=NOW) for _ in range(20)]
    assert len({i.message_id_header for i in items}) == 20
    assert all(i.message.message_id_header == i.message_id_header for i in items)
    no_sender = store.queue_outgoing(OutgoingMessage(to=(), subject="x"), send_at=NOW)
    assert no_sender.message_id_header.endswith("@zoomclient.invalid>")


def test_due_outgoing_waits_for_the_send_time(store: MailStore) -> None:
    later = store.queue_outgoing(OUTGOING, send_at=NOW + dt.timedelta(hours=2))
    soon = store.queue_outgoing(OUTGOING, send_at=NOW + dt.timedelta(seconds=10))
    assert store.due_outgoing(NOW) == []
    assert store.due_outgoing(NOW + dt.timedelta(seconds=10)) == [soon]
    assert store.due_outgoing(NOW + dt.timedelta(days=1)) == [soon, later]
    assert [i.id for i in store.outbox()] == [soon.id, later.id]


def test_undo_before_sending_drops_the_message(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW + dt.timedelta(seconds=10))
    assert store.cancel_outgoing(item.id) is True
    assert store.outbox() == []
    assert store.cancel_outgoing(item.id) is False
    # The engine that picked it up a moment earlier must not send it.
    with pytest.raises(OutboxConflict, match="gone"):
        store.mark_sending(item.id)


def test_a_send_in_progress_cannot_be_undone_and_is_claimed_once(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW)
    store.mark_sending(item.id)
    assert store.cancel_outgoing(item.id) is False
    assert store.due_outgoing(NOW) == []
    with pytest.raises(OutboxConflict, match="sending"):
        store.mark_sending(item.id)
    store.mark_sent(item.id, "server-id-1")
    (sent,) = store.outbox()
    assert (sent.state, sent.sent_id, sent.error) == ("sent", "server-id-1", None)
    assert store.cancel_outgoing(item.id) is False
    for move in (lambda: store.mark_sending(item.id), lambda: store.mark_sent(item.id, "again")):
        with pytest.raises(OutboxConflict):
            move()


def test_a_failed_send_can_be_retried_or_discarded(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW)
    store.mark_sending(item.id)
    store.mark_failed(item.id, "550 mailbox unavailable")
    (failed,) = store.outbox()
    assert (failed.state, failed.error) == ("failed", "550 mailbox unavailable")
    assert store.due_outgoing(NOW + dt.timedelta(days=1)) == []  # not retried by itself
    store.requeue_outgoing(item.id, send_at=NOW + dt.timedelta(minutes=1))
    (again,) = store.due_outgoing(NOW + dt.timedelta(minutes=1))
    assert (again.state, again.error, again.send_at) == ("queued", None, NOW + dt.timedelta(minutes=1))
    assert again.message_id_header == item.message_id_header  # the same message, detectable as such
    store.mark_sending(item.id)
    store.mark_failed(item.id, "again")
    assert store.cancel_outgoing(item.id) is True


def test_mark_failed_or_sent_needs_a_send_in_progress(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW)
    with pytest.raises(OutboxConflict, match="queued"):
        store.mark_failed(item.id, "x")
    with pytest.raises(OutboxConflict):
        store.mark_sent(item.id, "x")
    with pytest.raises(OutboxConflict):
        store.requeue_outgoing(item.id, send_at=NOW)


def test_the_outbox_survives_a_restart_mid_send(db_path: Path, key: bytes) -> None:
    with MailStore.open(db_path, key) as store:
        waiting = store.queue_outgoing(OUTGOING, send_at=NOW)
        sending = store.queue_outgoing(OUTGOING, send_at=NOW)
        store.mark_sending(sending.id)
    with MailStore.open(db_path, key) as store:
        states = {i.id: i.state for i in store.outbox()}
        assert states == {waiting.id: "queued", sending.id: "sending"}
        assert store.due_outgoing(NOW) == [waiting]  # the interrupted one waits for the engine's check
        store.requeue_outgoing(sending.id, send_at=NOW)
        assert {i.id for i in store.due_outgoing(NOW)} == {waiting.id, sending.id}


def test_a_sent_item_is_found_by_its_message_id_once_synced(store: MailStore) -> None:
    item = store.queue_outgoing(OUTGOING, send_at=NOW)
    assert store.ids_by_header(item.message_id_header) == []
    store.upsert_messages([make_message(1, folder_ids=("SENT",), message_id_header=item.message_id_header)])
    assert store.ids_by_header(item.message_id_header) == ["m0001"]


def test_pending_changes_in_order_with_retries(store: MailStore) -> None:
    first = store.enqueue_change("modify", {"ids": ["m1"], "unread": False})
    second = store.enqueue_change("move", {"ids": ["m2"], "folder": "TRASH", "nested": {"ü": [1, None, True]}})
    changes = store.pending_changes()
    assert [(c.id, c.kind, c.payload, c.attempts, c.last_error) for c in changes] == [
        (first, "modify", {"ids": ["m1"], "unread": False}, 0, None),
        (second, "move", {"ids": ["m2"], "folder": "TRASH", "nested": {"ü": [1, None, True]}}, 0, None),
    ]
    now = dt.datetime.now(dt.UTC)
    assert len(store.pending_changes(now=now + dt.timedelta(seconds=1))) == 2

    store.retry_change(first, error="503", next_try_at=now + dt.timedelta(minutes=5))
    assert [c.id for c in store.pending_changes(now=now + dt.timedelta(seconds=1))] == [second]
    (retried,) = store.pending_changes(now=now + dt.timedelta(minutes=5))[:1]
    assert (retried.id, retried.attempts, retried.last_error) == (first, 1, "503")
    assert retried.next_try_at == (now + dt.timedelta(minutes=5)).replace(microsecond=(now.microsecond // 1000) * 1000)

    store.complete_change(first)
    assert [c.id for c in store.pending_changes()] == [second]
    store.complete_change(second)
    assert store.pending_changes() == []
    # Ids are never reused: a late completion of an old id cannot remove a new change.
    assert store.enqueue_change("modify", {}) > second


def test_pending_changes_survive_a_restart(db_path: Path, key: bytes) -> None:
    with MailStore.open(db_path, key) as store:
        store.enqueue_change("send", {"outbox": 1})
    with MailStore.open(db_path, key) as store:
        assert [(c.kind, c.payload) for c in store.pending_changes()] == [("send", {"outbox": 1})]


def test_a_change_and_its_local_effect_commit_together(store: MailStore) -> None:
    store.upsert_messages([make_message(1, unread=True)])
    with pytest.raises(RuntimeError), store.transaction():
        store.enqueue_change("modify", {"ids": ["m0001"], "unread": False})
        raise RuntimeError("crash before the local update")
    assert store.pending_changes() == []

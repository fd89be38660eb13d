"""Attachment cache, sync state, local drafts and local signatures."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import make_message

from host.model.mail import Address, Attachment, Draft, OutgoingAttachment, OutgoingMessage, Signature
from host.store import MailStore, StoreError


def test_attachment_contents_are_cached_on_demand(store: MailStore) -> None:
    store.upsert_messages([make_message(1, attachments=(Attachment("a1", "big.bin"), Attachment("a2", "b.txt")))])
    assert store.cached_attachment("m0001", "a1") is None
    data = bytes(range(256)) * 4096  # 1 MiB
    store.cache_attachment("m0001", "a1", data)
    store.cache_attachment("m0001", "a2", b"")
    assert store.cached_attachment("m0001", "a1") == data
    assert store.cached_attachment("m0001", "a2") == b""
    store.cache_attachment("m0001", "a2", b"replaced")
    assert store.cached_attachment("m0001", "a2") == b"replaced"


def test_cached_contents_survive_a_message_update_and_go_with_the_message(store: MailStore) -> None:
    store.upsert_messages([make_message(1, attachments=(Attachment("a1", "f"),))])
    store.cache_attachment("m0001", "a1", b"contents")
    store.upsert_messages([make_message(1, attachments=(Attachment("a1", "f"),), unread=True)])
    assert store.cached_attachment("m0001", "a1") == b"contents"
    store.delete_messages(["m0001"])
    assert store.cached_attachment("m0001", "a1") is None


def test_caching_for_an_unknown_message_is_an_error(store: MailStore) -> None:
    with pytest.raises(StoreError, match="not in the store"):
        store.cache_attachment("nope", "a1", b"x")


def test_sync_state(store: MailStore) -> None:
    assert store.get_state("gmail.history") is None
    store.set_state("gmail.history", "100")
    store.set_state("gmail.history", "200")
    store.set_state("other", "x")
    assert store.get_state("gmail.history") == "200"
    store.set_state("gmail.history", None)
    assert store.get_state("gmail.history") is None
    assert store.get_state("other") == "x"


def test_local_drafts(store: MailStore) -> None:
    message = OutgoingMessage(
        to=(Address("a@example.com"),),
        subject="Draft",
        attachments=(OutgoingAttachment("x.txt", "text/plain", b"\x00\x01"),),
        message_id_header="<d@example.com>",
    )
    older = Draft("local-1", message, updated=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    newer = Draft("d-2", message, message_id="m9", updated=dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    store.save_draft(older)
    store.save_draft(newer)
    assert store.drafts() == [newer, older]
    changed = Draft(
        "local-1", OutgoingMessage(to=(), subject="Changed"), updated=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    )
    store.save_draft(changed)
    assert store.drafts() == [changed, newer]
    store.delete_draft("local-1")
    assert store.drafts() == [newer]


def test_local_signatures_keep_their_order(store: MailStore) -> None:
    work = Signature("s1", "Work", html="<b>Me</b>", text="Me", default_for_new=True, default_for_replies=False)
    short = Signature("s2", "Short", text="-- m", default_for_new=False)
    store.save_signature(work)
    store.save_signature(short)
    assert store.signatures() == [work, short]
    edited = Signature("s1", "Work (new)", text="Me, really")
    store.save_signature(edited)
    assert store.signatures() == [edited, short]
    store.delete_signature("s1")
    assert store.signatures() == [short]

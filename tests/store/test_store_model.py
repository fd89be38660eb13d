"""Random sequences of writes keep the store equal to a plain dictionary of messages: counts, lists,
threads and the full-text index all follow."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from store_helpers import BASE, FOLDERS, make_message

from host.model.mail import Message
from host.providers.mail import MessageUpdate
from host.store import MailStore, new_key

IDS = st.sampled_from([f"m{i}" for i in range(8)])
FOLDER_IDS = st.lists(st.sampled_from(["INBOX", "SENT", "Label_1", "Label_2"]), unique=True, max_size=3).map(tuple)
WORDS = ["apple", "banana", "cherry", "damson"]


class StoreModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.store = MailStore.open(Path(self.dir.name) / "mail.db", new_key())
        self.store.replace_folders(FOLDERS)
        self.model: dict[str, Message] = {}

    def teardown(self) -> None:
        self.store.close()
        self.dir.cleanup()

    @rule(
        message_id=IDS,
        thread=st.integers(0, 2),
        hours=st.integers(0, 5),
        folders=FOLDER_IDS,
        unread=st.booleans(),
        word=st.sampled_from(WORDS),
    )
    def upsert(self, message_id: str, thread: int, hours: int, folders, unread: bool, word: str) -> None:
        message = make_message(
            0,
            id=message_id,
            thread_id=f"t{thread}",
            date=BASE - dt.timedelta(hours=hours),
            folder_ids=folders,
            unread=unread,
            subject=f"About {word}",
        )
        self.store.upsert_messages([message])
        self.model[message_id] = message

    @rule(message_id=IDS, folders=FOLDER_IDS, unread=st.booleans(), flagged=st.booleans())
    def update(self, message_id: str, folders, unread: bool, flagged: bool) -> None:
        self.store.apply_updates([MessageUpdate(message_id, folders, unread, flagged)])
        if message_id in self.model:
            self.model[message_id] = attrs.evolve(
                self.model[message_id], folder_ids=folders, unread=unread, flagged=flagged
            )

    @rule(message_id=IDS)
    def delete(self, message_id: str) -> None:
        self.store.delete_messages([message_id])
        self.model.pop(message_id, None)

    @invariant()
    def counts_match(self) -> None:
        for folder in ("INBOX", "SENT", "Label_1", "Label_2"):
            inside = [m for m in self.model.values() if folder in m.folder_ids]
            assert self.store.count(folder) == (len(inside), sum(m.unread for m in inside))
        assert self.store.count() == (len(self.model), sum(m.unread for m in self.model.values()))
        assert self.store.all_ids() == set(self.model)

    @invariant()
    def lists_and_search_match(self) -> None:
        newest_first = sorted(self.model.values(), key=lambda m: (m.date, m.id), reverse=True)
        assert [s.id for s in self.store.list_messages(limit=100)] == [m.id for m in newest_first]
        assert [s.id for s in self.store.list_messages("INBOX", limit=100)] == [
            m.id for m in newest_first if "INBOX" in m.folder_ids
        ]
        for word in WORDS:
            assert [s.id for s in self.store.search(word)] == [m.id for m in newest_first if word in m.subject]
        threads = {m.thread_id for m in self.model.values()}
        assert {t.id for t in self.store.list_threads(limit=100)} == threads

    @invariant()
    def messages_match(self) -> None:
        for message in self.model.values():
            stored = self.store.get_message(message.id)
            assert (stored.folder_ids, stored.unread, stored.flagged, stored.subject) == (
                message.folder_ids,
                message.unread,
                message.flagged,
                message.subject,
            )


StoreModel.TestCase.settings = settings(max_examples=15, stateful_step_count=12, deadline=None)
TestStoreModel = StoreModel.TestCase

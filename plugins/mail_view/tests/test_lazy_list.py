"""The message list reads only the pages the view shows: counted on real encrypted stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_view.listmodel import PAGE_SIZE, MessageListModel
from mail_view.view import MessageTable

from host.model.mail import Address, Folder, FolderKind, Message
from host.store import MailStore, new_key
from host.ui.qt import QModelIndex

BASE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def fill(store: MailStore, count: int) -> None:
    store.replace_folders([Folder("INBOX", "Inbox", FolderKind.INBOX)])
    sender = Address("ana@example.com", "Ana")
    # One transaction per batch: a single transaction over 100,000 rows is several times slower.
    for start in range(0, count, 5000):
        store.upsert_messages(
            [
                Message(
                    id=f"m{i:06d}",
                    thread_id=f"t{i // 3:06d}",
                    subject=f"Message {i}",
                    sender=sender,
                    date=BASE + dt.timedelta(minutes=i),
                    folder_ids=("INBOX",),
                )
                for i in range(start, min(start + 5000, count))
            ]
        )


class CountingStore:
    """The store, with a record of each page the list asked for."""

    def __init__(self, store: MailStore) -> None:
        self.store = store
        self.pages: list[tuple[int, tuple[dt.datetime, str] | None]] = []

    def list_messages(self, folder_id, *, limit, before=None):
        self.pages.append((limit, before))
        return self.store.list_messages(folder_id, limit=limit, before=before)


def open_list(qtbot, store: MailStore) -> tuple[MessageTable, MessageListModel, CountingStore]:
    counting = CountingStore(store)
    model = MessageListModel()
    table = MessageTable(model)
    qtbot.addWidget(table)
    table.resize(900, 600)
    table.show()
    qtbot.waitExposed(table)
    model.set_source(lambda before, limit: counting.list_messages("INBOX", limit=limit, before=before))
    qtbot.wait(50)  # let the view lay out and ask for whatever it wants
    return table, model, counting


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MailStore]:
    opened = MailStore.open(tmp_path / "mail.db", new_key())
    fill(opened, 1_000)
    yield opened
    opened.close()


def test_a_folder_opens_with_one_page_and_scrolling_reads_the_next(qtbot, store: MailStore) -> None:
    table, model, counting = open_list(qtbot, store)

    assert counting.pages == [(PAGE_SIZE, None)]
    assert model.rowCount() == PAGE_SIZE
    assert model.rows[0].id == "m000999"  # newest first

    table.scrollToBottom()
    qtbot.waitUntil(lambda: len(counting.pages) == 2)

    last = model.rows[PAGE_SIZE - 1]
    assert counting.pages[1] == (PAGE_SIZE, (last.date, last.id))  # a keyset page, not an offset
    assert model.rowCount() == 2 * PAGE_SIZE
    assert [r.id for r in model.rows] == [f"m{i:06d}" for i in range(999, 999 - 2 * PAGE_SIZE, -1)]


def test_reloading_keeps_the_selection_on_its_message(qtbot, store: MailStore) -> None:
    table, model, _ = open_list(qtbot, store)
    # Not selectRow: it reads the modifier keys an earlier test may have left pressed, as a click would.
    flags = table.selectionModel().SelectionFlag
    table.selectionModel().setCurrentIndex(model.index(5, 0), flags.ClearAndSelect | flags.Rows)
    chosen = model.rows[5].id

    fill_newer = [
        Message(
            id=f"new{i}",
            thread_id=f"new{i}",
            subject="Newer",
            sender=None,
            date=BASE + dt.timedelta(days=3650, minutes=i),
            folder_ids=("INBOX",),
        )
        for i in range(3)
    ]
    store.upsert_messages(fill_newer)
    model.reload()

    assert model.rows[8].id == chosen
    assert table.currentIndex().row() == 8
    assert [index.row() for index in table.selectionModel().selectedRows()] == [8]


@pytest.mark.slow
def test_a_100000_message_folder_opens_reading_only_the_visible_page(qtbot, tmp_path: Path) -> None:
    big = MailStore.open(tmp_path / "big.db", new_key())
    try:
        fill(big, 100_000)
        table, model, counting = open_list(qtbot, big)

        assert counting.pages == [(PAGE_SIZE, None)]
        assert sum(limit for limit, _ in counting.pages) == PAGE_SIZE
        assert model.rowCount() == PAGE_SIZE and model.canFetchMore(QModelIndex())

        for _ in range(3):
            table.scrollToBottom()
        qtbot.waitUntil(lambda: len(counting.pages) >= 2)
        assert model.rowCount() == len(counting.pages) * PAGE_SIZE <= 4 * PAGE_SIZE
    finally:
        big.close()

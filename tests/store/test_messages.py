"""Messages, folders, counts, paging and threads."""

from __future__ import annotations

import datetime as dt
import threading

import attrs
import pytest
from store_helpers import BASE, FOLDERS, make_message

from host.model.mail import Address, Attachment, Folder, FolderKind, Message
from host.providers.mail import MessageUpdate
from host.store import MailStore, StoreError


def test_a_message_round_trips_with_every_field(store: MailStore) -> None:
    message = make_message(
        1,
        cc=(Address("cc@example.com", "Cé Cé"),),
        bcc=(Address("bcc@example.com"),),
        reply_to=(Address("reply@example.com", "Reply"),),
        date=dt.datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        folder_ids=("Label_1", "INBOX"),
        unread=True,
        flagged=True,
        body_html="<p>Hello <b>there</b></p>",
        attachments=(
            Attachment("a1", "report.pdf", "application/pdf", 1234),
            Attachment("a2", "logo.png", "image/png", 99, content_id="logo@x", inline=True),
            Attachment("a3", "cloud", kind="reference", url="https://example.com/f"),
        ),
        message_id_header="<abc@example.com>",
        in_reply_to="<parent@example.com>",
        references=("<root@example.com>", "<parent@example.com>"),
        headers=(("X-Mailer", "test"), ("Subject", "Subject number 1")),
        parse_note="missing boundary",
        raw=b"Subject: x\r\n\r\n\xff\x00bytes",
        provider_data={"etag": "W/1", "nested": [1, 2]},
    )
    store.upsert_messages([message])
    got = store.get_message("m0001")
    assert got == message
    assert got.raw == message.raw
    assert got.provider_data == message.provider_data
    assert got.date.utcoffset() == dt.timedelta(0)  # returned in UTC, same instant
    assert store.get_message("nope") is None


def test_the_store_knows_every_message_field() -> None:
    """A field added to the model must be stored too: this names the ones the store keeps."""
    assert {f.name for f in attrs.fields(Message)} == {
        "id", "thread_id", "subject", "sender", "to", "cc", "bcc", "reply_to", "date", "folder_ids", "unread",
        "flagged", "snippet", "body_text", "body_html", "attachments", "message_id_header", "in_reply_to",
        "references", "headers", "size", "parse_note", "raw", "provider_data",
    }  # fmt: skip
    assert {f.name for f in attrs.fields(Attachment)} == {
        "id", "filename", "content_type", "size", "content_id", "inline", "kind", "url",
    }  # fmt: skip


def test_upsert_replaces_folders_flags_and_index(store: MailStore) -> None:
    store.upsert_messages([make_message(1, subject="Old words", unread=True, folder_ids=("INBOX", "Label_1"))])
    assert store.count("INBOX") == (1, 1)
    store.upsert_messages([make_message(1, subject="New words", unread=False, folder_ids=("Label_2",))])
    assert store.count("INBOX") == (0, 0)
    assert store.count("Label_1") == (0, 0)
    assert store.count("Label_2") == (1, 0)
    assert [m.id for m in store.search("new")] == ["m0001"]
    assert store.search("old") == []
    assert store.all_ids() == {"m0001"}


def test_the_same_id_twice_in_one_batch_keeps_the_last(store: MailStore) -> None:
    store.upsert_messages([make_message(1, subject="first"), make_message(1, subject="second", folder_ids=("SENT",))])
    assert store.get_message("m0001").subject == "second"
    assert store.count("INBOX") == (0, 0)
    assert store.count("SENT") == (1, 0)
    assert store.search("first") == []


def test_lone_surrogates_from_broken_encodings_do_not_lose_the_mail(store: MailStore) -> None:
    broken = make_message(
        1,
        subject="Caf\udce9 menu",
        sender=Address("chef@example.com", "Ch\udcefef"),
        body_text="Today: cr\udce8me br\udcfbl\udce9e",
        headers=(("Subject", "Caf\udce9 menu"),),
        provider_data={"raw-\udcff": "\udcff"},
    )
    store.upsert_messages([broken, make_message(2)])
    got = store.get_message("m0001")
    assert got.subject == "Caf? menu"
    assert got.sender.name == "Ch?ef"
    assert got.headers == (("Subject", "Caf? menu"),)
    assert [m.id for m in store.search("menu")] == ["m0001"]
    assert store.get_message("m0002") == make_message(2)


def test_apply_updates_changes_folders_and_flags_only(store: MailStore) -> None:
    store.upsert_messages([make_message(1, unread=True), make_message(2)])
    store.apply_updates(
        [
            MessageUpdate("m0001", folder_ids=("Label_1", "TRASH"), unread=False, flagged=True),
            MessageUpdate("unknown", folder_ids=("INBOX",), unread=True, flagged=False),
        ]
    )
    got = store.get_message("m0001")
    assert (got.folder_ids, got.unread, got.flagged) == (("Label_1", "TRASH"), False, True)
    assert got.subject == "Subject number 1"
    assert store.count("INBOX") == (1, 0)
    assert store.count("TRASH") == (1, 0)
    assert store.all_ids() == {"m0001", "m0002"}


def test_delete_removes_everything_of_the_message(store: MailStore) -> None:
    store.upsert_messages([make_message(1, attachments=(Attachment("a", "f.txt"),)), make_message(2)])
    store.cache_attachment("m0001", "a", b"data")
    store.delete_messages(["m0001", "never-there"])
    assert store.get_message("m0001") is None
    assert store.cached_attachment("m0001", "a") is None
    assert [m.id for m in store.search("message")] == ["m0002"]
    assert store.count("INBOX") == (1, 0)
    assert store.existing_ids(["m0001", "m0002", "x"]) == {"m0002"}
    assert store.integrity_check() == "ok"


def test_existing_ids_handles_more_ids_than_sqlite_parameters(store: MailStore) -> None:
    store.upsert_messages([make_message(i) for i in range(5)])
    asked = [f"m{i:04d}" for i in range(2000)]
    assert store.existing_ids(asked) == {f"m{i:04d}" for i in range(5)}


def test_folders_keep_order_fields_and_carry_local_counts(store: MailStore) -> None:
    store.upsert_messages(
        [
            make_message(1, unread=True),
            make_message(2, unread=False, folder_ids=("INBOX", "Label_1")),
            make_message(3, unread=True, folder_ids=("Label_1",)),
        ]
    )
    folders = store.folders()
    assert [f.id for f in folders] == [f.id for f in FOLDERS]
    by_id = {f.id: f for f in folders}
    assert (by_id["INBOX"].total, by_id["INBOX"].unread) == (2, 1)
    assert (by_id["Label_1"].total, by_id["Label_1"].unread) == (2, 1)
    assert (by_id["SENT"].total, by_id["SENT"].unread) == (0, 0)
    assert by_id["Label_1"].color == "#ff0000"
    assert by_id["Label_2"].parent_id == "Label_1" and by_id["Label_2"].hidden
    assert store.count() == (3, 2)
    assert store.count("nowhere") == (0, 0)


def test_counts_follow_flag_changes(store: MailStore) -> None:
    store.upsert_messages([make_message(i, unread=True, folder_ids=("INBOX", "Label_1")) for i in range(10)])
    store.apply_updates([MessageUpdate(f"m{i:04d}", ("INBOX", "Label_1"), False, False) for i in range(4)])
    store.delete_messages(["m0009"])
    assert store.count("INBOX") == (9, 5)
    assert store.count("Label_1") == (9, 5)
    assert store.count() == (9, 5)


def test_folder_names_with_lone_surrogates_are_kept(store: MailStore) -> None:
    store.replace_folders([Folder("x", "Bad \ud800 name")])
    assert [f.name for f in store.folders()] == ["Bad ? name"]


def test_replace_folders_and_folder_by_kind(store: MailStore) -> None:
    assert store.folder_by_kind(FolderKind.SENT).id == "SENT"
    assert store.folder_by_kind(FolderKind.SPAM) is None
    store.replace_folders([Folder("a", "A", FolderKind.SPAM, exclusive=True, provider_data={"k": 1})])
    folders = store.folders()
    assert [(f.id, f.kind, f.exclusive, f.provider_data) for f in folders] == [("a", FolderKind.SPAM, True, {"k": 1})]
    assert store.folder_by_kind(FolderKind.INBOX) is None


@pytest.mark.parametrize("folder", [None, "INBOX"])
def test_keyset_paging_returns_each_message_exactly_once(store: MailStore, folder: str | None) -> None:
    # Many messages share a date so that the id breaks ties across page boundaries.
    messages = [make_message(i, date=BASE - dt.timedelta(hours=i // 7)) for i in range(103)]
    messages += [make_message(500 + i, folder_ids=("SENT",)) for i in range(5)]
    store.upsert_messages(messages)
    seen = []
    before = None
    while True:
        page = store.list_messages(folder, limit=10, before=before)
        if not page:
            break
        seen += page
        before = (page[-1].date, page[-1].id)
    expected = [m for m in messages if folder is None or folder in m.folder_ids]
    assert len(seen) == len(expected)
    assert len({s.id for s in seen}) == len(expected)
    keys = [(s.date, s.id) for s in seen]
    assert keys == sorted(keys, reverse=True)


def test_paging_is_stable_while_messages_arrive(store: MailStore) -> None:
    store.upsert_messages([make_message(i) for i in range(20)])
    first = store.list_messages("INBOX", limit=10)
    store.upsert_messages([make_message(-5)])  # newer than everything
    second = store.list_messages("INBOX", limit=10, before=(first[-1].date, first[-1].id))
    assert [m.id for m in first + second] == [f"m{i:04d}" for i in range(20)]


def test_summaries_carry_what_a_list_row_shows(store: MailStore) -> None:
    store.upsert_messages(
        [make_message(1, unread=True, flagged=True, attachments=(Attachment("a", "x.pdf"),), folder_ids=("INBOX", "L"))]
    )
    (row,) = store.list_messages()
    assert row == store.get_message("m0001").summary()
    assert row.has_attachments and row.unread and row.flagged
    assert row.folder_ids == ("INBOX", "L")


def test_threads_are_ordered_by_their_newest_message_with_union_of_folders(store: MailStore) -> None:
    store.upsert_messages(
        [
            make_message(1, thread_id="A", folder_ids=("INBOX",), unread=True),
            make_message(5, thread_id="A", folder_ids=("SENT",), sender=Address("me@example.com", "Me")),
            make_message(2, thread_id="B", folder_ids=("INBOX", "Label_1")),
            make_message(3, thread_id="C", folder_ids=("SENT",)),
        ]
    )
    threads = store.list_threads()
    assert [t.id for t in threads] == ["A", "B", "C"]
    a = threads[0]
    assert a.message_ids == ("m0005", "m0001")  # oldest first
    assert a.subject == "Subject number 5"
    assert set(a.folder_ids) == {"INBOX", "SENT"}
    assert a.unread_count == 1
    assert a.last_date == BASE - dt.timedelta(hours=1)
    assert [p.email for p in a.participants] == ["me@example.com", "sender1@example.com"]
    assert [t.id for t in store.list_threads("SENT")] == ["C", "A"]  # A's newest message in Sent is older
    assert [m.id for m in store.thread_messages("A")] == ["m0005", "m0001"]


def test_thread_paging_returns_each_thread_exactly_once(store: MailStore) -> None:
    # 40 threads of 1-4 messages, interleaved in time, several at the same instant.
    messages = [
        make_message(i, thread_id=f"T{(i * 7) % 40:02d}", date=BASE - dt.timedelta(hours=i // 3)) for i in range(100)
    ]
    store.upsert_messages(messages)
    for folder in (None, "INBOX"):
        seen = []
        before = None
        while page := store.list_threads(folder, limit=6, before=before):
            seen += page
            before = (page[-1].last_date, page[-1].id)
        assert sorted(t.id for t in seen) == sorted({m.thread_id for m in messages})
        keys = [(t.last_date, t.id) for t in seen]
        assert keys == sorted(keys, reverse=True)
    assert store.list_threads(limit=0) == []


def test_complete_addresses(store: MailStore) -> None:
    store.upsert_messages(
        [
            make_message(1, sender=Address("ana.mueller@example.com", "Ana Müller")),
            make_message(2, sender=Address("ana.mueller@example.com", "Ana Müller")),
            make_message(3, sender=Address("anton@example.com", "Anton Berg"), cc=(Address("bea@example.com"),)),
            make_message(4, sender=Address("x_y@example.com", "Under Score")),
        ]
    )
    assert [a.email for a in store.complete_addresses("an")] == ["ana.mueller@example.com", "anton@example.com"]
    assert [a.email for a in store.complete_addresses("berg")] == ["anton@example.com"]  # a word of the name
    assert [a.email for a in store.complete_addresses("BEA")] == ["bea@example.com"]
    assert store.complete_addresses("ana")[0].name == "Ana Müller"
    assert [a.email for a in store.complete_addresses("x_")] == ["x_y@example.com"]
    assert store.complete_addresses("%") == []  # LIKE wildcards are taken literally
    assert len(store.complete_addresses("", limit=2)) == 2


def test_transaction_groups_calls_and_rolls_back_on_error(store: MailStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_messages([make_message(1)])
        store.set_state("cursor", "5")
        assert store.get_message("m0001") is not None  # visible inside the transaction
        raise RuntimeError("crash")
    assert store.get_message("m0001") is None
    assert store.get_state("cursor") is None


def test_a_failing_nested_call_undoes_only_itself(store: MailStore) -> None:
    with store.transaction():
        store.upsert_messages([make_message(1)])
        with pytest.raises(ValueError), store.transaction():
            store.set_state("cursor", "x")
            raise ValueError
        store.set_state("other", "y")
    assert store.get_message("m0001") is not None
    assert store.get_state("cursor") is None
    assert store.get_state("other") == "y"


def test_other_threads_read_the_last_committed_state_during_a_write(store: MailStore) -> None:
    store.upsert_messages([make_message(1)])
    seen: list[object] = []
    with store.transaction():
        store.upsert_messages([make_message(2)])
        reader = threading.Thread(target=lambda: seen.append(store.all_ids()))
        reader.start()
        reader.join(timeout=10)
        # The reader did not wait for the write lock and did not see the uncommitted message.
        assert not reader.is_alive()
    assert seen == [{"m0001"}]
    assert store.all_ids() == {"m0001", "m0002"}


def test_concurrent_writers_and_readers_do_not_corrupt(store: MailStore) -> None:
    errors: list[BaseException] = []

    def write(offset: int) -> None:
        try:
            for i in range(20):
                store.upsert_messages([make_message(offset + i)])
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    def read() -> None:
        try:
            for _ in range(40):
                store.list_messages("INBOX", limit=5)
                store.search("message")
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=write, args=(k * 100,)) for k in range(3)]
    workers += [threading.Thread(target=read) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert store.count("INBOX") == (60, 0)
    assert store.integrity_check() == "ok"


def test_reopening_keeps_everything(db_path, key) -> None:
    with MailStore.open(db_path, key) as store:
        store.replace_folders(FOLDERS)
        store.upsert_messages([make_message(i) for i in range(3)])
        store.set_state("cursor", "42")
    with MailStore.open(db_path, key) as store:
        assert store.count("INBOX") == (3, 0)
        assert store.get_state("cursor") == "42"
        assert [f.id for f in store.folders()] == [f.id for f in FOLDERS]


def test_database_errors_become_store_errors(store: MailStore) -> None:
    with pytest.raises(StoreError, match="The mail database failed"), store.transaction():
        store._writer.execute("INSERT INTO no_such_table VALUES (1)")

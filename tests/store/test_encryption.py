"""Nothing of the mail reaches the disk in plain text; a wrong key fails clearly; sign-out leaves nothing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from store_helpers import make_message

from host.errors import ZoomclientError
from host.model.mail import Address as A
from host.model.mail import Attachment, OutgoingAttachment, OutgoingMessage
from host.store import MailStore, StoreError, new_key, wipe_database

MARKER = "Zebrafinch-7c41e0-Marker"


def _files(db_path: Path) -> list[Path]:
    return [p for p in (Path(f"{db_path}{s}") for s in ("", "-wal", "-shm", "-journal")) if p.exists()]


def _assert_no_plaintext(db_path: Path, *markers: bytes) -> None:
    files = _files(db_path)
    assert files, "the database file should exist"
    for path in files:
        data = path.read_bytes()
        for marker in markers:
            assert marker not in data, f"{marker!r} in plain text in {path.name}"
    # An encrypted database starts with its random salt, not SQLite's magic string.
    assert not db_path.read_bytes()[:16].startswith(b"SQLite format 3")


def _write_everything(store: MailStore) -> None:
    import datetime as dt

    store.upsert_messages(
        [
            make_message(
                i,
                subject=f"{MARKER} subject {i}",
                body_text=f"{MARKER} body {i}",
                body_html=f"<p>{MARKER} html</p>",
                raw=f"Subject: {MARKER}\r\n\r\nraw".encode(),
                attachments=(Attachment("a1", f"{MARKER}.pdf"),),
            )
            for i in range(300)
        ]
    )
    store.cache_attachment("m0001", "a1", f"{MARKER} attachment bytes".encode())
    store.set_state("cursor", MARKER)
    store.enqueue_change("flag", {"note": MARKER})
    outgoing = OutgoingMessage(
        to=(A("x@example.com"),),
        subject=MARKER,
        body_text=MARKER,
        attachments=(OutgoingAttachment("a.txt", "text/plain", MARKER.encode()),),
    )
    store.queue_outgoing(outgoing, send_at=dt.datetime.now(dt.UTC))


def test_no_plaintext_in_database_wal_or_shm_while_open_and_after_close(db_path: Path, key: bytes) -> None:
    store = MailStore.open(db_path, key)
    _write_everything(store)
    markers = (MARKER.encode(), MARKER.encode("utf-16-le"))
    # While open, the recent pages live in the -wal file.
    assert Path(f"{db_path}-wal").exists()
    _assert_no_plaintext(db_path, *markers)
    store.close()
    _assert_no_plaintext(db_path, *markers)


def test_the_text_is_really_stored(store: MailStore) -> None:
    """The marker test above means something only if the marker was written and can be found."""
    _write_everything(store)
    assert [m.id for m in store.search(MARKER.split("-")[0])][:1] == ["m0000"]
    assert MARKER in store.get_message("m0001").body_text


def test_close_folds_the_wal_back_and_removes_it(db_path: Path, key: bytes) -> None:
    store = MailStore.open(db_path, key)
    store.upsert_messages([make_message(1)])
    store.close()
    assert _files(db_path) == [db_path]


def test_database_file_is_private_to_the_user(db_path: Path, key: bytes) -> None:
    MailStore.open(db_path, key).close()
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_wrong_key_fails_with_a_clear_error(db_path: Path, key: bytes) -> None:
    store = MailStore.open(db_path, key)
    store.upsert_messages([make_message(1)])
    store.close()
    with pytest.raises(StoreError) as caught:
        MailStore.open(db_path, new_key())
    assert isinstance(caught.value, ZoomclientError)
    assert "cannot be opened with its key" in str(caught.value)
    assert "Sign out" in caught.value.hint
    # The right key still works afterwards: nothing was damaged.
    with MailStore.open(db_path, key) as store:
        assert store.get_message("m0001") is not None


def test_a_plain_sqlite_file_is_refused(db_path: Path) -> None:
    import sqlite3

    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(StoreError):
        MailStore.open(db_path, new_key())


@pytest.mark.parametrize("bad", [b"short", b"x" * 33, "a" * 32])
def test_key_must_be_32_raw_bytes(db_path: Path, bad: object) -> None:
    with pytest.raises(StoreError):
        MailStore.open(db_path, bad)  # type: ignore[arg-type]
    assert not db_path.exists()


def test_new_keys_are_random_32_bytes() -> None:
    keys = {new_key() for _ in range(10)}
    assert len(keys) == 10
    assert all(len(k) == 32 for k in keys)


def test_wipe_database_leaves_no_file(db_path: Path, key: bytes) -> None:
    store = MailStore.open(db_path, key)
    _write_everything(store)
    store.close()
    Path(f"{db_path}-journal").write_bytes(b"left over")  # as after a crash in rollback mode
    wipe_database(db_path)
    assert list(db_path.parent.iterdir()) == []


def test_wipe_database_of_an_open_store_after_close(db_path: Path, key: bytes) -> None:
    """Sign-out closes first (checkpoint), then wipes: -wal and -shm go too."""
    store = MailStore.open(db_path, key)
    _write_everything(store)
    assert Path(f"{db_path}-shm").exists()
    store.close()
    wipe_database(db_path)
    assert list(db_path.parent.iterdir()) == []


def test_wipe_database_without_files_is_fine(tmp_path: Path) -> None:
    wipe_database(tmp_path / "never-created.db")
    assert list(tmp_path.iterdir()) == []


def test_a_closed_store_refuses_use(db_path: Path, key: bytes) -> None:
    store = MailStore.open(db_path, key)
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.get_message("m1")
    with pytest.raises(StoreError, match="closed"):
        store.upsert_messages([make_message(1)])


def test_connections_keep_temporary_data_in_memory_and_use_wal(store: MailStore) -> None:
    """SQLCipher does not encrypt temporary files, so there must be none (temp_store=MEMORY)."""
    for conn in (store._writer, store._reader):
        assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1

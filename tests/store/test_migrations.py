"""A database written by the first schema version opens, migrated to the latest, with nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from host.store import MailStore, StoreError
from host.store.schema import LATEST_VERSION, MIGRATIONS


def _raw_connection(path: Path, key: bytes):
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _write_first_version(path: Path, key: bytes) -> None:
    """What a zoomclient with only the first migration left on disk, written with plain SQL."""
    conn = _raw_connection(path, key)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO folders (id, position, name, kind, exclusive, parent_id, color, hidden, provider_data)"
        " VALUES ('INBOX', 0, 'Inbox', 'inbox', 0, NULL, NULL, 0, '{}')"
    )
    for n, (email, name) in enumerate(
        [("ana@example.com", "Ana"), ("bob@example.com", "Bob"), ("ana@example.com", "")]
    ):
        num = conn.execute(
            "INSERT INTO messages (id, thread_id, date, subject, sender, to_addrs, cc_addrs, bcc_addrs, reply_to,"
            " unread, flagged, has_attachments, snippet, size, message_id_header, in_reply_to, refs, parse_note,"
            " provider_data) VALUES (?, 't', ?, ?, ?, ?, '[]', '[]', '[]', 1, 0, 0, '', 10, NULL, NULL, '[]', NULL,"
            " '{}') RETURNING num",
            (
                f"m{n}",
                1_700_000_000_000 + n,
                f"Old subject {n}",
                json.dumps([email, name]),
                json.dumps([["carol@example.com", "Carol"]]),
            ),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO message_bodies (num, body_text, body_html, headers, raw) VALUES (?, 'old body', NULL, '[]',"
            " NULL)",
            (num,),
        )
        conn.execute(
            "INSERT INTO message_fts (rowid, subject, sender, recipients, body) VALUES (?, ?, ?, 'Carol', 'old body')",
            (num, f"Old subject {n}", f"{name} {email}"),
        )
        conn.execute(
            "INSERT INTO message_folders (message_id, folder_id, position, date, unread) VALUES (?, 'INBOX', 0, ?, 1)",
            (f"m{n}", 1_700_000_000_000 + n),
        )
    conn.execute("COMMIT")
    conn.close()


def test_first_schema_migrates_to_the_latest(tmp_path: Path) -> None:
    key = bytes(range(32))
    path = tmp_path / "mail.db"
    _write_first_version(path, key)

    with MailStore.open(path, key) as store:
        assert store.count("INBOX") == (3, 3)
        assert store.get_message("m1").subject == "Old subject 1"
        assert [m.id for m in store.search("old subject")] == ["m2", "m1", "m0"]
        # Migration 2's address book was filled from the mail already stored, most used first.
        assert [a.email for a in store.complete_addresses("")] == [
            "carol@example.com",  # in To of all three
            "ana@example.com",  # From of two
            "bob@example.com",
        ]
        assert store.complete_addresses("ana")[0].name == "Ana"  # the later empty name did not erase it
        assert store.integrity_check() == "ok"

    conn = _raw_connection(path, key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_migrations_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert all(m.description for m in MIGRATIONS)


def test_a_new_database_is_at_the_latest_version(tmp_path: Path) -> None:
    key = bytes(32)
    MailStore.open(tmp_path / "mail.db", key).close()
    conn = _raw_connection(tmp_path / "mail.db", key)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    key = bytes(32)
    MailStore.open(tmp_path / "mail.db", key).close()
    conn = _raw_connection(tmp_path / "mail.db", key)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer zoomclient"):
        MailStore.open(tmp_path / "mail.db", key)

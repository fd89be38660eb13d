"""The store's schema as a list of migrations; ``PRAGMA user_version`` records how many have run.

Never edit a migration that has shipped: add a new one at the end. Each runs in its own
transaction together with the version bump, so a crash leaves the database at one version or the
next, never in between.

Layout notes:
- ``messages.num`` is the rowid; the FTS table uses it as its rowid.
- Bodies and raw bytes live in ``message_bodies`` so that the rows a list or a search walks stay
  small (a 2 KB body inline would put one message per page).
- ``message_folders`` repeats each message's date and unread flag so that a folder page is a walk
  of ``message_folders_by_date`` and its counts are kept by triggers in ``folder_counts``.
- ``message_fts`` is contentless (the text is already in the tables) with ``contentless_delete`` so
  that upserts and deletes can remove a message's old entry by rowid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs


@attrs.frozen
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    #: Data work after the statements, inside the same transaction (it gets the connection).
    backfill: Callable[[Any], None] | None = None


_V1 = (
    """CREATE TABLE folders (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        exclusive INTEGER NOT NULL,
        parent_id TEXT,
        color TEXT,
        hidden INTEGER NOT NULL,
        provider_data TEXT NOT NULL
    )""",
    """CREATE TABLE messages (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        thread_id TEXT NOT NULL,
        date INTEGER NOT NULL,
        subject TEXT NOT NULL,
        sender TEXT,
        to_addrs TEXT NOT NULL,
        cc_addrs TEXT NOT NULL,
        bcc_addrs TEXT NOT NULL,
        reply_to TEXT NOT NULL,
        unread INTEGER NOT NULL,
        flagged INTEGER NOT NULL,
        has_attachments INTEGER NOT NULL,
        snippet TEXT NOT NULL,
        size INTEGER NOT NULL,
        message_id_header TEXT,
        in_reply_to TEXT,
        refs TEXT NOT NULL,
        parse_note TEXT,
        provider_data TEXT NOT NULL
    )""",
    "CREATE INDEX messages_by_date ON messages (date DESC, id DESC)",
    "CREATE INDEX messages_by_thread ON messages (thread_id, date)",
    "CREATE INDEX messages_by_header ON messages (message_id_header) WHERE message_id_header IS NOT NULL",
    """CREATE TABLE message_bodies (
        num INTEGER PRIMARY KEY REFERENCES messages (num) ON DELETE CASCADE,
        body_text TEXT NOT NULL,
        body_html TEXT,
        headers TEXT NOT NULL,
        raw BLOB
    )""",
    """CREATE TABLE message_folders (
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE ON UPDATE CASCADE,
        folder_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        date INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        PRIMARY KEY (message_id, folder_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX message_folders_by_date ON message_folders (folder_id, date DESC, message_id DESC)",
    """CREATE TABLE folder_counts (
        folder_id TEXT PRIMARY KEY,
        total INTEGER NOT NULL,
        unread INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TRIGGER message_folders_insert AFTER INSERT ON message_folders BEGIN
        INSERT INTO folder_counts (folder_id, total, unread) VALUES (new.folder_id, 1, new.unread)
        ON CONFLICT (folder_id) DO UPDATE SET total = total + 1, unread = unread + new.unread;
    END""",
    """CREATE TRIGGER message_folders_delete AFTER DELETE ON message_folders BEGIN
        UPDATE folder_counts SET total = total - 1, unread = unread - old.unread WHERE folder_id = old.folder_id;
    END""",
    """CREATE TRIGGER message_folders_unread AFTER UPDATE OF unread ON message_folders BEGIN
        UPDATE folder_counts SET unread = unread - old.unread + new.unread WHERE folder_id = new.folder_id;
    END""",
    """CREATE TABLE attachments (
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE ON UPDATE CASCADE,
        position INTEGER NOT NULL,
        id TEXT NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_id TEXT,
        inline INTEGER NOT NULL,
        kind TEXT NOT NULL,
        url TEXT,
        PRIMARY KEY (message_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE attachment_content (
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE ON UPDATE CASCADE,
        attachment_id TEXT NOT NULL,
        data BLOB NOT NULL,
        UNIQUE (message_id, attachment_id)
    )""",
    """CREATE VIRTUAL TABLE message_fts USING fts5 (
        subject, sender, recipients, body,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        message TEXT NOT NULL,
        message_id TEXT,
        updated INTEGER
    )""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message TEXT NOT NULL,
        send_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
        message_id_header TEXT NOT NULL UNIQUE,
        sent_id TEXT,
        error TEXT
    )""",
    "CREATE INDEX outbox_by_send_at ON outbox (state, send_at)",
    "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE pending_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at INTEGER NOT NULL,
        last_error TEXT
    )""",
    """CREATE TABLE signatures (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        html TEXT NOT NULL,
        text TEXT NOT NULL,
        default_for_new INTEGER NOT NULL,
        default_for_replies INTEGER NOT NULL
    )""",
)


def _backfill_addresses(conn: Any) -> None:
    """Fill the address book from the mail stored before it existed."""
    from host.store.addresses import record_addresses, stored_uses

    rows = conn.execute("SELECT date, sender, to_addrs, cc_addrs FROM messages").fetchall()
    record_addresses(conn, stored_uses(rows))


_V2 = (
    """CREATE TABLE addresses (
        email TEXT PRIMARY KEY COLLATE NOCASE,
        name TEXT NOT NULL,
        uses INTEGER NOT NULL,
        last_date INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX addresses_by_name ON addresses (name COLLATE NOCASE)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "messages, folders, bodies, attachments, full-text index, drafts, outbox, sync state", _V1),
    Migration(2, "an address book for the composer's completion", _V2, _backfill_addresses),
)

LATEST_VERSION = MIGRATIONS[-1].version

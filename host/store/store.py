"""The encrypted mail store: one SQLCipher database per account.

Threads: the sync engine writes from a worker thread (``asyncio.to_thread``) while the UI reads.
The store holds two connections to the same WAL database: a *writer*, guarded by a re-entrant
lock and used for every write and for reads made inside a transaction (they must see its
uncommitted rows), and a *reader*, guarded by its own lock, for every other read. WAL lets a reader
work on the last committed state while a sync batch of 1,000 messages (~0.2 s) is being written,
so a page of the inbox never waits for the sync; a single connection would make it wait. Both
connections are opened with ``check_same_thread=False`` because the locks, not the thread that
opened them, decide who uses them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import secrets
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import nh3
from sqlcipher3 import dbapi2 as sqlcipher

from host.model.mail import (
    Address,
    Attachment,
    Draft,
    Folder,
    FolderKind,
    Message,
    MessageSummary,
    OutgoingMessage,
    Signature,
    Thread,
)
from host.providers.mail import MessageUpdate
from host.store import codec
from host.store.addresses import like_prefix, record_addresses
from host.store.bulk import insert_rows
from host.store.errors import OutboxConflict, StoreError
from host.store.query import parse_query
from host.store.queues import OutboxItem, PendingChange
from host.store.schema import LATEST_VERSION, MIGRATIONS
from host.store.search import compile_query, folder_condition, full_text_filter

KEY_BYTES = 32

_SUMMARY_COLUMNS = (
    "m.id, m.thread_id, m.subject, m.sender, m.to_addrs, m.date, m.snippet, m.unread, m.flagged, m.has_attachments, "
    "m.size"
)
_MESSAGE_COLUMNS = (
    "m.num, m.id, m.thread_id, m.date, m.subject, m.sender, m.to_addrs, m.cc_addrs, m.bcc_addrs, m.reply_to, m.unread, "
    "m.flagged, m.snippet, m.size, m.message_id_header, m.in_reply_to, m.refs, m.parse_note, m.provider_data, "
    "b.body_text, b.body_html, b.headers, b.raw"
)
_MESSAGE_FIELDS = (
    "id, thread_id, date, subject, sender, to_addrs, cc_addrs, bcc_addrs, reply_to, unread, flagged, has_attachments,"
    " snippet, size, message_id_header, in_reply_to, refs, parse_note, provider_data"
)
_INSERT_MESSAGE = f"INSERT INTO messages (num, {_MESSAGE_FIELDS})"
_UPDATE_MESSAGE = (
    "UPDATE messages SET "
    + ", ".join(f"{field.strip()} = ?" for field in _MESSAGE_FIELDS.split(","))
    + " WHERE num = ?"
)


def new_key() -> bytes:
    """A fresh random database key, to be kept in the keyring."""
    return secrets.token_bytes(KEY_BYTES)


def wipe_database(path: Path) -> None:
    """Delete a store's database with its -wal, -shm and -journal files (sign-out)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class MailStore:
    """One account's mail. Each method is one transaction unless called inside :meth:`transaction`."""

    def __init__(self, writer: Any, reader: Any) -> None:
        """Use :meth:`open`; this takes its two prepared connections."""
        self._writer = writer
        self._reader = reader
        self._write_lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._depth = 0
        self._owner: int | None = None
        self._closed = False

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, key: bytes) -> MailStore:
        """Open the database at ``path`` with its 32-byte key, creating or migrating it."""
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise StoreError(f"A mail store key is {KEY_BYTES} random bytes.", hint="This is a bug in the caller.")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Only this user may read the file; SQLite gives -wal and -shm the same mode.
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        writer = _connect(path, key)
        try:
            _migrate(writer)
            reader = _connect(path, key)
        except BaseException:
            writer.close()
            raise
        return cls(writer, reader)

    def close(self) -> None:
        """Fold the WAL back into the database and close; the store cannot be used afterwards."""
        with self._write_lock, self._read_lock:
            if self._closed:
                return
            self._closed = True
            self._reader.close()
            try:
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._writer.close()

    def __enter__(self) -> MailStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and connections ----------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group calls atomically. Nested calls join it; an error inside a nested one undoes only
        that one (a savepoint) and is re-raised."""
        with self._write_lock, _store_errors():
            self._check_open()
            conn = self._writer
            depth = self._depth
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT level{depth}")
            self._depth = depth + 1
            self._owner = threading.get_ident()
            try:
                yield
            except BaseException:
                if depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO level{depth}")
                    conn.execute(f"RELEASE level{depth}")
                raise
            else:
                try:
                    conn.execute("COMMIT" if depth == 0 else f"RELEASE level{depth}")
                except BaseException:
                    conn.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO level{depth}")
                    raise
            finally:
                self._depth = depth
                if depth == 0:
                    self._owner = None

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """A connection that sees one consistent state for the whole block."""
        if self._owner == threading.get_ident():
            # Inside this thread's transaction: read what it has written so far.
            with self._write_lock, _store_errors():
                yield self._writer
            return
        with self._read_lock, _store_errors():
            self._check_open()
            self._reader.execute("BEGIN")
            try:
                yield self._reader
            finally:
                self._reader.execute("COMMIT")

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        with self.transaction():
            yield self._writer

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("The mail store is closed.", hint="This is a bug: it was used after sign-out or exit.")

    # -- folders -------------------------------------------------------------------------------

    def replace_folders(self, folders: Sequence[Folder]) -> None:
        """Make ``folders`` the account's folder list, in this order.

        Messages keep their links to folders that disappear: the server's change feed says what
        happened to them, and a provider may list fewer labels than its messages carry.
        """
        with self._writing() as conn:
            conn.execute("DELETE FROM folders")
            conn.executemany(
                "INSERT INTO folders (id, position, name, kind, exclusive, parent_id, color, hidden, provider_data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        f.id,
                        position,
                        f.name,
                        f.kind.value,
                        f.exclusive,
                        f.parent_id,
                        f.color,
                        f.hidden,
                        codec.dumps(f.provider_data),
                    )
                    # Scrubbed: a hostile JSON answer can hold lone surrogates, which SQLite refuses.
                    for position, f in enumerate({f.id: f for f in map(_scrubbed, folders)}.values())
                ],
            )

    def folders(self) -> list[Folder]:
        """Every folder in the server's order, with ``total``/``unread`` counted in the store."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT f.id, f.name, f.kind, f.exclusive, f.parent_id, f.color, f.hidden, f.provider_data,"
                " coalesce(c.total, 0), coalesce(c.unread, 0)"
                " FROM folders AS f LEFT JOIN folder_counts AS c ON c.folder_id = f.id ORDER BY f.position"
            ).fetchall()
        return [
            Folder(
                id=r[0],
                name=r[1],
                kind=FolderKind(r[2]),
                exclusive=bool(r[3]),
                parent_id=r[4],
                color=r[5],
                hidden=bool(r[6]),
                total=r[8],
                unread=r[9],
                provider_data=json.loads(r[7]),
            )
            for r in rows
        ]

    def folder_by_kind(self, kind: FolderKind) -> Folder | None:
        return next((f for f in self.folders() if f.kind is kind), None)

    def _resolve_folder(self, conn: Any, value: str) -> list[str]:
        """Folder ids for what a user typed after ``in:``: an id, a name or a kind, in any case."""
        lowered = value.lower()
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM folders WHERE lower(id) = ? OR lower(name) = ? OR kind = ? ORDER BY position",
                (lowered, lowered, lowered),
            )
        ]
        # Messages may carry a label the folder list has not shown yet (Gmail's system labels).
        if conn.execute("SELECT 1 FROM folder_counts WHERE folder_id = ?", (value,)).fetchone():
            ids.append(value)
        return ids

    # -- messages: writing ---------------------------------------------------------------------

    def upsert_messages(self, messages: Sequence[Message]) -> None:
        """Insert new messages and replace stored ones (flags, folders, bodies, index entries).

        Cached attachment contents survive a replace.
        """
        try:
            self._upsert(messages)
        except UnicodeEncodeError:
            # A broken encoding decoded with surrogateescape leaves lone surrogates, which UTF-8 and
            # so SQLite cannot hold. Keep the mail, with "?" in their place, rather than lose it.
            self._upsert([_scrubbed(m) for m in messages])

    def _upsert(self, messages: Sequence[Message]) -> None:
        # One statement per table for the whole batch (executemany), nums chosen here rather than read
        # back row by row: a statement per row is what the writer thread spends its time on, and each
        # one hands the interpreter lock back and forth with the thread that parses the next page.
        batch = list({m.id: m for m in messages}.values())  # an id twice in a batch: the last one wins
        with self._writing() as conn:
            existing = _existing_nums(conn, [m.id for m in batch])
            next_num = conn.execute("SELECT coalesce(max(num), 0) + 1 FROM messages").fetchone()[0]
            inserted, updated, bodies, links, attachments, entries, seen = [], [], [], [], [], [], []
            for message in batch:
                row = _message_row(message)
                num = existing.get(message.id)
                if num is None:
                    num, next_num = next_num, next_num + 1
                    inserted.append((num, *row))
                    seen.extend(_address_uses(message, row[2]))
                else:
                    updated.append((*row, num))
                bodies.append((num, message.body_text, message.body_html, codec.dumps(message.headers), message.raw))
                links.extend(
                    (message.id, f, i, row[2], message.unread) for i, f in enumerate(dict.fromkeys(message.folder_ids))
                )
                attachments.extend(
                    (message.id, i, a.id, a.filename, a.content_type, a.size, a.content_id, a.inline, a.kind, a.url)
                    for i, a in enumerate(message.attachments)
                )
                entries.append(
                    (
                        num,
                        message.subject,
                        _index_addresses([message.sender] if message.sender else []),
                        _index_addresses(message.to + message.cc + message.bcc),
                        _index_body(message),
                    )
                )
            insert_rows(conn, _INSERT_MESSAGE, inserted)
            if updated:
                conn.executemany(_UPDATE_MESSAGE, updated)
                replaced = [(message_id,) for message_id, *_ in updated]
                conn.executemany("DELETE FROM message_folders WHERE message_id = ?", replaced)
                conn.executemany("DELETE FROM attachments WHERE message_id = ?", replaced)
            insert_rows(conn, "INSERT OR REPLACE INTO message_bodies (num, body_text, body_html, headers, raw)", bodies)
            _link_folders(conn, links)
            if attachments:
                insert_rows(
                    conn,
                    "INSERT INTO attachments (message_id, position, id, filename, content_type, size, content_id,"
                    " inline, kind, url)",
                    attachments,
                )
            record_addresses(conn, seen)
            _write_index(conn, [row[-1] for row in updated], entries)

    def apply_updates(self, updates: Sequence[MessageUpdate]) -> None:
        """Set folders and flags of stored messages; updates for unknown ids are skipped."""
        with self._writing() as conn:
            for update in updates:
                row = conn.execute(
                    "UPDATE messages SET unread = ?, flagged = ? WHERE id = ? RETURNING date",
                    (update.unread, update.flagged, update.id),
                ).fetchone()
                if row is None:
                    continue
                conn.execute("DELETE FROM message_folders WHERE message_id = ?", (update.id,))
                _link_folders(
                    conn,
                    [(update.id, f, i, row[0], update.unread) for i, f in enumerate(dict.fromkeys(update.folder_ids))],
                )

    def delete_messages(self, ids: Sequence[str]) -> None:
        """Forget messages, with their bodies, folder links, attachments and cached contents."""
        with self._writing() as conn:
            nums = set()
            for message_id in ids:
                row = conn.execute("DELETE FROM messages WHERE id = ? RETURNING num", (message_id,)).fetchone()
                if row is not None:
                    nums.add(row[0])
            _write_index(conn, nums, ())

    # -- messages: reading ---------------------------------------------------------------------

    def get_message(self, message_id: str) -> Message | None:
        with self._reading() as conn:
            row = conn.execute(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages AS m JOIN message_bodies AS b ON b.num = m.num"
                " WHERE m.id = ?",
                (message_id,),
            ).fetchone()
            if row is None:
                return None
            return _message(conn, row)

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        with self._reading() as conn:
            return set(_existing_nums(conn, ids))

    def ids_by_header(self, message_id_header: str) -> list[str]:
        """Stored messages with this ``Message-ID`` header: after a crash while sending, whether the
        server got an outbox item (its ``message_id_header``) shows up here once the sent mail syncs."""
        with self._reading() as conn:
            rows = conn.execute("SELECT id FROM messages WHERE message_id_header = ? ORDER BY id", (message_id_header,))
            return [r[0] for r in rows]

    def all_ids(self) -> set[str]:
        with self._reading() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM messages")}

    def count(self, folder_id: str | None = None) -> tuple[int, int]:
        """``(total, unread)`` of a folder, or of the whole mailbox."""
        with self._reading() as conn:
            if folder_id is None:
                row = conn.execute("SELECT count(*), coalesce(sum(unread), 0) FROM messages").fetchone()
            else:
                row = conn.execute(
                    "SELECT total, unread FROM folder_counts WHERE folder_id = ?", (folder_id,)
                ).fetchone() or (0, 0)
            return row[0], row[1]

    def list_messages(
        self, folder_id: str | None = None, *, limit: int = 50, before: tuple[dt.datetime, str] | None = None
    ) -> list[MessageSummary]:
        """A page of a folder (or of all mail), newest first.

        ``before`` is the ``(date, id)`` of the last message of the previous page: the next page
        starts right after it, whatever was added or removed meanwhile.
        """
        with self._reading() as conn:
            return _summaries(conn, (), (), folder_id, limit, before, walk=True)

    def search(
        self, query: str, *, limit: int = 50, before: tuple[dt.datetime, str] | None = None
    ) -> list[MessageSummary]:
        """Messages matching ``query`` (see :mod:`host.store.query`), newest first; pages like
        :meth:`list_messages`."""
        with self._reading() as conn:
            compiled = compile_query(parse_query(query), lambda value: self._resolve_folder(conn, value))
            if compiled.empty:
                return []
            where, params, walk = list(compiled.where), list(compiled.params), True
            if compiled.fts is not None:
                condition, fts_params, walk = full_text_filter(
                    conn,
                    compiled.fts,
                    negated=compiled.fts_negated,
                    one_word=compiled.fts_one_word,
                )
                where.insert(0, condition)
                params[:0] = fts_params
            dates = (compiled.since, compiled.until)
            return _summaries(conn, where, params, compiled.folder_id, limit, before, walk=walk, dates=dates)

    def list_threads(
        self, folder_id: str | None = None, *, limit: int = 50, before: tuple[dt.datetime, str] | None = None
    ) -> list[Thread]:
        """Conversations with a message in the folder, ordered by their newest such message.

        A thread's ``last_date`` is that message's date; ``before`` is ``(last_date, thread id)`` of
        the previous page's last thread. Folders are the union over the whole thread.
        """
        if limit <= 0:
            return []
        before_key = (codec.to_ms(before[0]), before[1]) if before else None
        with self._reading() as conn:
            met: set[str] = set()
            found: list[tuple[int, str]] = []
            for _, thread_id, date in _walk(conn, folder_id, before_key[0] if before_key else None):
                if len(found) >= limit and date < sorted(found, reverse=True)[limit - 1][0]:
                    break  # every thread not met yet is older than this page's last one
                if thread_id in met:
                    continue
                met.add(thread_id)
                key = (_thread_date(conn, thread_id, folder_id), thread_id)
                # A thread met below ``before`` whose newest message is above it was on an earlier page.
                if before_key is None or key < before_key:
                    found.append(key)
            return [_thread(conn, thread_id, date) for date, thread_id in sorted(found, reverse=True)[:limit]]

    def thread_messages(self, thread_id: str) -> list[Message]:
        """Every stored message of a conversation, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages AS m JOIN message_bodies AS b ON b.num = m.num"
                " WHERE m.thread_id = ? ORDER BY m.date, m.id",
                (thread_id,),
            ).fetchall()
            return [_message(conn, row) for row in rows]

    def complete_addresses(self, prefix: str, *, limit: int = 10) -> list[Address]:
        """Addresses whose email, name or a word of the name starts with ``prefix``, most used first."""
        pattern = like_prefix(prefix.strip())
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT email, name FROM addresses WHERE email LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\'"
                " OR name LIKE '% ' || ?1 ESCAPE '\\' ORDER BY uses DESC, last_date DESC LIMIT ?2",
                (pattern, limit),
            ).fetchall()
        return [Address(email=r[0], name=r[1]) for r in rows]

    # -- sync state ----------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        with self._reading() as conn:
            row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None) -> None:
        """Set a sync value (a cursor, say); None removes it."""
        with self._writing() as conn:
            if value is None:
                conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?3",
                    (key, value, value),
                )

    # -- local changes to push -----------------------------------------------------------------

    def enqueue_change(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue a change for the server, due at once; ``payload`` must be JSON data."""
        with self._writing() as conn:
            return conn.execute(
                "INSERT INTO pending_changes (kind, payload, next_try_at) VALUES (?, ?, ?) RETURNING id",
                (kind, codec.dumps(payload), codec.to_ms(dt.datetime.now(dt.UTC))),
            ).fetchone()[0]

    def pending_changes(self, *, now: dt.datetime | None = None) -> list[PendingChange]:
        """Queued changes in the order they were made; with ``now``, only those due by then."""
        with self._reading() as conn:
            sql = "SELECT id, kind, payload, attempts, next_try_at, last_error FROM pending_changes"
            params: tuple[Any, ...] = ()
            if now is not None:
                sql += " WHERE next_try_at <= ?"
                params = (codec.to_ms(now),)
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
        return [PendingChange(r[0], r[1], json.loads(r[2]), r[3], codec.from_ms(r[4]), r[5]) for r in rows]

    def complete_change(self, change_id: int) -> None:
        with self._writing() as conn:
            conn.execute("DELETE FROM pending_changes WHERE id = ?", (change_id,))

    def retry_change(self, change_id: int, *, error: str, next_try_at: dt.datetime) -> None:
        with self._writing() as conn:
            conn.execute(
                "UPDATE pending_changes SET attempts = attempts + 1, last_error = ?, next_try_at = ? WHERE id = ?",
                (error, codec.to_ms(next_try_at), change_id),
            )

    # -- outbox --------------------------------------------------------------------------------

    def queue_outgoing(self, message: OutgoingMessage, *, send_at: dt.datetime) -> OutboxItem:
        """Queue a message to send at ``send_at`` (now + the undo delay, or a chosen time).

        The item's message carries a new unique ``message_id_header``, to be sent as its Message-ID.
        """
        domain = message.sender.email.rpartition("@")[2] if message.sender else ""
        header = f"<{secrets.token_hex(16)}@{domain or 'zoomclient.invalid'}>"
        # Always a new one: each queued item is one sending, found again by this header after a crash.
        message = attrs.evolve(message, message_id_header=header)
        with self._writing() as conn:
            item_id = conn.execute(
                "INSERT INTO outbox (message, send_at, state, message_id_header) VALUES (?, ?, 'queued', ?)"
                " RETURNING id",
                (codec.dumps(codec.outgoing_to_json(message)), codec.to_ms(send_at), header),
            ).fetchone()[0]
            return _outbox_item(conn.execute(f"{_OUTBOX_SELECT} WHERE id = ?", (item_id,)).fetchone())

    def outbox(self) -> list[OutboxItem]:
        """Every item in the outbox, in the order they are due."""
        with self._reading() as conn:
            return [_outbox_item(r) for r in conn.execute(f"{_OUTBOX_SELECT} ORDER BY send_at, id")]

    def due_outgoing(self, now: dt.datetime) -> list[OutboxItem]:
        """Queued items whose send time has come."""
        with self._reading() as conn:
            rows = conn.execute(
                f"{_OUTBOX_SELECT} WHERE state = 'queued' AND send_at <= ? ORDER BY send_at, id", (codec.to_ms(now),)
            )
            return [_outbox_item(r) for r in rows]

    def mark_sending(self, item_id: int) -> None:
        """Claim a queued (or failed) item before sending it.

        Raises :class:`OutboxConflict` when the item was cancelled meanwhile (undo) or is already
        being sent: the caller must not send it then.
        """
        self._move_outbox(item_id, ("queued", "failed"), "sending")

    def mark_sent(self, item_id: int, sent_id: str) -> None:
        self._move_outbox(item_id, ("sending",), "sent", sent_id=sent_id)

    def mark_failed(self, item_id: int, error: str) -> None:
        self._move_outbox(item_id, ("sending",), "failed", error=error)

    def requeue_outgoing(self, item_id: int, *, send_at: dt.datetime) -> None:
        """Queue a failed item again, or one left ``sending`` by a crash once the engine has made sure
        (by its Message-ID) that the server did not get it."""
        self._move_outbox(item_id, ("sending", "failed"), "queued", send_at=send_at)

    def cancel_outgoing(self, item_id: int) -> bool:
        """Undo send: drop the item if it has not started sending; True when it was dropped."""
        with self._writing() as conn:
            cursor = conn.execute("DELETE FROM outbox WHERE id = ? AND state IN ('queued', 'failed')", (item_id,))
            return cursor.rowcount == 1

    def _move_outbox(
        self,
        item_id: int,
        sources: tuple[str, ...],
        target: str,
        *,
        sent_id: str | None = None,
        error: str | None = None,
        send_at: dt.datetime | None = None,
    ) -> None:
        with self._writing() as conn:
            row = conn.execute(
                f"UPDATE outbox SET state = ?, sent_id = ?, error = ?, send_at = coalesce(?, send_at)"
                f" WHERE id = ? AND state IN ({','.join('?' * len(sources))}) RETURNING id",
                (target, sent_id, error, codec.to_ms(send_at) if send_at else None, item_id, *sources),
            ).fetchone()
            if row is None:
                current = conn.execute("SELECT state FROM outbox WHERE id = ?", (item_id,)).fetchone()
                state = current[0] if current else "gone (cancelled)"
                raise OutboxConflict(
                    f"Outbox item {item_id} cannot become {target}: it is {state}.",
                    hint="It was changed meanwhile; it is left as it is.",
                )

    # -- local drafts --------------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Keep a draft locally (create or replace by id) until it reaches the server."""
        with self._writing() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO drafts (id, message, message_id, updated) VALUES (?, ?, ?, ?)",
                (
                    draft.id,
                    codec.dumps(codec.outgoing_to_json(draft.message)),
                    draft.message_id,
                    codec.to_ms(draft.updated) if draft.updated else None,
                ),
            )

    def drafts(self) -> list[Draft]:
        """Local drafts, most recently updated first."""
        with self._reading() as conn:
            rows = conn.execute("SELECT id, message, message_id, updated FROM drafts ORDER BY updated DESC, id")
            return [
                Draft(
                    id=r[0],
                    message=codec.outgoing_from_json(json.loads(r[1])),
                    message_id=r[2],
                    updated=codec.from_ms(r[3]) if r[3] is not None else None,
                )
                for r in rows
            ]

    def delete_draft(self, draft_id: str) -> None:
        with self._writing() as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # -- attachments ---------------------------------------------------------------------------

    def cached_attachment(self, message_id: str, attachment_id: str) -> bytes | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT data FROM attachment_content WHERE message_id = ? AND attachment_id = ?",
                (message_id, attachment_id),
            ).fetchone()
        return bytes(row[0]) if row else None

    def cache_attachment(self, message_id: str, attachment_id: str, data: bytes) -> None:
        """Keep a fetched attachment's contents; they go when the message goes."""
        with self._writing() as conn:
            if not conn.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone():
                raise StoreError(
                    f"Message {message_id} is not in the store, so its attachment cannot be cached.",
                    hint="Sync again; the message may have been deleted on the server.",
                )
            conn.execute(
                "INSERT OR REPLACE INTO attachment_content (message_id, attachment_id, data) VALUES (?, ?, ?)",
                (message_id, attachment_id, data),
            )

    # -- local signatures ----------------------------------------------------------------------

    def signatures(self) -> list[Signature]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT id, name, html, text, default_for_new, default_for_replies FROM signatures ORDER BY position"
            )
            return [Signature(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5])) for r in rows]

    def save_signature(self, s: Signature) -> None:
        """Create or replace a signature by id; a new one goes last."""
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO signatures (id, position, name, html, text, default_for_new, default_for_replies)"
                " VALUES (?, (SELECT coalesce(max(position), -1) + 1 FROM signatures), ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name, html = excluded.html, text = excluded.text,"
                " default_for_new = excluded.default_for_new, default_for_replies = excluded.default_for_replies",
                (s.id, s.name, s.html, s.text, s.default_for_new, s.default_for_replies),
            )

    def delete_signature(self, id: str) -> None:
        with self._writing() as conn:
            conn.execute("DELETE FROM signatures WHERE id = ?", (id,))

    def optimize(self) -> None:
        """Merge the full-text index into one segment and refresh the planner's statistics.

        Worth it after a large sync: each row probe of a search then reads one segment instead of
        one per inserted batch (see :func:`host.store.search.fts_condition`). Takes ~2 s per
        100,000 messages, holding the write lock; readers go on meanwhile.
        """
        with self._writing() as conn:
            conn.execute("INSERT INTO message_fts (message_fts) VALUES ('optimize')")
            conn.execute("PRAGMA optimize")

    # -- health --------------------------------------------------------------------------------

    def integrity_check(self) -> str:
        """SQLite's integrity check: ``"ok"``, or the problems found, one a line.

        It runs on the writer's connection. On the reader's, FTS5's part of the check could read an index
        structure that connection had cached before the writer merged segments, and report a corruption
        that is not in the file (a fresh connection and the writer found none; about one run in ten of
        the concurrent readers-and-writers test)."""
        with self._write_lock, _store_errors():
            self._check_open()
            return "\n".join(r[0] for r in self._writer.execute("PRAGMA integrity_check"))


# -- connection set-up and migrations ----------------------------------------------------------


def _connect(path: Path, key: bytes) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # A wrong key is reported as a StoreError; SQLCipher's own log would print it on stderr too.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # A raw key skips the passphrase KDF (~100 ms per open; DESIGN §2). It must come first.
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # cipher_memory_security stays at its default, OFF: wiping every freed buffer costs ~60% of
        # the insert rate (DESIGN §4), and the same plaintext sits in this process's objects anyway.
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as error:
            raise StoreError(
                f"The mail database {path.name} cannot be opened with its key ({error}).",
                hint="Sign out and sign in again: the mail is downloaded again from the server.",
            ) from error
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Sorts and temporary indexes in RAM: SQLCipher does not encrypt temporary files.
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        # Where a search stages its full-text matches (see host.store.search.full_text_filter).
        conn.execute("CREATE TEMP TABLE search_matches (num INTEGER PRIMARY KEY)")
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: Any) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST_VERSION:
        raise StoreError(
            f"The mail database was written by a newer zoomclient (schema {version}, this one knows {LATEST_VERSION}).",
            hint="Update zoomclient, or sign out and in again to rebuild the database.",
        )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements:
                conn.execute(statement)
            if migration.backfill is not None:
                migration.backfill(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


@contextmanager
def _store_errors() -> Iterator[None]:
    try:
        yield
    except sqlcipher.Error as error:
        raise StoreError(
            f"The mail database failed: {error}.",
            hint="Check the free disk space; if it keeps failing, sign out and in again to rebuild it.",
        ) from error


# -- rows to and from the model ----------------------------------------------------------------


def _existing_nums(conn: Any, ids: Sequence[str]) -> dict[str, int]:
    """The stored ones of ``ids``, with their nums."""
    found: dict[str, int] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):  # stay under SQLite's bound-parameter limit
        chunk = unique[start : start + 500]
        found.update(conn.execute(f"SELECT id, num FROM messages WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def _message_row(m: Message) -> tuple[Any, ...]:
    return (
        m.id,
        m.thread_id,
        codec.to_ms(m.date),
        m.subject,
        codec.dumps(codec.address_to_json(m.sender)) if m.sender else None,
        codec.addresses_to_json(m.to),
        codec.addresses_to_json(m.cc),
        codec.addresses_to_json(m.bcc),
        codec.addresses_to_json(m.reply_to),
        m.unread,
        m.flagged,
        m.has_attachments,
        m.snippet,
        m.size,
        m.message_id_header,
        m.in_reply_to,
        codec.dumps(list(m.references)),
        m.parse_note,
        codec.dumps(m.provider_data),
    )


def _link_folders(conn: Any, links: Sequence[tuple[str, str, int, int, bool]]) -> None:
    """``(message id, folder id, position, date, unread)`` rows; a message's folder ids unique."""
    insert_rows(conn, "INSERT INTO message_folders (message_id, folder_id, position, date, unread)", links)


def _address_uses(message: Message, date: int) -> list[tuple[str, str, int]]:
    """What the address book counts of a new message: everyone in its From, To and Cc."""
    people = ([message.sender] if message.sender else []) + list(message.to) + list(message.cc)
    return [(a.email, a.name, date) for a in people if a.email]


def _scrubbed(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8 (lone surrogates become "?")."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, tuple):
        return tuple(_scrubbed(v) for v in value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {_scrubbed(k): _scrubbed(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return attrs.evolve(value, **{f.name: _scrubbed(getattr(value, f.name)) for f in attrs.fields(type(value))})
    return value


def _write_index(conn: Any, stale: Iterable[int], entries: Iterable[tuple[Any, ...]]) -> None:
    """Remove and add full-text entries, after every other write of the batch.

    FTS5 flushes the entries it holds in memory to a new on-disk segment whenever a later statement
    opens a statement savepoint (any statement with a trigger, a foreign key or an upsert does).
    Writing the index entry by entry between the other writes made a segment per message and cost
    more than half of the insert time; last in the batch, it makes one segment per batch.
    """
    conn.executemany("DELETE FROM message_fts WHERE rowid = ?", [(num,) for num in stale])
    insert_rows(conn, "INSERT INTO message_fts (rowid, subject, sender, recipients, body)", entries)


def _index_addresses(addresses: Sequence[Address]) -> str:
    return " ".join(f"{a.name} {a.email}" for a in addresses)


def _index_body(message: Message) -> str:
    if message.body_text or not message.body_html:
        return message.body_text
    # HTML-only mail: index its words, not its markup nor its styles and scripts. nh3 strips in
    # linear time whatever the HTML; the space before each tag keeps "<p>a</p><p>b</p>" two words.
    text = nh3.clean(message.body_html.replace("<", " <"), tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(text)


def _sender(value: str | None) -> Address | None:
    return codec.address_from_json(json.loads(value)) if value else None


def _folder_ids(conn: Any, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    if ids:
        rows = conn.execute(
            f"SELECT message_id, folder_id FROM message_folders WHERE message_id IN ({','.join('?' * len(ids))})"
            " ORDER BY message_id, position",
            list(ids),
        )
        for message_id, folder_id in rows:
            found.setdefault(message_id, []).append(folder_id)
    return {k: tuple(v) for k, v in found.items()}


def _summaries(
    conn: Any,
    where: Sequence[str],
    params: Sequence[Any],
    folder_id: str | None,
    limit: int,
    before: tuple[dt.datetime, str] | None,
    *,
    walk: bool,
    dates: tuple[int | None, int | None] = (None, None),
) -> list[MessageSummary]:
    """A page of summaries, newest first: walking a date index (``walk``), else sorting what ``where``
    selects (for a handful of full-text matches). ``dates`` bounds the date: from (inclusive), until."""
    conditions = list(where)
    args = list(params)
    date = "m.date" if folder_id is None or not walk else "f.date"  # the walked index's, to seek on it
    for bound, operator in zip(dates, (">=", "<"), strict=True):
        if bound is not None:
            conditions.append(f"{date} {operator} ?")
            args.append(bound)
    if folder_id is None or not walk:
        source = "messages AS m INDEXED BY messages_by_date" if walk else "messages AS m"
        order = "m.date DESC, m.id DESC"
        if folder_id is not None:
            conditions.append(folder_condition(1))
            args.append(folder_id)
        if before is not None:
            conditions.append("(m.date, m.id) < (?, ?)")
            args.extend((codec.to_ms(before[0]), before[1]))
    else:
        # Walk the folder's own date index; the join fetches only the rows that make the page.
        source = "message_folders AS f INDEXED BY message_folders_by_date JOIN messages AS m ON m.id = f.message_id"
        order = "f.date DESC, f.message_id DESC"
        conditions.insert(0, "f.folder_id = ?")
        args.insert(0, folder_id)
        if before is not None:
            conditions.append("(f.date, f.message_id) < (?, ?)")
            args.extend((codec.to_ms(before[0]), before[1]))
    sql = f"SELECT {_SUMMARY_COLUMNS} FROM {source}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    rows = conn.execute(f"{sql} ORDER BY {order} LIMIT ?", (*args, max(limit, 0))).fetchall()
    folders = _folder_ids(conn, [r[0] for r in rows])
    return [
        MessageSummary(
            id=r[0],
            thread_id=r[1],
            subject=r[2],
            sender=_sender(r[3]),
            to=codec.addresses_from_json(r[4]),
            date=codec.from_ms(r[5]),
            snippet=r[6],
            folder_ids=folders.get(r[0], ()),
            unread=bool(r[7]),
            flagged=bool(r[8]),
            has_attachments=bool(r[9]),
            size=r[10],
        )
        for r in rows
    ]


def _message(conn: Any, r: Sequence[Any]) -> Message:
    message_id = r[1]
    attachments = conn.execute(
        "SELECT id, filename, content_type, size, content_id, inline, kind, url FROM attachments"
        " WHERE message_id = ? ORDER BY position",
        (message_id,),
    ).fetchall()
    return Message(
        id=message_id,
        thread_id=r[2],
        date=codec.from_ms(r[3]),
        subject=r[4],
        sender=_sender(r[5]),
        to=codec.addresses_from_json(r[6]),
        cc=codec.addresses_from_json(r[7]),
        bcc=codec.addresses_from_json(r[8]),
        reply_to=codec.addresses_from_json(r[9]),
        folder_ids=_folder_ids(conn, [message_id]).get(message_id, ()),
        unread=bool(r[10]),
        flagged=bool(r[11]),
        snippet=r[12],
        size=r[13],
        message_id_header=r[14],
        in_reply_to=r[15],
        references=tuple(json.loads(r[16])),
        parse_note=r[17],
        provider_data=json.loads(r[18]),
        body_text=r[19],
        body_html=r[20],
        headers=tuple((name, value) for name, value in json.loads(r[21])),
        raw=bytes(r[22]) if r[22] is not None else None,
        attachments=tuple(
            Attachment(
                id=a[0],
                filename=a[1],
                content_type=a[2],
                size=a[3],
                content_id=a[4],
                inline=bool(a[5]),
                kind=a[6],
                url=a[7],
            )
            for a in attachments
        ),
    )


def _walk(conn: Any, folder_id: str | None, at_or_before: int | None) -> Iterator[tuple[str, str, int]]:
    """``(message id, thread id, date)`` of a folder's messages, newest first, read a chunk at a time."""
    if folder_id is None:
        base = "SELECT m.id, m.thread_id, m.date FROM messages AS m INDEXED BY messages_by_date WHERE 1"
        date, key, order = "m.date", "(m.date, m.id)", "m.date DESC, m.id DESC"
        args: list[Any] = []
    else:
        base = (
            "SELECT f.message_id, m.thread_id, f.date FROM message_folders AS f INDEXED BY message_folders_by_date"
            " JOIN messages AS m ON m.id = f.message_id WHERE f.folder_id = ?"
        )
        date, key, order = "f.date", "(f.date, f.message_id)", "f.date DESC, f.message_id DESC"
        args = [folder_id]
    chunk = 200
    condition, extra = (f" AND {date} <= ?", [at_or_before]) if at_or_before is not None else ("", [])
    while True:
        rows = conn.execute(f"{base}{condition} ORDER BY {order} LIMIT {chunk}", [*args, *extra]).fetchall()
        yield from rows
        if len(rows) < chunk:
            return
        condition, extra = f" AND {key} < (?, ?)", [rows[-1][2], rows[-1][0]]


def _thread_date(conn: Any, thread_id: str, folder_id: str | None) -> int:
    if folder_id is None:
        return conn.execute("SELECT max(date) FROM messages WHERE thread_id = ?", (thread_id,)).fetchone()[0]
    return conn.execute(
        "SELECT max(f.date) FROM messages AS m JOIN message_folders AS f ON f.message_id = m.id AND f.folder_id = ?"
        " WHERE m.thread_id = ?",
        (folder_id, thread_id),
    ).fetchone()[0]


def _thread(conn: Any, thread_id: str, date: int) -> Thread:
    rows = conn.execute(
        "SELECT id, subject, sender, unread FROM messages WHERE thread_id = ? ORDER BY date, id", (thread_id,)
    ).fetchall()
    ids = [r[0] for r in rows]
    folder_lists = _folder_ids(conn, ids)
    folders = dict.fromkeys(f for message_id in ids for f in folder_lists.get(message_id, ()))
    participants = dict.fromkeys(s for s in (_sender(r[2]) for r in rows) if s is not None)
    return Thread(
        id=thread_id,
        subject=rows[0][1],
        message_ids=tuple(ids),
        last_date=codec.from_ms(date),
        folder_ids=tuple(folders),
        unread_count=sum(r[3] for r in rows),
        participants=tuple(participants),
    )


_OUTBOX_SELECT = "SELECT id, message, send_at, state, message_id_header, sent_id, error FROM outbox"


def _outbox_item(r: Sequence[Any]) -> OutboxItem:
    return OutboxItem(
        id=r[0],
        message=codec.outgoing_from_json(json.loads(r[1])),
        send_at=codec.from_ms(r[2]),
        state=r[3],
        message_id_header=r[4],
        sent_id=r[5],
        error=r[6],
    )

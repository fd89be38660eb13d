"""A batch is written in a few statements (host.store.bulk): what that keeps and what it is for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher
from store_helpers import make_message

from host.model.mail import Address, Attachment
from host.store import MailStore
from host.store.addresses import record_addresses
from host.store.bulk import MAX_PARAMETERS, insert_rows


class Stepping:
    """A connection that counts the statements Python runs through it, each time one is run (an
    ``executemany`` runs its statement once a row): each run lets go of the interpreter lock."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.runs: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.runs.append(sql)
        return self.conn.execute(sql, *args)

    def executemany(self, sql: str, rows: Iterable[Any]) -> Any:
        rows = list(rows)
        self.runs.extend([sql] * len(rows))
        return self.conn.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_rows_beyond_the_parameter_limit_take_more_statements_and_keep_their_order() -> None:
    conn = Stepping(sqlcipher.connect(":memory:"))
    conn.execute("CREATE TABLE t (a, b, c)")
    rows = [(i, f"b{i}", bytes([i % 256])) for i in range(MAX_PARAMETERS // 3 + 5)]
    insert_rows(conn, "INSERT INTO t (a, b, c)", rows)
    assert len(conn.runs) == 3  # the table, and the rows in two
    assert conn.execute("SELECT a, b, c FROM t ORDER BY rowid").fetchall() == rows
    insert_rows(conn, "INSERT INTO t (a, b, c)", [])
    assert len(conn.runs) == 4  # the SELECT; nothing to write runs nothing


def test_an_upsert_sees_a_key_repeated_in_one_statement_as_it_would_row_by_row(store: MailStore) -> None:
    with store.transaction():
        record_addresses(
            store._writer,
            [("ana@example.com", "Ana", 2), ("ana@example.com", "Ana Lima", 3), ("ana@example.com", "", 1)],
        )
    row = store._writer.execute("SELECT name, uses, last_date FROM addresses WHERE email = 'ana@example.com'")
    assert row.fetchone() == ("Ana Lima", 3, 3)


def test_a_page_of_messages_is_written_in_a_handful_of_statements(store: MailStore) -> None:
    """Why the batch is one statement a table: the writer thread lets go of the interpreter lock for
    each statement and must wait for it back from the thread parsing the next page (host.store.bulk)."""
    page = [
        make_message(
            n,
            to=(Address("me@example.com", "Me"), Address(f"cc{n}@example.com")),
            folder_ids=("INBOX", "Label_1"),
            attachments=(Attachment("2", f"file{n}.pdf", "application/pdf", 10),),
        )
        for n in range(500)
    ]
    store._writer = conn = Stepping(store._writer)
    store.upsert_messages(page)
    inserts = [sql for sql in conn.runs if sql.lstrip().upper().startswith("INSERT")]
    # messages, bodies, folder links, attachments, addresses, the full-text index: one each
    assert len(inserts) == 6, [sql[:40] for sql in inserts[:10]]
    assert len(conn.runs) < 12
    assert store.count()[0] == 500
    assert store.get_message("m0499").attachments[0].filename == "file499.pdf"
    assert [f for f in store.get_message("m0007").folder_ids] == ["INBOX", "Label_1"]
    assert store.search("cc42@example.com")[0].id == "m0042"

"""Writing a batch of rows in a few statements rather than one statement a row.

The sync engine writes from a worker thread while the event loop parses the next page. The sqlite
module lets go of the interpreter lock for every statement it steps and must take it back after:
``executemany`` steps once a row, so a page of 500 messages let go and took back the lock thousands
of times, and each time waited for the parsing thread to yield it (up to the switch interval, 5 ms).
The writer then ran only while the loop waited for the network. One ``INSERT ... VALUES (..), (..)``
for a whole batch steps once: SQLite does all of it (encryption and the full-text index included)
with the lock let go, beside the parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: Bound parameters a statement may hold: SQLite's default since 3.32 (builds may allow more).
MAX_PARAMETERS = 32766


def insert_rows(conn: Any, head: str, rows: Sequence[Sequence[Any]], *, values: str = "", tail: str = "") -> None:
    """``{head} VALUES {values}, {values}, ... {tail}`` for ``rows``, as few statements as the parameter
    limit allows. ``values`` is one row's group, by default ``(?, ?, ...)`` as wide as the rows; give it to
    put constants beside the parameters (``"(?, ?, 1, ?)"``). Rows are written in order, so an upsert's
    ``ON CONFLICT`` sees a key repeated in ``rows`` as it would one row a statement."""
    if not rows:
        return
    width = len(rows[0])
    group = values or "(" + ", ".join("?" * width) + ")"
    per_statement = MAX_PARAMETERS // width
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = f"{head} VALUES {', '.join([group] * len(chunk))} {tail}"
        conn.execute(sql, [value for row in chunk for value in row])

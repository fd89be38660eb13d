"""The address book the composer completes from: everyone seen in a message's From, To or Cc."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from host.store.bulk import insert_rows

_RECORD = "INSERT INTO addresses (email, name, uses, last_date)"
_RECORD_VALUES = "(?, ?, 1, ?)"
_RECORD_CONFLICT = """
    ON CONFLICT (email) DO UPDATE SET
        name = CASE WHEN excluded.name != '' AND excluded.last_date >= last_date THEN excluded.name ELSE name END,
        uses = uses + 1,
        last_date = max(last_date, excluded.last_date)
"""


def record_addresses(conn: Any, uses: Iterable[tuple[str, str, int]]) -> None:
    """Count each ``(email, name, date_ms)`` use of an address."""
    insert_rows(conn, _RECORD, list(uses), values=_RECORD_VALUES, tail=_RECORD_CONFLICT)


def stored_uses(rows: Iterable[tuple[int, str | None, str, str]]) -> Iterator[tuple[str, str, int]]:
    """The address uses of stored ``(date_ms, sender, to, cc)`` rows (the columns' JSON as stored)."""
    for date, sender, to, cc in rows:
        found = [json.loads(sender)] if sender else []
        found += json.loads(to) + json.loads(cc)
        yield from ((email, name, date) for email, name in found if email)


def like_prefix(prefix: str) -> str:
    """A LIKE pattern matching ``prefix`` literally at the start (with ``ESCAPE '\\'``)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

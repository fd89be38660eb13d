"""The address book the composer completes from: everyone seen in a message's From, To or Cc."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

_RECORD = """
    INSERT INTO addresses (email, name, uses, last_date) VALUES (?, ?, 1, ?)
    ON CONFLICT (email) DO UPDATE SET
        name = CASE WHEN excluded.name != '' AND excluded.last_date >= last_date THEN excluded.name ELSE name END,
        uses = uses + 1,
        last_date = max(last_date, excluded.last_date)
"""


def record_addresses(conn: Any, rows: Iterable[tuple[int, str | None, str, str]]) -> None:
    """Count each address of each ``(date_ms, sender, to, cc)`` row (the columns' JSON as stored)."""
    params = []
    for date, sender, to, cc in rows:
        found = [json.loads(sender)] if sender else []
        found += json.loads(to) + json.loads(cc)
        params.extend((email, name, date) for email, name in found if email)
    conn.executemany(_RECORD, params)


def like_prefix(prefix: str) -> str:
    """A LIKE pattern matching ``prefix`` literally at the start (with ``ESCAPE '\\'``)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

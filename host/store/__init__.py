"""The encrypted mail store: one SQLCipher database per account (see README.md beside this file)."""

from host.store.codec import outgoing_from_json, outgoing_to_json
from host.store.errors import OutboxConflict, StoreError
from host.store.query import Query, Term, format_query, parse_query
from host.store.queues import OutboxItem, PendingChange
from host.store.store import MailStore, new_key, wipe_database

__all__ = [
    "MailStore",
    "OutboxConflict",
    "OutboxItem",
    "PendingChange",
    "Query",
    "StoreError",
    "Term",
    "format_query",
    "new_key",
    "outgoing_from_json",
    "outgoing_to_json",
    "parse_query",
    "wipe_database",
]

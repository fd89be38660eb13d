"""Helpers shared by the sync tests and the child process of the crash test (importable as ``sync_support``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from host.store.store import MailStore
from host.sync import RetryPolicy, SyncSettings

#: Retries without real waiting: faults are injected on purpose, and tests must stay fast.
FAST_RETRY = RetryPolicy(base=0.005, cap=0.02, attempts=5, rate_limited_attempts=20)
FAST = SyncSettings(retry=FAST_RETRY, undo_delay=dt.timedelta(seconds=30))

Snapshot = dict[str, tuple[frozenset[str], bool, bool]]


def server_mail(state: Any) -> Snapshot:
    """Every message on the emulator: id -> (folders, unread, flagged)."""
    with state.lock:
        return {m.id: (frozenset(m.folder_ids), m.unread, m.flagged) for m in state.messages.values()}


def server_folders(state: Any) -> set[str]:
    with state.lock:
        return set(state.folders)


def local_mail(store: MailStore) -> Snapshot:
    """Every message in the store, in the same shape as :func:`server_mail`."""
    found: Snapshot = {}
    for message_id in store.all_ids():
        message = store.get_message(message_id)
        assert message is not None
        found[message_id] = (frozenset(message.folder_ids), message.unread, message.flagged)
    return found


def assert_converged(store: MailStore, state: Any) -> None:
    """The store holds exactly the server's mail and folders, each message once."""
    assert store.integrity_check() == "ok"
    local, server = local_mail(store), server_mail(state)
    assert set(local) == set(server), (sorted(set(local) - set(server)), sorted(set(server) - set(local)))
    assert local == server
    assert store.count()[0] == len(server)  # each message once
    assert {f.id for f in store.folders()} == server_folders(state)


def open_store(path: Path, key: bytes) -> MailStore:
    return MailStore.open(path, key)

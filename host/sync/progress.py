"""Progress events of the sync engine, for the CLI's progress bar and the UI's status bar."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

import attrs

log = logging.getLogger(__name__)


class SyncPhase(enum.Enum):
    FOLDERS = "folders"
    RECENT = "recent"  # the first page of a full listing: the inbox becomes usable
    BACKFILL = "backfill"  # the rest of the full listing, within the window
    CATCH_UP = "catch-up"  # changes made on the server while the listing ran
    INCREMENTAL = "incremental"
    RESYNC = "resync"  # the server forgot the cursor: a full listing that keeps what is unpushed
    PUSH = "push"  # local changes going to the server
    OUTBOX = "outbox"
    FAILED = "failed"  # a local change or an outgoing message the server refused
    IDLE = "idle"


@attrs.frozen
class SyncProgress:
    """``done`` of ``total`` units (messages, changes); ``total`` is None when the server does not say."""

    phase: SyncPhase
    done: int = 0
    total: int | None = None
    message: str = ""


Subscriber = Callable[[SyncProgress], None]


class ProgressHub:
    """Hands every event to every subscriber; a failing subscriber is logged, never stops the sync."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add ``subscriber``; call what this returns to remove it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def emit(self, progress: SyncProgress) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(progress)
            except Exception:
                log.exception("a sync progress subscriber failed")

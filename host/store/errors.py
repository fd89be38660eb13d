"""What the mail store raises."""

from __future__ import annotations

from host.errors import ZoomclientError


class StoreError(ZoomclientError):
    """The encrypted mail database could not be opened, read or written."""


class OutboxConflict(StoreError):
    """An outbox item is not in the state the caller expected (cancelled by undo, or already sent)."""

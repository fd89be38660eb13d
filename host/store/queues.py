"""The store's durable queues: local changes waiting to be pushed, and the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from host.model.mail import OutgoingMessage

OutboxState = Literal["queued", "sending", "sent", "failed"]


@attrs.frozen
class PendingChange:
    """A change made locally (read, flag, move, label, delete ...) that the server has not taken yet.

    ``kind`` and ``payload`` are the sync engine's; the store only keeps them durably and in order.
    """

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    next_try_at: dt.datetime
    last_error: str | None


@attrs.frozen
class OutboxItem:
    """A message waiting for its send time (undo-send delay, send later), being sent, sent or failed.

    ``message_id_header`` is assigned when the message is queued and sent as its ``Message-ID``, so
    after a crash during ``sending`` the engine can look for it in the sent mail before sending again.
    """

    id: int
    message: OutgoingMessage
    send_at: dt.datetime
    state: OutboxState
    message_id_header: str
    sent_id: str | None = None
    error: str | None = None

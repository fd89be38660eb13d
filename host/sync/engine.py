"""The sync engine: keeps one account's encrypted store in step with its mail provider.

It is plain asyncio and knows nothing of Qt: the CLI awaits :meth:`SyncEngine.sync`, the UI runs
:meth:`SyncEngine.run` on its asyncio thread and subscribes to progress events. Local changes go
through the engine (:meth:`mark_read`, :meth:`move`, :meth:`send` ...) so that each is in the store
and in the push queue in one transaction before the caller gets control back.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from host.errors import ProviderError
from host.model.mail import OutgoingMessage
from host.providers.mail import MailProvider
from host.store.queues import OutboxItem
from host.sync.context import SyncContext, utc_now
from host.sync.limiter import Limiter, RetryPolicy
from host.sync.outbox import OutboxSender
from host.sync.progress import ProgressHub, Subscriber, SyncPhase
from host.sync.pull import Puller
from host.sync.push import Pusher

if TYPE_CHECKING:
    from host.store.store import MailStore

log = logging.getLogger(__name__)


@attrs.frozen
class SyncSettings:
    """``window``: how far back the full listing goes (None: the whole mailbox). ``undo_delay``: how
    long a sent message waits in the outbox, during which it can be taken back. ``poll_interval``:
    seconds between pulls in :meth:`SyncEngine.run`."""

    window: dt.timedelta | None = None
    undo_delay: dt.timedelta = dt.timedelta(seconds=10)
    poll_interval: float = 60.0
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)


class SyncEngine:
    """Drives ``provider`` into ``store``. The caller owns both and closes them after the engine stops."""

    def __init__(
        self,
        provider: MailProvider,
        store: MailStore,
        settings: SyncSettings | None = None,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings or SyncSettings()
        rng = rng or random.Random()
        self.progress = ProgressHub()
        limiter = Limiter(provider.limits.max_concurrency, self.settings.retry, rng)
        self._ctx = SyncContext(provider, store, limiter, self.progress, clock)
        self._puller = Puller(self._ctx, self.settings.window)
        self._pusher = Pusher(self._ctx, rng)
        self._outbox = OutboxSender(self._ctx)
        self._round = asyncio.Lock()
        self._wake = asyncio.Event()
        self._runner: asyncio.Task[None] | None = None

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Receive :class:`~host.sync.progress.SyncProgress` events; returns the unsubscribe call."""
        return self.progress.subscribe(subscriber)

    # -- rounds --------------------------------------------------------------------------------

    async def sync(self) -> None:
        """One whole round: push local changes, send what is due, pull the server's changes.

        Pushing first keeps a pull from briefly undoing a change the user just made.
        """
        async with self._round:
            await self._pusher.push()
            await self._outbox.send_due()
            await self._puller.pull()
            self._ctx.emit(SyncPhase.IDLE)

    async def push(self) -> None:
        """Push local changes and send what is due, without pulling."""
        async with self._round:
            await self._pusher.push()
            await self._outbox.send_due()

    async def run(self) -> None:
        """Sync until cancelled: a pull every ``poll_interval``, pushes as soon as there is something
        to push, outgoing mail at its time. Server errors that outlast the retries are reported as
        FAILED progress and tried again next round; anything else (a broken store, a refused token)
        ends the loop."""
        self._runner = asyncio.current_task()
        try:
            await self._run_rounds()
        finally:
            self._runner = None

    async def stop(self) -> None:
        """Cancel :meth:`run` and wait until it has ended, so that its requests have let go of their
        connections before the session closes the HTTP client."""
        runner = self._runner
        if runner is None or runner is asyncio.current_task():
            return
        runner.cancel()
        await asyncio.wait([runner])

    async def _run_rounds(self) -> None:
        pull_at = 0.0
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            try:
                if loop.time() >= pull_at:
                    pull_at = loop.time() + self.settings.poll_interval
                    await self.sync()
                else:
                    await self.push()
            except ProviderError as error:
                log.warning("sync round failed: %s", type(error).__name__)
                self._ctx.emit(SyncPhase.FAILED, message=str(error))
            timeout = pull_at - loop.time()
            for due in (await self._outbox.next_due(), await self._pusher.next_try_at()):
                if due is not None:
                    timeout = min(timeout, (due - self._ctx.clock()).total_seconds())
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that meets a wake-up,
            # and the cancelled sync then sleeps on for the whole poll interval (a close hung on it).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(timeout, 0.0)):
                    await self._wake.wait()

    def wake(self) -> None:
        """Make :meth:`run` push now rather than at its next timer."""
        self._wake.set()

    # -- local changes: in the store at once, on the server soon ------------------------------

    async def mark_read(self, ids: Sequence[str], read: bool = True) -> None:
        await self._pusher.modify(ids, unread=not read)
        self.wake()

    async def set_flagged(self, ids: Sequence[str], flagged: bool = True) -> None:
        await self._pusher.modify(ids, flagged=flagged)
        self.wake()

    async def change_labels(self, ids: Sequence[str], *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> None:
        """Add and remove labels (on folder providers, categories). Archive is ``remove=[inbox id]``."""
        await self._pusher.modify(ids, add=add, remove=remove)
        self.wake()

    async def move(self, ids: Sequence[str], folder_id: str) -> None:
        await self._pusher.move(ids, folder_id)
        self.wake()

    async def trash(self, ids: Sequence[str]) -> None:
        await self._pusher.trash(ids)
        self.wake()

    async def delete(self, ids: Sequence[str]) -> None:
        """Delete for good."""
        await self._pusher.delete(ids)
        self.wake()

    async def send(self, message: OutgoingMessage, *, send_at: dt.datetime | None = None) -> OutboxItem:
        """Queue ``message`` for ``send_at`` (send later), by default now + the undo delay."""
        item = await self._outbox.queue(message, send_at or self._ctx.clock() + self.settings.undo_delay)
        self.wake()
        return item

    async def cancel_send(self, item_id: int) -> bool:
        """Undo send: True when the message was taken back before it started sending."""
        return await self._outbox.cancel(item_id)

    async def retry_send(self, item_id: int) -> None:
        """Queue a message the server refused (state ``failed``) again, to go out now."""
        await self._outbox.requeue(item_id, self._ctx.clock())
        self.wake()

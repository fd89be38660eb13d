"""What the parts of the engine share: the provider, the store, the limiter, the progress hub, the clock."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import attrs

from host.providers.mail import MailProvider
from host.sync.limiter import Limiter
from host.sync.progress import ProgressHub, SyncPhase, SyncProgress

if TYPE_CHECKING:
    from host.store.store import MailStore

T = TypeVar("T")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.frozen
class SyncContext:
    provider: MailProvider
    store: MailStore
    limiter: Limiter
    progress: ProgressHub
    clock: Callable[[], dt.datetime] = utc_now

    async def db(self, fn: Callable[[MailStore], T]) -> T:
        """Run ``fn(store)`` in a worker thread so the loop stays responsive while SQLite works.

        Whatever must be atomic goes into one ``fn`` that opens ``store.transaction()``.
        """
        return await asyncio.to_thread(fn, self.store)

    def remote(self, fn: Callable[[], Awaitable[T]], *, retry_transient: bool = True) -> Awaitable[T]:
        """A provider call through the limiter."""
        return self.limiter.call(fn, retry_transient=retry_transient)

    def emit(self, phase: SyncPhase, done: int = 0, total: int | None = None, message: str = "") -> None:
        self.progress.emit(SyncProgress(phase, done, total, message))

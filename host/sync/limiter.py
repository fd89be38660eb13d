"""How the engine calls a provider: bounded concurrency, a shared pause after a 429, retries with back-off."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from host.errors import RateLimited, TransientError

log = logging.getLogger(__name__)

T = TypeVar("T")


@attrs.frozen
class RetryPolicy:
    """Exponential back-off with jitter, capped.

    ``attempts`` bounds the tries of a call that keeps failing with 5xx or dropped connections;
    ``rate_limited_attempts`` those throttled with 429, which under a quota are ordinary flow control
    rather than failure and so get a larger budget.
    """

    base: float = 0.5
    cap: float = 30.0
    attempts: int = 6
    rate_limited_attempts: int = 30

    def delay(self, attempt: int, rng: random.Random) -> float:
        """The wait before try ``attempt + 1``: "equal jitter", half fixed and half random, so that
        clients that failed together do not retry together."""
        ceiling = min(self.cap, self.base * 2 ** max(attempt - 1, 0))
        return rng.uniform(ceiling / 2, ceiling)


class Limiter:
    """Every provider call of one engine passes through here.

    At most ``max_concurrency`` calls are in flight (the provider's per-mailbox limit). A 429 pauses
    *every* call until its ``Retry-After`` has passed, not just the one that got it: the quota is
    per user, so the others would only be throttled too.
    """

    def __init__(self, max_concurrency: int, policy: RetryPolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self._rng = rng or random.Random()
        self._semaphore = asyncio.Semaphore(max(1, max_concurrency))
        self._resume_at = 0.0

    async def call(self, fn: Callable[[], Awaitable[T]], *, retry_transient: bool = True) -> T:
        """``await fn()`` with retries. ``retry_transient=False`` is for calls that must not be repeated
        blindly (a send whose connection dropped may have arrived): a 429 is still retried, since the
        server refused it before doing anything."""
        loop = asyncio.get_running_loop()
        transient = throttled = 0
        while True:
            pause = self._resume_at - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            async with self._semaphore:
                try:
                    return await fn()
                except RateLimited as error:
                    throttled += 1
                    if throttled >= self.policy.rate_limited_attempts:
                        raise
                    wait = error.retry_after if error.retry_after > 0 else self.policy.delay(throttled, self._rng)
                    self._resume_at = max(self._resume_at, loop.time() + wait)
                    log.debug("throttled, waiting %.2f s (try %d)", wait, throttled)
                    continue
                except TransientError:
                    transient += 1
                    if not retry_transient or transient >= self.policy.attempts:
                        raise
            wait = self.policy.delay(transient, self._rng)
            log.debug("transient provider error, retrying in %.2f s (try %d)", wait, transient)
            await asyncio.sleep(wait)

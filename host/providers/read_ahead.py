"""A provider's request made before it is asked for: the next page of a listing, sent as soon as its
token is known, so that the server works on it while the client reads the page it has.

The sync engine asks for page N+1 while it writes page N, but a provider learns N+1's token only
from page N's answer, and reads N into messages before it returns. Started with that token right
after the answer came, the request for N+1 overlaps the reading (and a parser's work) with the
server's. Nothing is stored by it: the engine's writes keep their order and crash consistency.

The request only goes out when the loop next runs, so the page that started it is read with
:func:`read_each`, which gives the loop a turn after each message: the request is on the wire after the
first few, and its answer is taken in as it arrives rather than after the whole page (the server's
work and the client's parsing overlap, and the UI's own requests are not held up for a page's worth).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable, Iterable
from typing import Any, Generic, TypeVar

from host.errors import RateLimited

T = TypeVar("T")
S = TypeVar("S")


class ReadAhead(Generic[T]):
    """At most one request made ahead of being asked for, by what it answers (a page's token, say).

    ``take(key, make)`` awaits the one made ahead for ``key``, or makes it now; one made ahead for
    another key, or on another event loop, is dropped. Errors come out of ``take`` as if it were made
    then, so a throttled read-ahead is tried again by whoever retries ``take``.
    """

    def __init__(self) -> None:
        self._key: Hashable = None
        self._task: asyncio.Task[T] | None = None
        #: A request made ahead was throttled: no more are made. Under a quota the server's pace, not
        #: its latency, bounds the listing, and a request sent early is only refused for longer (its
        #: Retry-After counts from then); asked for when needed, each waits its turn in the limiter.
        self.throttled = False

    async def take(self, key: Hashable, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        task, self._task = self._task, None
        if task is not None and self._key == key and task.get_loop() is asyncio.get_running_loop():
            try:
                return await task
            except RateLimited:
                self.throttled = True
                raise
        _drop(task)
        return await make()

    def start(self, key: Hashable, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        if self.throttled:
            return
        self.cancel()
        self._key = key
        self._task = asyncio.get_running_loop().create_task(make())
        # An answer nobody takes (the sync stopped first) must not be reported as never retrieved.
        self._task.add_done_callback(lambda task: task.cancelled() or task.exception())

    def cancel(self) -> None:
        task, self._task = self._task, None
        _drop(task)

    async def aclose(self) -> None:
        """Cancel the request made ahead and wait until it has let go of its connection: the HTTP client
        closing next must not leave a socket half-open to be collected (and warned about) later."""
        task, self._task = self._task, None
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            _drop(task)
            return
        task.cancel()
        await asyncio.wait([task])


def _drop(task: asyncio.Task[Any] | None) -> None:
    if task is not None and not task.get_loop().is_closed():
        task.cancel()


async def read_each(items: Iterable[S], read: Callable[[S], T]) -> list[T]:
    """``read`` of each item, in order, with a turn for the event loop after each (see the module)."""
    results = []
    for item in items:
        results.append(read(item))
        await asyncio.sleep(0)
    return results

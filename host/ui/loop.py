"""The core's asyncio loop, run in a thread of its own beside the GUI thread (Electrum's pattern)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
_SETTLING_STEPS = 3  # accepting a connection takes three: accept, transport, the server's handler
_SHUTDOWN_ROUNDS = 5  # a cancelled task's clean-up may start tasks of its own; not forever


class LoopThread:
    """A daemon thread running one asyncio loop; :meth:`submit` hands it coroutines from any thread."""

    def __init__(self, name: str = "zoomclient-core") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = threading.Event()

    def start(self) -> LoopThread:
        self._thread.start()
        self._started.wait()
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._started.set)
        self.loop.run_forever()
        # Tasks made in the last moments take their first steps before they are cancelled: a task cancelled
        # before it started never runs its clean-up (asyncio's own, accepting a connection, then leaves the
        # accepted socket open).
        for _ in range(_SETTLING_STEPS):
            self.loop.run_until_complete(asyncio.sleep(0))
        # Whatever is left is cancelled and runs to its end here, and so does what that starts.
        for _ in range(_SHUTDOWN_ROUNDS):
            pending = asyncio.all_tasks(self.loop)
            if not pending:
                break
            for task in pending:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coroutine`` and wait for it: for start-up and shut-down only, never for a user's click."""
        return self.submit(coroutine).result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout)

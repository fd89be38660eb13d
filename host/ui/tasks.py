"""Background work for the GUI: coroutines on the core's loop, results back on the GUI thread (Anki's taskman)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import CancelledError, Future
from typing import Any, TypeVar

from host.ui.loop import LoopThread
from host.ui.qt import QObject, pyqtSignal

log = logging.getLogger(__name__)

T = TypeVar("T")

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs coroutines on the core's loop and calls back on the GUI thread.

    ``run(coro, on_done, on_error)`` returns at once. The callbacks are called on the GUI thread
    (the finished future crosses threads through a queued Qt signal); an error without ``on_error``
    goes to ``default_error`` (the shell's message bar). The runner keeps every running future, so
    nothing is garbage-collected mid-flight, and :meth:`shutdown` cancels them on exit.
    """

    _finished = pyqtSignal(object, object, object)

    def __init__(self, loop: LoopThread, default_error: OnError, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loop = loop
        self.default_error = default_error
        self._running: set[Future[Any]] = set()
        self._closed = False
        self._finished.connect(self._deliver)

    def run(
        self,
        coroutine: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> Future[T]:
        future = self.loop.submit(coroutine)
        self._running.add(future)
        # Called on the loop thread; the signal carries the future over to the GUI thread.
        future.add_done_callback(lambda f: self._emit(f, on_done, on_error))
        return future

    def _emit(self, future: Future[Any], on_done: OnDone | None, on_error: OnError | None) -> None:
        # RuntimeError: the runner was deleted with the window, and nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._finished.emit(future, on_done, on_error)

    def _deliver(self, future: Future[Any], on_done: OnDone | None, on_error: OnError | None) -> None:
        self._running.discard(future)
        if self._closed:
            return  # the window is closing: nobody to call back
        try:
            result = future.result()
        except CancelledError:
            return
        except Exception as error:
            (on_error or self.default_error)(error)
            return
        if on_done is not None:
            try:
                on_done(result)
            except Exception as error:  # a broken callback is shown, never lost in a Qt slot
                log.exception("a task callback failed")
                self.default_error(error)

    @property
    def pending(self) -> int:
        return len(self._running)

    def shutdown(self) -> None:
        """Cancel every running task and call nobody back any more (the window closes)."""
        self._closed = True
        for future in list(self._running):
            future.cancel()
        self._running.clear()

"""Reading the admin policy anew in the background, on the core's loop, each time the account opens.

The ``account_signed_in`` hook must return at once, and the app must not wait for Zoom to start: the
hook starts a task on the running loop (the core's: the app's loop thread, or the command's) and the
saved policy stays in force until the fresh one is saved. One read runs at a time for a secret store;
the tasks are kept here, so that none is collected mid-flight, and the loop cancels them when it ends.
Listeners (the app's status widget) hear of each read's end and of each sign-in and sign-out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from zoom_workplace.session import PolicyCheck, refresh_policy, zoom_account

if TYPE_CHECKING:
    from host.app import Host
    from host.secrets import SecretStore

log = logging.getLogger(__name__)


class PolicyReads:
    """The background reads of the admin policy, one a secret store."""

    def __init__(self) -> None:
        self._running: dict[int, asyncio.Task[PolicyCheck | None]] = {}
        self._listeners: list[Callable[[SecretStore], None]] = []

    def subscribe(self, listener: Callable[[SecretStore], None]) -> Callable[[], None]:
        """Call ``listener(store)`` (on whichever thread it happens) when what is saved in ``store`` about
        the Zoom sign-in or its policy changed; returns the function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda *_: self._listeners.remove(listener) if listener in self._listeners else None

    def announce(self, store: SecretStore) -> None:
        """Tell the listeners that ``store``'s Zoom sign-in or policy changed (a read ended, a sign-in or out)."""
        for listener in list(self._listeners):
            try:
                listener(store)
            except Exception:  # a listener gone wrong must not stop the others
                log.exception("a listener of the Zoom sign-in failed")

    def start(self, store: SecretStore, host: Host | None = None) -> asyncio.Task[PolicyCheck | None] | None:
        """Start reading the policy anew (or return the read running already); None when nobody is signed
        in to Zoom or no loop runs here (then the saved policy stays until the next start)."""
        if zoom_account(store, host) is None:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("no event loop runs here: the Zoom admin policy is read anew at the next account open")
            return None
        key = id(store)
        running = self._running.get(key)
        if running is not None and not running.done():
            return running
        task = loop.create_task(refresh_policy(store, host), name="zoom-admin-policy")
        self._running[key] = task
        task.add_done_callback(lambda done: self._finished(key, store, done))
        return task

    def running(self, store: SecretStore) -> asyncio.Task[PolicyCheck | None] | None:
        task = self._running.get(id(store))
        return task if task is not None and not task.done() else None

    def _finished(self, key: int, store: SecretStore, task: asyncio.Task[PolicyCheck | None]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if task.cancelled():
            return
        if task.exception() is not None:
            # refresh_policy keeps what it can report; anything else is a bug worth a trace in the log.
            log.error("reading the Zoom admin policy failed", exc_info=task.exception())
        self.announce(store)


#: The reads the ``account_signed_in`` hook starts.
POLICY_READS = PolicyReads()

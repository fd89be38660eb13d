"""The core's loop thread: how it stops."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import socket
import warnings

from host.auth import LoopbackListener
from host.ui.loop import LoopThread


def test_stopping_the_loop_closes_the_connections_it_was_still_accepting():
    """The app quits while a sign-in waits for the browser, which has just connected (a speculative
    pre-connect, say): the loop stops with asyncio's accepting of that connection not yet started. Its
    socket must still be closed, not left to the garbage collector (a ResourceWarning, a descriptor held)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(40):
            loop = LoopThread("stopping").start()
            ready: concurrent.futures.Future[int] = concurrent.futures.Future()

            async def sign_in() -> None:
                async with LoopbackListener("/oauth/test/callback", "state") as listener:
                    ready.set_result(listener.port)  # noqa: B023 - this round's
                    await asyncio.Event().wait()  # the browser has not come back yet

            loop.submit(sign_in())
            with socket.create_connection(("127.0.0.1", ready.result(5))):
                loop.stop()  # at once: the connection is accepted by the kernel, not yet by asyncio
        gc.collect()
    assert [str(warning.message) for warning in caught if warning.category is ResourceWarning] == []

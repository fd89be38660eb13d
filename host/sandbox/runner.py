"""Serve ASGI apps with uvicorn on 127.0.0.1 and an ephemeral port, each in a thread of its own.

Tests and ``zoomclient sandbox`` both need emulators that run beside code with its own event loop
(pytest-asyncio's, the host's), so every server gets a thread and a loop of its own and is reached
over real loopback HTTP only.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

import attrs
import uvicorn

from host.errors import ZoomclientError
from host.sandbox.service import SandboxOptions, SandboxService

HOST = "127.0.0.1"


class ServerThread:
    """One ASGI app served by uvicorn on ``127.0.0.1:<ephemeral>`` in a background thread.

    ``start()`` returns the base URL once the server accepts connections; ``stop()`` shuts it down
    and joins the thread. Use it as a context manager to do both.
    """

    def __init__(self, app: Any, *, name: str = "sandbox", startup_timeout: float = 10.0) -> None:
        self.app = app
        self.name = name
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError(f"sandbox server {self.name!r} is not running")
        return f"http://{HOST}:{self.port}"

    def start(self) -> str:
        if self._thread is not None:
            return self.url
        # Binding port 0 ourselves tells us the real port before uvicorn starts, without a race. The
        # explicit IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that name it, and
        # without it every keep-alive request waits ~40 ms for a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sock,), name=f"sandbox-{self.name}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if self._error is not None or not self._thread.is_alive():
                self._thread.join()
                self._thread = None
                raise ZoomclientError(
                    f"The sandbox server {self.name!r} failed to start: {self._error}",
                    hint="Check the emulator's app for errors.",
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ZoomclientError(f"The sandbox server {self.name!r} did not start in {self.startup_timeout:g} s.")
            time.sleep(0.005)
        return self.url

    def _run(self, sock: socket.socket) -> None:
        assert self._server is not None
        try:
            # Server.run makes a fresh event loop in this thread; signal handlers are only installed
            # on the main thread, so Ctrl-C stays with whoever owns it.
            self._server.run(sockets=[sock])
        except BaseException as error:  # reported to start(), which raises it in the caller's thread
            self._error = error
        finally:
            sock.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None
        self._server = None

    def __enter__(self) -> ServerThread:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@attrs.frozen
class RunningService:
    """A started :class:`SandboxService`: its name, the account type it emulates and its base URL."""

    name: str
    provider: str | None
    url: str
    app: Any = attrs.field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "provider": self.provider, "url": self.url}


@contextmanager
def serve_services(services: Iterable[SandboxService], options: SandboxOptions) -> Iterator[list[RunningService]]:
    """Start every service's emulator on its own port; stop them all on exit (also when one fails)."""
    with ExitStack() as stack:
        running = []
        for service in services:
            app = service.create_app(options)
            server = stack.enter_context(ServerThread(app, name=service.name))
            running.append(RunningService(service.name, service.account_type, server.url, app))
        yield running


class ChildEmulator:
    """An emulator served by a child process, so that its CPU time is not the measured client's.

    ``command`` starts the child (a benchmark's own ``--serve`` mode). The child prints its base URL as
    its first line and serves until its standard input closes; the lines it prints after that (its own
    counts, such as the 429s it answered) are in ``epilogue`` once the ``with`` block has ended.
    """

    def __init__(self, command: Sequence[str], *, timeout: float = 60.0) -> None:
        self.command = list(command)
        self.timeout = timeout
        self.url = ""
        self.epilogue: list[str] = []
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ChildEmulator:
        self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.__exit__(None, None, None)
            raise ZoomclientError(f"The emulator process did not start: it said {self.url!r}.")
        return self

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        self.epilogue = process.stdout.read().splitlines()
        process.stdout.close()
        process.wait(timeout=self.timeout)

"""The sync tests' parts: a real TestMail emulator over loopback HTTP, real sign-in, real SQLCipher stores.

``emulator(messages=N, seed=S)`` serves a fresh emulator (stopped when the test ends); ``connect(url)``
signs in against it (authorization code + PKCE, unattended consent) and gives a ProviderConnection
whose client is closed when the test ends.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from testprovider.emulator import TestMailEmulator
from testprovider.signin import open_connection

from host.providers.connection import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.store.store import new_key

sys.path.insert(0, str(Path(__file__).parent))


@attrs.frozen
class Served:
    emulator: TestMailEmulator
    url: str

    @property
    def state(self) -> Any:
        return self.emulator.state


@pytest.fixture
def emulator() -> Iterator[Callable[..., Served]]:
    servers: list[ServerThread] = []

    def start(messages: int = 40, seed: int = 1, events: int = 0, faults: str = "") -> Served:
        app = TestMailEmulator(SandboxOptions(messages=messages, events=events, seed=seed, faults=faults))
        server = ServerThread(app, name="testmail")
        servers.append(server)
        return Served(app, server.start())

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., Any]]:
    connections: list[ProviderConnection] = []

    async def make(url: str) -> ProviderConnection:
        connection = await open_connection(url)
        connections.append(connection)
        return connection

    yield make
    for connection in connections:
        await connection.http.aclose()


@pytest.fixture
def key() -> bytes:
    return new_key()


@pytest.fixture
def served_and_connection(emulator):
    """For synchronous (hypothesis) tests: one emulator, one signed-in connection and their own loop."""
    import asyncio

    served = emulator(messages=1)
    loop = asyncio.new_event_loop()
    connection = loop.run_until_complete(open_connection(served.url))
    yield served, connection, loop
    loop.run_until_complete(connection.http.aclose())
    loop.close()

"""The calendar tests' parts: a TestMail emulator with events over loopback HTTP and a signed-in
calendar provider; the cache under test holds what it returns in memory only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import pytest
from testprovider.calendar import TestCalendarProviderFactory
from testprovider.emulator import TestMailEmulator
from testprovider.signin import open_connection

from host.providers.connection import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions


@attrs.frozen
class Served:
    emulator: TestMailEmulator
    url: str

    @property
    def state(self) -> Any:
        return self.emulator.state


@pytest.fixture
def served() -> Iterator[Served]:
    app = TestMailEmulator(SandboxOptions(messages=20, events=300, seed=5))
    with ServerThread(app, name="testmail") as server:
        yield Served(app, server.url)


@pytest.fixture
async def connection(served: Served) -> AsyncIterator[ProviderConnection]:
    connection = await open_connection(served.url)
    yield connection
    await connection.http.aclose()


@pytest.fixture
def provider(connection: ProviderConnection) -> Any:
    return TestCalendarProviderFactory().open(connection)

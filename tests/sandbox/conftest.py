"""Fixtures for the sandbox toolkit and TestMail tests: an emulator on 127.0.0.1 and a signed-in session."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import pytest
from testprovider.calendar import TestCalendarProvider
from testprovider.emulator import TestMailEmulator
from testprovider.mail import TestMailProvider
from testprovider.signin import open_connection
from testprovider.state import TestMailState

from host.providers.connection import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def emulator() -> TestMailEmulator:
    """A small TestMail emulator (not started): 60 messages, 40 events, data made around NOW."""
    state = TestMailState(messages=60, events=40, now=NOW)
    return TestMailEmulator(SandboxOptions(messages=60, events=40), state=state)


@pytest.fixture
def server(emulator: TestMailEmulator) -> Iterator[ServerThread]:
    with ServerThread(emulator, name="testmail") as running:
        yield running


@pytest.fixture
async def connection(server: ServerThread) -> AsyncIterator[ProviderConnection]:
    connection = await open_connection(server.url)
    yield connection
    await connection.http.aclose()


@pytest.fixture
def mail(connection: ProviderConnection) -> TestMailProvider:
    return TestMailProvider(connection)


@pytest.fixture
def calendar(connection: ProviderConnection) -> TestCalendarProvider:
    return TestCalendarProvider(connection)

"""Fixtures: a Graph emulator on 127.0.0.1 and provider sessions signed in to it with a real
authorization code + PKCE exchange."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from host.providers.connection import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from provider_m365.calendar import M365CalendarProvider
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.signin import open_connection
from provider_m365.mail import M365MailProvider


@pytest.fixture(scope="session")
def specs() -> Path:
    """The shared specs beside the clone (``../shared/specs``), in CI as here."""
    path = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
    assert path.is_dir(), f"the Graph specs are expected at {path}"
    return path


@pytest.fixture
def emulator_options() -> SandboxOptions:
    # Small: the host's MIME parser takes milliseconds a message.
    return SandboxOptions(messages=60, events=60, seed=3)


@pytest.fixture
def emulator(emulator_options: SandboxOptions) -> Iterator[GraphEmulator]:
    yield GraphEmulator(emulator_options)


@pytest.fixture
def server(emulator: GraphEmulator) -> Iterator[str]:
    with ServerThread(emulator, name="m365") as running:
        yield running.url


@pytest_asyncio.fixture
async def connection(server: str) -> AsyncIterator[ProviderConnection]:
    conn = await open_connection(server)
    try:
        yield conn
    finally:
        await conn.http.aclose()


@pytest_asyncio.fixture
async def mail(connection: ProviderConnection) -> M365MailProvider:
    return M365MailProvider(connection)


@pytest_asyncio.fixture
async def calendar(connection: ProviderConnection) -> M365CalendarProvider:
    return M365CalendarProvider(connection)

"""The Zoom emulator on a real loopback port, a real sign-in to it for each test, and the specs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from host.auth import ScopePlan, headless_browser, open_connection, sign_in
from host.providers import ProviderConnection
from host.sandbox.requestlog import LoggedRequest
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore, save_token
from provider_zoommail.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES
from provider_zoommail.calendar import ZoomCalendar
from provider_zoommail.emulator import ZoomEmulator, create_app
from provider_zoommail.mail import ZoomMail

#: The specs live beside the clone (``../shared/specs``), never in the repository.
SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"


@pytest.fixture(scope="session")
def specs() -> dict[str, dict]:
    """The OpenAPI documents the emulator follows: ``mail``, ``calendar`` and ``users``."""
    names = {"mail": "zoom-mail", "calendar": "zoom-calendar", "users": "zoom-users"}
    return {
        key: json.loads((SPECS / f"{name}.openapi.json").read_text(encoding="utf-8")) for key, name in names.items()
    }


@pytest.fixture
def options() -> SandboxOptions:
    return SandboxOptions(messages=60, events=40, seed=7)


@pytest.fixture
def emulator(options: SandboxOptions) -> Iterator[ZoomEmulator]:
    emulator = create_app(options)
    # Metering is tested on its own; elsewhere it would only slow the tests down.
    emulator.faults.set_quota(None)
    yield emulator


@pytest.fixture
def server(emulator: ZoomEmulator) -> Iterator[str]:
    with ServerThread(emulator, name="zoommail") as running:
        yield running.url


@pytest.fixture
async def connection(server: str) -> AsyncIterator[ProviderConnection]:
    plan = ScopePlan(ACCOUNT_TYPE.oauth.identity_scopes, MAIL_SCOPES, CALENDAR_SCOPES)
    signed_in = await sign_in(ACCOUNT_TYPE, plan, open_browser=headless_browser, sandbox_url=server, timeout=20)
    store = MemorySecretStore()
    save_token(store, signed_in.account, signed_in.token)
    connection = open_connection(ACCOUNT_TYPE, signed_in.account, store, timeout=20)
    yield connection
    await connection.http.aclose()


@pytest.fixture
def mail(connection: ProviderConnection) -> ZoomMail:
    return ZoomMail(connection)


@pytest.fixture
def calendar(connection: ProviderConnection) -> ZoomCalendar:
    return ZoomCalendar(connection)


@pytest.fixture
def logged(emulator: ZoomEmulator) -> Callable[..., Awaitable[list[LoggedRequest]]]:
    """``await logged(method, path_contains, count=1)``: the request log's matching entries once
    ``count`` of them are in (the log writes an entry after the answer went out)."""

    async def entries(method: str, path_contains: str, count: int = 1) -> list[LoggedRequest]:
        for _ in range(500):
            found = emulator.log.find(method, path_contains)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"the request log never showed {count} x {method} {path_contains}")

    return entries

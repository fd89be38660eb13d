"""The Google emulator on a real loopback port, and a real sign-in to it for each test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from importlib.resources import files

import pytest

from host.auth import ScopePlan, headless_browser, open_connection, sign_in
from host.providers import ProviderConnection
from host.sandbox.requestlog import LoggedRequest
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore, save_token
from provider_gmail.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES
from provider_gmail.calendar import GoogleCalendar
from provider_gmail.emulator import GoogleEmulator, create_app
from provider_gmail.mail import GmailMail


@pytest.fixture(scope="session")
def documents() -> dict[str, dict]:
    """The discovery documents of google-api-python-client: the spec of what the emulator serves."""
    folder = files("googleapiclient") / "discovery_cache" / "documents"
    return {
        api: json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        for api, name in (("gmail", "gmail.v1"), ("calendar", "calendar.v3"))
    }


@pytest.fixture
def options() -> SandboxOptions:
    return SandboxOptions(messages=120, events=80, seed=7)


@pytest.fixture
def emulator(options: SandboxOptions) -> Iterator[GoogleEmulator]:
    yield create_app(options)


@pytest.fixture
def server(emulator: GoogleEmulator) -> Iterator[str]:
    with ServerThread(emulator, name="google") as running:
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
def mail(connection: ProviderConnection) -> GmailMail:
    return GmailMail(connection)


@pytest.fixture
def calendar(connection: ProviderConnection) -> GoogleCalendar:
    return GoogleCalendar(connection)


@pytest.fixture
def logged(emulator: GoogleEmulator) -> Callable[..., Awaitable[list[LoggedRequest]]]:
    """``await logged(method, path_contains, count=1)``: the request log's matching entries once
    ``count`` of them are in (the log writes an entry after the answer went out, so the client can
    be a moment ahead of it)."""

    async def entries(method: str, path_contains: str, count: int = 1) -> list[LoggedRequest]:
        for _ in range(500):
            found = emulator.log.find(method, path_contains)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"the request log never showed {count} x {method} {path_contains}")

    return entries

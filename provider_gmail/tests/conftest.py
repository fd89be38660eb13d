"""The Google emulator on a real loopback port, and a real sign-in to it for each test."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from importlib.resources import files

import pytest

from host.auth import ScopePlan, headless_browser, open_connection, sign_in
from host.providers import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore, save_token
from provider_gmail.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES
from provider_gmail.calendar import GoogleCalendar
from provider_gmail.emulator import GoogleEmulator, create_app
from provider_gmail.mail import GmailMail


def discovery(name: str) -> dict:
    """A discovery document of google-api-python-client (``gmail.v1``, ``calendar.v3``): the spec."""
    documents = files("googleapiclient") / "discovery_cache" / "documents"
    return json.loads((documents / f"{name}.json").read_text(encoding="utf-8"))


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

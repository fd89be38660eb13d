"""Fixtures: a Graph emulator on 127.0.0.1 and provider sessions signed in to it with a real
authorization code + PKCE exchange."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import pytest_asyncio

from host.model.account import Account
from host.providers.connection import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from provider_m365.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES
from provider_m365.calendar import M365CalendarProvider
from provider_m365.emulator.app import GraphEmulator
from provider_m365.mail import M365MailProvider

#: The shared specs sit beside the clone (../shared), in CI as here.
SPECS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specs"
ALL_SCOPES = (*ACCOUNT_TYPE.oauth.identity_scopes, *MAIL_SCOPES, *CALENDAR_SCOPES)


async def sign_in(base_url: str, scopes: Sequence[str] = ALL_SCOPES, tenant: str = "organizations") -> dict:
    """The token response of a real code + PKCE exchange with the emulator's identity platform."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    redirect_uri = f"http://127.0.0.1:9{ACCOUNT_TYPE.oauth.redirect_path}"  # never called: we read Location
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.get(
            f"/{tenant}/oauth2/v2.0/authorize",
            params={
                "response_type": "code",
                "client_id": ACCOUNT_TYPE.oauth.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(scopes),
                "state": "s1",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        query = parse_qs(urlsplit(answer.headers.get("location", "")).query)
        assert "code" in query, (answer.status_code, answer.text)
        token = await client.post(
            f"/{tenant}/oauth2/v2.0/token",
            data={
                "grant_type": "authorization_code",
                "code": query["code"][0],
                "redirect_uri": redirect_uri,
                "client_id": ACCOUNT_TYPE.oauth.client_id,
                "code_verifier": verifier,
            },
        )
        token.raise_for_status()
        return token.json()


async def open_connection(base_url: str, scopes: Sequence[str] = ALL_SCOPES) -> ProviderConnection:
    token = await sign_in(base_url, scopes)
    account = Account("alex.morgan@example.com", "m365", "Alex Morgan", granted_scopes=tuple(scopes))
    http = httpx.AsyncClient(headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=30)
    return ProviderConnection(account, http, ACCOUNT_TYPE.rebased(base_url).endpoints)


@pytest.fixture
def emulator_options() -> SandboxOptions:
    return SandboxOptions(messages=120, events=60, seed=3)


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

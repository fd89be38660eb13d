"""Signing in to a running Graph emulator without a browser: a real authorization code + PKCE exchange
with its identity platform (unattended consent), for tests and benchmarks that need a provider session
without the host's sign-in flow."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from urllib.parse import parse_qs, urlsplit

import httpx

from host.errors import AuthError
from host.model.account import Account
from host.providers.connection import ProviderConnection
from provider_m365.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES

ALL_SCOPES = (*ACCOUNT_TYPE.oauth.identity_scopes, *MAIL_SCOPES, *CALENDAR_SCOPES)
#: The emulator speaks plain HTTP on 127.0.0.1: no certificates to load (that costs ~80 ms a client).
LOOPBACK = {"verify": False, "timeout": 30.0}


async def sign_in(
    base_url: str,
    scopes: Sequence[str] = ALL_SCOPES,
    tenant: str = "organizations",
    client: httpx.AsyncClient | None = None,
) -> dict:
    """The token response of a real code + PKCE exchange with the emulator's identity platform."""
    if client is None:
        async with httpx.AsyncClient(base_url=base_url, **LOOPBACK) as own:
            return await sign_in(base_url, scopes, tenant, own)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    state = secrets.token_urlsafe(16)
    redirect_uri = f"http://127.0.0.1:9{ACCOUNT_TYPE.oauth.redirect_path}"  # never called: we read Location
    answer = await client.get(
        f"/{tenant}/oauth2/v2.0/authorize",
        params={
            "response_type": "code",
            "client_id": ACCOUNT_TYPE.oauth.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    query = parse_qs(urlsplit(answer.headers.get("location", "")).query)
    if query.get("state") != [state] or "code" not in query:
        raise AuthError(f"The Graph emulator did not authorise: HTTP {answer.status_code} {query}")
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
    """A provider connection to the emulator at ``base_url``; close ``connection.http`` when done."""
    http = httpx.AsyncClient(base_url=base_url, **LOOPBACK)
    token = await sign_in(base_url, scopes, client=http)
    http.headers["Authorization"] = f"Bearer {token['access_token']}"
    info = (await http.get("/oidc/userinfo")).json()
    account = Account(info["email"], "m365", info.get("name", ""), granted_scopes=tuple(token.get("scope", "").split()))
    return ProviderConnection(account, http, ACCOUNT_TYPE.rebased(base_url).endpoints)

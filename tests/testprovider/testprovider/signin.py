"""Signing in to a running TestMail emulator without a browser: a real authorization code + PKCE
exchange against its OAuth server (unattended consent), for tests that need a provider session
without the host's sign-in flow."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from host.errors import AuthError
from host.model.account import Account, Feature
from host.providers.connection import ProviderConnection
from testprovider import names
from testprovider.plugin import ACCOUNT_TYPE

ALL_SCOPES = (*names.IDENTITY_SCOPES, names.MAIL_SCOPE, names.CALENDAR_SCOPE)


async def sign_in(base_url: str, scopes: Sequence[str] = ALL_SCOPES, *, http: httpx.AsyncClient) -> dict[str, Any]:
    """The token response (``access_token``, ``refresh_token``, ``scope`` as granted, ...)."""
    base_url = base_url.rstrip("/")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    state = secrets.token_urlsafe(16)
    redirect_uri = f"http://127.0.0.1:9{names.REDIRECT_PATH}"  # never called: the Location is read instead
    answer = await http.get(
        f"{base_url}/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": names.CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        follow_redirects=False,
    )
    query = parse_qs(urlsplit(answer.headers.get("location", "")).query)
    if query.get("state") != [state] or "code" not in query:
        raise AuthError(f"The TestMail emulator did not authorise: HTTP {answer.status_code} {query}")
    token = await http.post(
        f"{base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": names.CLIENT_ID,
            "code_verifier": verifier,
        },
    )
    token.raise_for_status()
    return token.json()


async def open_connection(
    base_url: str, scopes: Sequence[str] = ALL_SCOPES, **httpx_options: Any
) -> ProviderConnection:
    """A provider connection to the emulator at ``base_url``; close ``connection.http`` when done."""
    http = httpx.AsyncClient(**httpx_options)  # one client: each new one builds an SSL context (~0.1 s)
    try:
        token = await sign_in(base_url, scopes, http=http)
        http.headers["Authorization"] = f"Bearer {token['access_token']}"
        info = (await http.get(f"{base_url.rstrip('/')}/oauth/userinfo")).json()
    except BaseException:
        await http.aclose()
        raise
    granted = tuple(token.get("scope", "").split())
    features = frozenset(
        feature
        for feature, scope in ((Feature.MAIL, names.MAIL_SCOPE), (Feature.CALENDAR, names.CALENDAR_SCOPE))
        if scope in granted
    )
    account = Account(info["email"], names.ACCOUNT_TYPE, info.get("name", ""), features, granted, sandbox_url=base_url)
    return ProviderConnection(account, http, ACCOUNT_TYPE.rebased(base_url).endpoints)

"""What the sign-in tests share besides fixtures: the test account type, its scopes, and a client
that speaks to the authorization server by hand (the tests import it as ``oauth_support``)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import attrs
import httpx

from host.providers import AccountType, OAuthSpec
from host.sandbox.oauth import OAuthServer

CLIENT_ID = "zoomclient-test"
REDIRECT_PATH = "/oauth/test/callback"
IDENTITY = ("openid", "email")
MAIL = ("test.mail.read", "test.mail.send")
CALENDAR = ("test.calendar",)
USER = ("ada@example.com", "Ada Lovelace")

#: The account type as a provider plugin would register it: production URLs that rebasing moves.
ACCOUNT_TYPE = AccountType(
    name="testmail",
    title="Test Mail",
    oauth=OAuthSpec(
        authorize_url="https://accounts.example.invalid/oauth/authorize",
        token_url="https://accounts.example.invalid/oauth/token",
        client_id=CLIENT_ID,
        redirect_path=REDIRECT_PATH,
        identity_scopes=IDENTITY,
        userinfo_url="https://accounts.example.invalid/oauth/userinfo",
        single_use_refresh_tokens=True,
    ),
    endpoints={"api": "https://api.example.invalid"},
)


class Clock:
    """The server's time: starts at a fixed instant and moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@attrs.frozen
class Served:
    url: str
    oauth: OAuthServer
    waiting: threading.Event  # a request reached GET /api/slow

    def authorize_url(self, redirect_uri: str, *, challenge: str | None, state: str = "s1", **extra: str) -> str:
        params = {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": " ".join((*IDENTITY, *MAIL, *CALENDAR)),
            "state": state,
        }
        if challenge is not None:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return f"{self.url}/oauth/authorize?{urlencode(params | extra)}"

    def authorize(self, *, verifier: str | None = None, port: int = 55555, **extra: str) -> dict[str, list[str]]:
        """Run the authorization request; return the query of the redirect it answers with."""
        redirect_uri = f"http://127.0.0.1:{port}{REDIRECT_PATH}"
        challenge = pkce_challenge(verifier) if verifier else None
        response = httpx.get(self.authorize_url(redirect_uri, challenge=challenge, **extra))
        assert response.status_code == 302, response.text
        location = urlsplit(response.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == redirect_uri
        return parse_qs(location.query)

    def token(self, **form: str) -> httpx.Response:
        return httpx.post(f"{self.url}/oauth/token", data={"client_id": CLIENT_ID, **form})

    def exchange(self, code: str, verifier: str, port: int = 55555) -> httpx.Response:
        return self.token(
            grant_type="authorization_code",
            code=code,
            code_verifier=verifier,
            redirect_uri=f"http://127.0.0.1:{port}{REDIRECT_PATH}",
        )

    def tokens(self, **extra: str) -> dict[str, Any]:
        """A token response for the whole authorization code + PKCE dance."""
        verifier = secrets.token_urlsafe(48)
        code = self.authorize(verifier=verifier, **extra)["code"][0]
        response = self.exchange(code, verifier)
        assert response.status_code == 200, response.text
        token: dict[str, Any] = response.json()
        return token


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()

"""One place where TestMail's HTTP answers become the host's errors (host.providers.mail's contract)."""

from __future__ import annotations

from typing import Any

import httpx

from host.errors import AuthError, CursorExpired, ProviderError, RateLimited, TransientError
from host.providers.connection import ProviderConnection

#: 403 reasons that mean "slow down", not "forbidden" (Gmail's usage-limit errors).
RATE_LIMIT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded"})


def _reason(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json().get("error", {})
        return str(body.get("reason", "")), str(body.get("message", ""))
    except (ValueError, AttributeError):
        return "", response.text[:200]


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


class TestMailClient:
    """Requests against TestMail's API with the account's authorised client."""

    __test__ = False

    def __init__(self, connection: ProviderConnection) -> None:
        self.connection = connection

    async def request(self, method: str, path: str, *, cursor: bool = False, **kwargs: Any) -> Any:
        """The JSON answer (None for 204); ``cursor`` marks calls whose 404/410 means CursorExpired."""
        url = self.connection.url("api", path)
        try:
            response = await self.connection.http.request(method, url, **kwargs)
        except httpx.TransportError as error:
            raise TransientError(f"TestMail could not be reached ({type(error).__name__}: {error}).") from error
        status = response.status_code
        if status < 400:
            return response.json() if status != 204 and response.content else None
        reason, message = _reason(response)
        if status == 429 or (status == 403 and reason in RATE_LIMIT_REASONS):
            raise RateLimited(
                f"TestMail is throttling requests: {message}", retry_after=_retry_after(response), status=status
            )
        if status >= 500:
            raise TransientError(f"TestMail had a server error (HTTP {status}).", status=status)
        if cursor and status in (404, 410):
            raise CursorExpired()
        if status == 401:
            raise AuthError("TestMail did not accept the sign-in.", hint="Sign in again.")
        raise ProviderError(f"TestMail refused the request: {message or reason} (HTTP {status}).", status=status)

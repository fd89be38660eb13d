"""The Zoom API client every Zoom plugin uses: JSON over the account's authorised HTTP client, Zoom's
per-account rate limits kept on the client side by label, 429s waited out and retried, and Zoom's
error answers (``{"code": 1001, "message": "..."}``) turned into the host's errors with a hint.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from host.errors import AuthError, ProviderError, RateLimited, TransientError
from zoom_workplace.labels import PRO_LIMITS, RateLabel, RateLimits, label_for

#: The production base URL of every Zoom API.
API_BASE = "https://api.zoom.us/v2"
#: How often a throttled request is retried before RateLimited reaches the caller.
MAX_RETRIES = 3
#: The client keeps a little under Zoom's rates, so that the two clocks' jitter never costs a 429.
SAFETY = 0.9


class ZoomApiError(ProviderError):
    """An error answer of the Zoom API; ``code`` is Zoom's own error code (``1001`` user not found...)."""

    def __init__(self, message: str, *, status: int, code: int | None, hint: str | None = None) -> None:
        super().__init__(message, status=status, hint=hint)
        self.code = code


class LabelBucket:
    """A token bucket for one label: ``rate`` requests a second, as many saved up at most (at least one)."""

    def __init__(self, rate: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.clock = clock
        self.tokens = self.capacity
        self.stamp = clock()

    def wait_time(self) -> float:
        """Take a token and return 0, or return how long until one is there (taking nothing)."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate

    def pause(self, seconds: float) -> None:
        """The server said to wait: empty the bucket for that long."""
        self.tokens = min(self.tokens, -seconds * self.rate)


class RateLimiter:
    """One bucket per label, so a burst of Heavy calls never starves the Light ones (Zoom meters them apart)."""

    def __init__(self, limits: RateLimits = PRO_LIMITS, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.buckets = {label: LabelBucket(limits.per_second(label) * SAFETY, clock) for label in RateLabel}
        self.waited = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, label: RateLabel) -> None:
        async with self._lock:
            while (wait := self.buckets[label].wait_time()) > 0:
                self.waited += wait
                await asyncio.sleep(wait)

    def pause(self, label: RateLabel, seconds: float) -> None:
        self.buckets[label].pause(seconds)


def user_path(user_id: str) -> str:
    """``user_id`` (an id, an email or ``me``) as a path segment."""
    return quote(user_id, safe="@")


def meeting_uuid_path(uuid: str) -> str:
    """A meeting UUID as a path segment: one that starts with ``/`` or holds ``//`` is encoded twice (Zoom's rule)."""
    once = quote(uuid, safe="")
    return quote(once, safe="") if uuid.startswith("/") or "//" in uuid else once


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def error_for(response: httpx.Response) -> ProviderError | AuthError:
    """The host's error for one of Zoom's error answers."""
    body = _json(response)
    code = body.get("code") if isinstance(body, dict) else None
    message = (
        str(body.get("message")) if isinstance(body, dict) and body.get("message") else f"HTTP {response.status_code}"
    )
    status = response.status_code
    if status == 429:
        try:
            retry_after = max(float(response.headers.get("retry-after", "1")), 0.1)
        except ValueError:
            retry_after = 1.0
        return RateLimited(f"Zoom asks to slow down: {message}", retry_after=retry_after)
    if status >= 500:
        return TransientError(f"Zoom had a server error: {message}", status=status, hint="Try again in a moment.")
    if status == 401:
        return AuthError(
            f"Zoom refused the sign-in: {message}",
            hint="Sign out of Zoom and in again: on the Zoom page of File → Settings…, or with `zoomclient zoom "
            "signout` and `zoomclient zoom signin`.",
        )
    if status == 403:
        hint = "Ask your Zoom admin to allow this app, or sign in again granting the access it asks for."
    elif status == 404:
        hint = "It was probably deleted in Zoom; refresh and try again."
    else:
        hint = "Check what was asked; if it looks right, report it with this message."
    return ZoomApiError(f"Zoom refused the request: {message} (code {code}).", status=status, code=code, hint=hint)


class ZoomClient:
    """Requests to the Zoom API (``base_url``, ``https://api.zoom.us/v2`` in production).

    ``http`` is the account's authorised client (:class:`host.auth.AccountHttpClient`): it refreshes the
    access token and saves every rotated refresh token itself. Paths are relative to ``/v2``; the
    label of each request comes from :mod:`zoom_workplace.labels`.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = API_BASE,
        *,
        limiter: RateLimiter | None = None,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter or RateLimiter()
        self.max_retries = max_retries

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        label: RateLabel | None = None,
    ) -> Any:
        """The JSON answer (None for 204); Zoom's errors as the host's. A 429 is retried after
        ``Retry-After`` up to ``max_retries`` times, then raised as RateLimited."""
        label = label or label_for(method, path.split("?", 1)[0])
        query = {
            k: ("true" if v is True else "false" if v is False else str(v))
            for k, v in (params or {}).items()
            if v is not None
        }
        content = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else None
        response = await self.metered(
            label,
            lambda: self.http.request(
                method, self.base_url + path, params=query or None, content=content, headers=headers
            ),
        )
        return _json(response)

    async def metered(
        self,
        label: RateLabel,
        send: Callable[[], Awaitable[httpx.Response]],
        *,
        unreachable: str = "Zoom could not be reached",
    ) -> httpx.Response:
        """``send()`` within the label's rate limit: the answer below 400, Zoom's errors as the host's.
        A 429 is waited out and sent again up to ``max_retries`` times. For requests that are not plain
        JSON (file uploads); ``unreachable`` starts the error when the network fails."""
        attempt = 0
        while True:
            await self.limiter.acquire(label)
            try:
                response = await send()
            except httpx.TransportError as error:
                raise TransientError(
                    f"{unreachable}: {error}.", hint="Check the network connection and try again."
                ) from error
            if response.status_code < 400:
                return response
            error = error_for(response)
            if isinstance(error, RateLimited):
                self.limiter.pause(label, error.retry_after)
                if attempt < self.max_retries:
                    attempt += 1
                    continue
            raise error

    async def get(self, path: str, **params: Any) -> Any:
        return await self.request("GET", path, params=params)

    async def me(self) -> dict[str, Any]:
        """``GET /users/me``: the signed-in user's profile."""
        return dict(await self.get("/users/me"))

    async def aclose(self) -> None:
        await self.http.aclose()

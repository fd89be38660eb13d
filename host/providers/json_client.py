"""What a provider's JSON API client needs besides its error mapping: a token bucket that keeps the
client under the server's rate, query parameters as the wire wants them, and one request over the
account's authorised client with transport failures and error answers raised as the host's errors.

Serves the Gmail / Google Calendar and the Zoom Mail / Zoom Calendar clients; each keeps its own
error mapping (``error_for``), its bucket's size and what a request costs.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from host.errors import AuthError, ProviderError, RateLimited, TransientError

Params = Mapping[str, Any] | Sequence[tuple[str, Any]]
ErrorFor = Callable[[int, Mapping[str, str], Any, str], ProviderError | AuthError]


class TokenBucket:
    """A token bucket: ``acquire(units)`` waits until they are there.

    It refills at ``rate`` units a second up to ``capacity``, and starts full, as servers' buckets do.
    A call leaves ``lag`` seconds of refill in the bucket (a call of the whole bucket aside): the server
    counts a request when it gets to it, a moment after the client did, and a small call sent the
    instant its units are there (just after a batch that emptied both buckets) would find the server's
    bucket that moment short.
    ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        lag: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = capacity
        self.lag = lag
        self.clock = clock
        self.sleep = sleep
        self.tokens = capacity
        self.stamp = clock()
        self.waited = 0.0
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    async def acquire(self, units: float) -> None:
        # A call dearer than the bucket (a 100-unit send into a small test bucket) waits for a full one.
        units = min(units, self.capacity)
        async with self._lock:
            self._refill()
            wanted = min(units + self.lag * self.rate, self.capacity)
            if self.tokens < wanted:
                wait = (wanted - self.tokens) / self.rate
                self.waited += wait
                await self.sleep(wait)
                self._refill()
                # The wait was computed to be enough; rounding must not make it wait again.
                self.tokens = max(self.tokens, wanted)
            self.tokens -= units

    def pause(self, seconds: float) -> None:
        """The server said to wait: empty the bucket so the next calls wait that long."""
        self.tokens = min(self.tokens, -seconds * self.rate)


def query_params(params: Params | None) -> list[tuple[str, str]] | None:
    """Query parameters as strings, booleans as ``true``/``false``, None left out."""
    if not params:
        return None
    items = params.items() if isinstance(params, Mapping) else params
    result = []
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        result.append((key, str(value)))
    return result


def json_or_none(content: bytes) -> Any:
    """A body's JSON; None for an empty body or one that is not JSON."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


async def request_json(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    service: str,
    error_for: ErrorFor,
    bucket: TokenBucket | None,
    params: Params | None = None,
    body: Any = None,
) -> Any:
    """The JSON answer (None for 204); raises the host's errors (``error_for``) for the API's. A rate
    limit answer empties ``bucket`` for as long as the server asked."""
    try:
        response = await http.request(method, url, params=query_params(params), json=body)
    except httpx.TransportError as error:
        raise TransientError(
            f"{service} could not be reached: {error}.", hint="The host tries again shortly."
        ) from error
    if response.status_code >= 400:
        raise answer_error(
            response.status_code,
            response.headers,
            json_or_none(response.content),
            service=service,
            error_for=error_for,
            bucket=bucket,
        )
    return json_or_none(response.content)


def answer_error(
    status: int,
    headers: Mapping[str, str],
    body: Any,
    *,
    service: str,
    error_for: ErrorFor,
    bucket: TokenBucket | None,
) -> ProviderError | AuthError:
    """The host's error for an error answer; a rate limit answer empties ``bucket`` as the server asked."""
    error = error_for(status, headers, body, service)
    if isinstance(error, RateLimited) and bucket is not None:
        bucket.pause(error.retry_after)
    return error


def rate_limited(status: int, headers: Mapping[str, str], service: str, message: str) -> RateLimited:
    """A "slow down" answer, to be tried again after its ``Retry-After`` (1 s where it has none)."""
    try:
        retry_after = float(headers.get("retry-after", "1"))
    except ValueError:
        retry_after = 1.0
    return RateLimited(f"{service} asks to slow down: {message}", retry_after=max(retry_after, 0.1), status=status)


def plain_error(status: int, service: str, message: str) -> ProviderError | AuthError:
    """The error for an answer nothing API-specific explains: a server error is transient, 401 wants a
    new sign-in, 404 and 410 mean the thing is gone, anything else is refused."""
    if status >= 500:
        return TransientError(
            f"{service} had a server error: {message}", status=status, hint="The host tries again shortly."
        )
    if status == 401:
        return AuthError(f"{service} refused the sign-in: {message}", hint="Sign in again.")
    if status in (404, 410):
        return ProviderError(
            f"{service} no longer has it: {message}",
            status=status,
            hint="It was probably changed or deleted elsewhere; the next sync brings the view up to date.",
        )
    return ProviderError(f"{service} refused the request: {message}", status=status)

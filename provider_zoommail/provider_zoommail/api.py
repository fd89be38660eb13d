"""What the Zoom Mail and Zoom Calendar clients share: requests over the account's authorised client,
Zoom's errors (``{"code", "message"}``) mapped to the host's, and Zoom's per-account rate limits.

Zoom limits an account to so many requests a second by each API's label: Light, Medium or Heavy
(Pro plan: 30, 20, 10). The client keeps a little under them with one bucket an account, shared by
its mail and its calendar, whose units are Light requests (a Medium one costs 1.5, a Heavy one 3);
a 429 empties the bucket for as long as ``Retry-After`` says, and is raised as RateLimited for the
engine to retry.
"""

from __future__ import annotations

import asyncio
import enum
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from host.errors import AuthError, ProviderError
from host.providers import ProviderConnection
from host.providers.json_client import TokenBucket, plain_error, rate_limited, request_json

#: The Pro plan's Light limit; the client keeps a little under it so that clock jitter between the
#: two buckets never costs a 429.
REQUESTS_PER_SECOND = 30.0
SAFETY = 0.95
#: Seconds of refill each request leaves in the bucket: the server counts a request when it gets there,
#: and on a busy machine two sent 1/28 s apart may arrive together. The tokens are kept, not spent, so
#: the long-run rate is the same (as Gmail's client does).
LAG = 0.1


class RateLabel(enum.Enum):
    """An API's rate limit label, valued in Light requests."""

    LIGHT = 1.0
    MEDIUM = 1.5
    HEAVY = 3.0


class RateBucket(TokenBucket):
    """A token bucket in Light requests: ``acquire(label)`` waits until the request may go.

    ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        rate: float = REQUESTS_PER_SECOND * SAFETY,
        capacity: float = REQUESTS_PER_SECOND,
        *,
        lag: float = LAG,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, capacity, lag=lag, clock=clock, sleep=sleep)

    async def acquire(self, label: RateLabel) -> None:
        await super().acquire(label.value)


#: One bucket per account and event loop: Zoom limits the account, so its mail and its calendar share
#: one (a bucket's lock belongs to the loop it waits in).
_BUCKETS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str | None], RateBucket]] = (
    weakref.WeakKeyDictionary()
)


def account_bucket(connection: ProviderConnection) -> RateBucket:
    """The running loop's bucket for the connection's account."""
    account = connection.account
    buckets = _BUCKETS.setdefault(asyncio.get_running_loop(), {})
    return buckets.setdefault((account.email.lower(), account.sandbox_url), RateBucket())


def _message(body: Any, status: int) -> str:
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return f"HTTP {status}"


def error_for(status: int, headers: Mapping[str, str], body: Any, service: str) -> ProviderError | AuthError:
    """The host's error for one of Zoom's error answers. A 404 or 410 is left to the caller to read
    as an expired cursor where that is what it means (history, sync tokens)."""
    message = _message(body, status)
    if status == 429:
        return rate_limited(status, headers, service, message)
    if status >= 500 or status == 401:
        return plain_error(status, service, message)
    if status == 403 or (isinstance(body, dict) and body.get("code") == 4711):
        return ProviderError(
            f"{service} refused: {message}",
            status=status,
            hint="Sign in again and allow the requested access, or ask your Zoom admin to enable it.",
        )
    return plain_error(status, service, message)


class ZoomApi:
    """Requests to ``connection.endpoints["zoom"]`` (``https://api.zoom.us/v2``)."""

    def __init__(self, connection: ProviderConnection, service: str, bucket: RateBucket | None = None) -> None:
        self.connection = connection
        self.service = service
        self._bucket = bucket

    @property
    def bucket(self) -> RateBucket:
        """The bucket given, else the account's (see :func:`account_bucket`)."""
        if self._bucket is None:
            self._bucket = account_bucket(self.connection)
        return self._bucket

    @bucket.setter
    def bucket(self, bucket: RateBucket) -> None:
        self._bucket = bucket

    async def request(
        self,
        method: str,
        path: str,
        label: RateLabel,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        body: Any = None,
    ) -> Any:
        """The JSON answer (None for 204); raises the host's errors for Zoom's."""
        await self.bucket.acquire(label)
        return await request_json(
            self.connection.http,
            method,
            self.connection.url("zoom", path),
            service=self.service,
            error_for=error_for,
            bucket=self.bucket,
            params=params,
            body=body,
        )

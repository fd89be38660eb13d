"""What the Gmail and Calendar clients share: requests over the account's authorised client,
Google's errors mapped to the host's, the per-user unit bucket, and the batch endpoint."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

import attrs
import httpx

from host.errors import AuthError, CursorExpired, ProviderError, TransientError
from host.providers import ProviderConnection
from host.providers.json_client import (
    TokenBucket,
    answer_error,
    json_or_none,
    plain_error,
    query_params,
    rate_limited,
    request_json,
)

#: Gmail's per-user quota. The client refills a little slower (SAFETY), so that drift between the
#: two buckets never costs a 429, and each call leaves LAG seconds of refill in the bucket: the server
#: may count a call that much later than the calls before it, against when the client sent it (the
#: way there, the batch parts before it, a busy machine). Units kept are not lost, so the long-run
#: rate is the same; 20 ms proved too little on a loaded two-core machine.
UNITS_PER_SECOND = 250.0
SAFETY = 0.96
LAG = 0.1
#: Calls in one batch request (Gmail advises at most 50).
BATCH_SIZE = 50
#: Reasons in Google's error bodies that mean "slow down", whatever the status.
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})


class UnitBucket(TokenBucket):
    """A token bucket on Google's quota units: ``acquire(units)`` waits until they are there.

    It refills a little slower than the server's and holds as much (a whole batch of 50 gets, 250
    units), and starts full, as the server's bucket does.
    """

    def __init__(
        self,
        rate: float = UNITS_PER_SECOND * SAFETY,
        capacity: float = UNITS_PER_SECOND,
        *,
        lag: float = LAG,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, capacity, lag=lag, clock=clock, sleep=sleep)


@attrs.frozen
class BatchCall:
    """One call of a batch: method, path (below the endpoint's base URL), query, JSON body, unit cost."""

    method: str
    path: str
    params: Mapping[str, Any] | Sequence[tuple[str, Any]] = ()
    body: Any = None
    cost: float = 1


@attrs.frozen
class BatchAnswer:
    """One answer of a batch: the parsed JSON, or the error the call met (not raised)."""

    status: int
    value: Any = None
    error: ProviderError | None = None


def _reasons(body: Any) -> set[str]:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return set()
    return {str(item.get("reason")) for item in error.get("errors", []) if isinstance(item, dict)}


def _message(body: Any, status: int) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return f"HTTP {status}"


def error_for(status: int, headers: Mapping[str, str], body: Any, service: str) -> ProviderError | AuthError:
    """The host's error for one of Google's error answers."""
    reasons = _reasons(body)
    message = _message(body, status)
    if status == 429 or (status == 403 and reasons & RATE_REASONS):
        return rate_limited(status, headers, service, message)
    if status == 410 and "fullSyncRequired" in reasons:
        return CursorExpired(f"{service} no longer knows the sync position.")
    if status == 403 and "insufficientPermissions" in reasons:
        return ProviderError(
            f"{service} refused: the sign-in lacks a permission ({message}).",
            status=status,
            hint="Sign in again and allow the requested access.",
        )
    return plain_error(status, service, message)


class GoogleApi:
    """Requests to one of the account's Google APIs (``endpoint`` names it in connection.endpoints)."""

    def __init__(
        self, connection: ProviderConnection, endpoint: str, service: str, bucket: UnitBucket | None = None
    ) -> None:
        self.connection = connection
        self.endpoint = endpoint
        self.service = service
        self.bucket = bucket

    def url(self, path: str) -> str:
        return self.connection.url(self.endpoint, path)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        body: Any = None,
        cost: float = 1,
    ) -> Any:
        """The JSON answer (None for 204); raises the host's errors for Google's."""
        if self.bucket is not None:
            await self.bucket.acquire(cost)
        return await request_json(
            self.connection.http,
            method,
            self.url(path),
            service=self.service,
            error_for=error_for,
            bucket=self.bucket,
            params=params,
            body=body,
        )

    def _error(self, status: int, headers: Mapping[str, str], body: Any) -> ProviderError | AuthError:
        return answer_error(status, headers, body, service=self.service, error_for=error_for, bucket=self.bucket)

    async def batch(self, batch_path: str, calls: Sequence[BatchCall]) -> list[BatchAnswer]:
        """Send ``calls`` through Google's batch endpoint, at most :data:`BATCH_SIZE` a request.

        Each answer stands for its call, in order; a call's error is returned, not raised (the
        batch itself failing raises).
        """
        answers: list[BatchAnswer] = []
        for start in range(0, len(calls), BATCH_SIZE):
            answers.extend(await self._batch(batch_path, calls[start : start + BATCH_SIZE]))
        return answers

    async def _batch(self, batch_path: str, calls: Sequence[BatchCall]) -> list[BatchAnswer]:
        if self.bucket is not None:
            await self.bucket.acquire(sum(call.cost for call in calls))
        base_path = urlsplit(self.url("")).path.rstrip("/")
        boundary = "batch_" + secrets.token_hex(16)
        chunks = []
        for number, call in enumerate(calls):
            query = urlencode(query_params(call.params) or [], doseq=True)
            target = f"{base_path}/{call.path.lstrip('/')}" + (f"?{query}" if query else "")
            inner = f"{call.method} {target} HTTP/1.1\r\n"
            payload = b""
            if call.body is not None:
                payload = json.dumps(call.body).encode()
                inner += "Content-Type: application/json; charset=UTF-8\r\n"
            chunks.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <item{number}>\r\n\r\n".encode()
                + inner.encode()
                + b"\r\n"
                + payload
                + b"\r\n"
            )
        content = b"".join(chunks) + f"--{boundary}--\r\n".encode()
        try:
            response = await self.connection.http.post(
                self.url(batch_path), content=content, headers={"Content-Type": f"multipart/mixed; boundary={boundary}"}
            )
        except httpx.TransportError as error:
            raise TransientError(
                f"{self.service} could not be reached: {error}.", hint="The host tries again shortly."
            ) from error
        if response.status_code >= 400:
            raise self._error(response.status_code, response.headers, json_or_none(response.content))
        return self._read_batch(response, len(calls))

    def _read_batch(self, response: httpx.Response, count: int) -> list[BatchAnswer]:
        found = _BOUNDARY.search(response.headers.get("content-type", ""))
        if found is None:
            raise TransientError(f"{self.service} answered a batch without a multipart body.")
        by_id: dict[int, BatchAnswer] = {}
        for part in response.content.split(b"--" + found.group(1).encode())[1:]:
            if part.startswith(b"--"):
                break
            outer_head, inner = _split_head(part.strip(b"\r\n"))
            number = _CONTENT_ID.search(outer_head)
            inner_head, body = _split_head(inner)
            lines = inner_head.decode("latin-1").splitlines()
            status_line = lines[0].split() if lines else []
            status = int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 500
            value = json_or_none(body)
            if status >= 400:
                headers = {}
                for line in lines[1:]:
                    name, _, header = line.partition(":")
                    headers[name.strip().lower()] = header.strip()
                answer = BatchAnswer(status, value, self._error(status, headers, value))
            else:
                answer = BatchAnswer(status, value)
            if number is not None:
                by_id[int(number.group(1))] = answer
        return [
            by_id.get(number)
            or BatchAnswer(500, None, TransientError(f"{self.service} left a call of a batch unanswered."))
            for number in range(count)
        ]


_BOUNDARY = re.compile(r'boundary="?([^";]+)"?')
#: A part's Content-ID names the call it answers: ``response-<item7>`` answers ``<item7>``.
_CONTENT_ID = re.compile(rb"^content-id:[^\r\n]*?item(\d+)", re.IGNORECASE | re.MULTILINE)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """A part's head and body, split at the first blank line."""
    match = _BLANK_LINE.search(data)
    if match is None:
        return data, b""
    return data[: match.start()], data[match.end() :]

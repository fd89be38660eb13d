"""HTTP for Microsoft Graph: the ``Prefer`` header on every request, at most four requests in flight per
mailbox, JSON batching (≤ 20 requests a batch), paging through ``@odata.nextLink``, and the one place where
Graph's answers become the host's errors.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import weakref
from collections.abc import AsyncIterator, Sequence
from typing import Any

import attrs
import httpx

from host.errors import AuthError, CursorExpired, ProviderError, RateLimited, TransientError
from host.providers.connection import ProviderConnection

#: Exchange refuses a fifth concurrent request for one mailbox (429 ApplicationThrottled).
MAX_CONCURRENCY = 4
#: JSON batching takes at most 20 requests a batch.
MAX_BATCH = 20
#: Ids that survive moves between folders: without it a message's id changes with every move.
IMMUTABLE_IDS = 'IdType="ImmutableId"'
#: Error codes that mean "your delta link is no longer known: start over".
CURSOR_CODES = frozenset({"syncStateNotFound", "syncStateInvalid", "resyncRequired", "SyncStateNotFound"})
#: Rounds in a row in which every item of a batch is throttled before the batch gives up.
BATCH_RETRIES = 5
#: Throttles waited out inside one request: how many, and the longest Retry-After (seconds) waited.
INLINE_RETRIES = 8
MAX_INLINE_WAIT = 5.0

#: How much faster than the pace learnt from the last throttle each accepted request lets the next go:
#: the budget may have grown (other clients of the mailbox stopped), and only probing finds out.
PACE_GROWTH = 1.005
#: The most a throttle slows the pace learnt before it.
PACE_BACKOFF = 0.8
#: The slowest pace ever kept (requests a second), whatever a throttle suggests.
MIN_PACE = 0.1
#: Seconds between two throttles below which what was accepted between them says nothing of the pace.
MIN_WINDOW = 1.0
#: Seconds with nothing in flight after which the pace learnt is forgotten: the budget refills meanwhile.
IDLE_RESET = 5.0


class MailboxGate:
    """Exchange's limits as this client keeps them for one mailbox: at most four requests in flight,
    everything paused while a short ``Retry-After`` runs, and a pace learnt from the throttling.

    Graph answers a request over the mailbox's budget with 429 and a ``Retry-After`` of whole
    seconds, which is longer than the budget needs to let one more request through: every throttle
    leaves the budget unused for the rest of that second. So after a second throttle the gate spaces
    requests at the rate the budget allowed between the two (accepted requests over the time), lets
    the pause's worth of requests go at once when it ends, and speeds up a little with every accepted
    request until the next throttle says where the budget is. A client never throttled is never paced.
    """

    def __init__(self) -> None:
        self._slots = asyncio.Semaphore(MAX_CONCURRENCY)
        self.pace: float | None = None  # requests a second; None: as fast as the slots allow
        self._resume_at = 0.0
        self._next_at = 0.0
        self._window_start: float | None = None  # when the last throttle came
        self._accepted = 0  # requests accepted since then
        self._burst = 0  # requests that may go unspaced once the pause ends
        self._in_flight = 0
        self._idle_since = 0.0

    @contextlib.asynccontextmanager
    async def slot(self, cost: int = 1) -> AsyncIterator[None]:
        """Hold one of the four slots for a request worth ``cost`` metered requests (a batch: its parts)."""
        loop = asyncio.get_running_loop()
        while (wait := max(self._resume_at, self._next_at if self._burst < cost else 0.0) - loop.time()) > 0:
            await asyncio.sleep(wait)
        now = loop.time()
        if self._in_flight == 0 and now - max(self._idle_since, self._resume_at) > IDLE_RESET:
            self.pace, self._window_start, self._accepted, self._burst = None, None, 0, 0
        if self.pace is not None:
            # The next request after this one waits for the budget this one takes, burst or not.
            self._next_at = (now if self._burst >= cost else max(self._next_at, now)) + cost / self.pace
            self._burst = max(self._burst - cost, 0)
        async with self._slots:
            self._in_flight += 1
            try:
                yield
            finally:
                self._in_flight -= 1
                self._idle_since = loop.time()

    def accepted(self, count: int = 1) -> None:
        self._accepted += count
        if self.pace is not None:
            self.pace *= PACE_GROWTH**count

    def throttled(self, retry_after: float, *, refused: int = 1, learn: bool = True) -> None:
        """``refused`` requests answered 429 with ``retry_after``: every request waits out a short one
        (a long one is the sync engine's to wait out, and a user's own request should fail at once
        rather than hang). After it the budget has refilled by ``retry_after`` seconds of the pace, so
        that many requests go at once before the pace resumes. ``learn=False``: the answer of a burst (a
        batch's parts all sent at once), which says the budget ran out but not that the pace is too fast."""
        now = asyncio.get_running_loop().time()
        if self.pace is not None and refused:
            self._next_at -= refused / self.pace  # what they did not use of the budget, for the next ones
        pause = retry_after if retry_after <= MAX_INLINE_WAIT else 0.0
        if now < self._resume_at:
            # Sent before the pause began (nothing is sent during one): it says nothing new.
            self._resume_at = max(self._resume_at, now + pause)
            return
        self._resume_at = now + pause
        window = now - self._window_start if self._window_start is not None else 0.0
        if learn and window >= MIN_WINDOW and self._accepted:
            estimate = self._accepted / window
            # A fifth slower at most a throttle: the accepted rate underestimates the budget when the
            # window held waits of our own (the pause, a slow answer that left nothing to send).
            self.pace = max(MIN_PACE, estimate if self.pace is None else max(estimate, self.pace * PACE_BACKOFF))
        if self.pace is not None:
            self._burst = round(retry_after * self.pace)
        self._window_start, self._accepted = now, 0


# One gate per mailbox, shared by the mail and calendar sessions of an account (they share its client).
_GATES: weakref.WeakKeyDictionary[httpx.AsyncClient, MailboxGate] = weakref.WeakKeyDictionary()


@attrs.frozen
class BatchResult:
    """One answer of a batch: the status, its headers, and the body (JSON, or bytes for ``$value``)."""

    id: str
    status: int
    headers: dict[str, str]
    body: Any


def _retry_after(headers: Any, default: float = 1.0) -> float:
    try:
        return max(0.0, float(headers.get("Retry-After") or headers.get("retry-after") or default))
    except (TypeError, ValueError):
        return default


def _error_parts(body: Any) -> tuple[str, str]:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or ""), str(error.get("message") or "")
    return "", ""


def graph_error(status: int, headers: Any, body: Any, *, cursor: bool = False) -> Exception:
    """The host error for an answer Graph gave with ``status`` (>= 400)."""
    code, message = _error_parts(body)
    detail = message or code or f"HTTP {status}"
    if status == 429:
        return RateLimited(f"Microsoft 365 is throttling requests ({code or 'TooManyRequests'}).",
                           retry_after=_retry_after(headers))  # fmt: skip
    if cursor and (status == 410 or code in CURSOR_CODES):
        return CursorExpired(f"Microsoft 365 no longer knows the sync position ({code or status}).")
    if status >= 500:
        return TransientError(f"Microsoft 365 had a server error: {detail} (HTTP {status}).", status=status)
    if status == 401:
        return AuthError("Microsoft 365 did not accept the sign-in.", hint="Sign in to the account again.")
    if status == 403:
        return ProviderError(
            f"Microsoft 365 refused access: {detail}",
            status=status,
            hint="Your organisation or the mailbox owner may not allow this; ask them, or sign in again to grant it.",
        )
    if status == 404:
        return ProviderError(
            f"Microsoft 365 does not have that item: {detail}",
            status=status,
            hint="It may have been deleted or moved elsewhere; sync again.",
        )
    return ProviderError(f"Microsoft 365 refused the request: {detail} (HTTP {status}).", status=status)


class GraphClient:
    """Requests against Graph v1.0 for one signed-in account.

    ``prefer`` adds preferences to the ``Prefer`` header (``outlook.timezone="UTC"``) beside the
    immutable-id one every request carries.
    """

    def __init__(self, connection: ProviderConnection, *, prefer: Sequence[str] = ()) -> None:
        self.connection = connection
        self.base = connection.url("graph", "v1.0")
        self.prefer = ", ".join((IMMUTABLE_IDS, *prefer))
        gate = _GATES.get(connection.http)
        if gate is None:
            gate = _GATES[connection.http] = MailboxGate()
        self.gate = gate

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base}/{path.lstrip('/')}"

    def relative(self, link: str) -> str:
        """A next or delta link without our origin, to be kept in a cursor or page token: it then
        still works when the base URL changes (a sandbox restarted on another port)."""
        return link.removeprefix(self.base + "/") if link.startswith(self.base + "/") else link

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        prefer: Sequence[str] = (),
        cursor: bool = False,
        cost: int = 1,
    ) -> httpx.Response:
        """One request; raises the host's error for anything but 2xx.

        A short throttle (429 with a Retry-After of at most ``MAX_INLINE_WAIT``) is waited out here, a
        few times, as Microsoft's own SDKs do: the calls that make up one provider operation (a page
        and its batches) then do not lose the work already done. Longer ones go to the sync engine,
        which pauses every call. Either way the mailbox's gate holds back every other request meanwhile.
        ``cost``: how many metered requests this one is (a batch's parts are metered one by one).
        """
        all_headers = {"Prefer": ", ".join((self.prefer, *prefer)), **(headers or {})}
        for attempt in range(INLINE_RETRIES + 1):
            try:
                async with self.gate.slot(cost):
                    response = await self.connection.http.request(
                        method, self.url(path), params=params, json=json, content=content, headers=all_headers
                    )
            except httpx.TransportError as error:
                raise TransientError(f"Microsoft 365 could not be reached ({type(error).__name__}).") from error
            wait = _retry_after(response.headers, default=MAX_INLINE_WAIT + 1)
            if response.status_code != 429:
                if cost == 1:  # a batch reports its parts itself (see _batch)
                    self.gate.accepted()
                break
            self.gate.throttled(wait)
            if wait > MAX_INLINE_WAIT or attempt == INLINE_RETRIES:
                break
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            raise graph_error(response.status_code, response.headers, body, cursor=cursor)
        return response

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.json("GET", path, **kwargs)

    async def pages(self, path: str, *, params: dict[str, str] | None = None, **kwargs: Any) -> AsyncIterator[dict]:
        """Every page of a collection, following ``@odata.nextLink``."""
        page = await self.get(path, params=params, **kwargs)
        while True:
            yield page
            link = page.get("@odata.nextLink")
            if not link:
                return
            page = await self.get(link, **kwargs)

    async def all(self, path: str, *, params: dict[str, str] | None = None, **kwargs: Any) -> list[dict]:
        items: list[dict] = []
        async for page in self.pages(path, params=params, **kwargs):
            items.extend(page.get("value", []))
        return items

    # -- batching -----------------------------------------------------------------------------------

    async def batch(self, requests: Sequence[dict[str, Any]]) -> list[BatchResult]:
        """Run ``requests`` (``{"method", "url", "body"?, "headers"?}``, urls relative to ``/v1.0``) in
        batches of 20, concurrently within the mailbox's limit; answers in the order asked.

        Items throttled on their own (429 inside a 200 batch) are sent again after their Retry-After.
        """
        numbered = [{"id": str(n), **request} for n, request in enumerate(requests)]
        chunks = [numbered[i : i + MAX_BATCH] for i in range(0, len(numbered), MAX_BATCH)]
        results: dict[str, BatchResult] = {}
        for answers in await asyncio.gather(*(self._batch(chunk) for chunk in chunks)):
            results.update((a.id, a) for a in answers)
        return [results[item["id"]] for item in numbered]

    async def _batch(self, chunk: list[dict[str, Any]]) -> list[BatchResult]:
        done: dict[str, BatchResult] = {}
        pending = chunk
        stalled = 0  # rounds in a row in which nothing got through
        while True:
            body = await self.json("POST", "$batch", json={"requests": pending}, cost=len(pending))
            by_id = {item["id"]: item for item in pending}
            before, pending, wait = len(by_id), [], 0.0
            for answer in body.get("responses", []):
                result = done[str(answer.get("id"))] = _result(answer)
                if result.status == 429:
                    pending.append(by_id[result.id])
                    wait = max(wait, _retry_after(result.headers, default=MAX_INLINE_WAIT + 1))
            self.gate.accepted(before - len(pending))
            if pending:
                self.gate.throttled(wait, refused=len(pending), learn=False)
            stalled = stalled + 1 if len(pending) == before else 0
            # Under a budget a batch gets through a part at a time: go on while it moves. Long throttles
            # go to the engine (the 429 answers stay in the results and raise there).
            if not pending or wait > MAX_INLINE_WAIT or stalled > BATCH_RETRIES:
                break
        return [done[item["id"]] for item in chunk]

    async def batch_values(self, requests: Sequence[dict[str, Any]], *, cursor: bool = False) -> list[Any]:
        """The bodies of a batch's answers; the first error among them is raised."""
        values = []
        for result in await self.batch(requests):
            if result.status >= 400:
                raise graph_error(result.status, result.headers, result.body, cursor=cursor)
            values.append(result.body)
        return values


def _result(answer: dict[str, Any]) -> BatchResult:
    headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
    body = answer.get("body")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "application/json")
    if isinstance(body, str) and not content_type.startswith("application/json"):
        body = base64.b64decode(body)
    return BatchResult(str(answer.get("id")), int(answer.get("status", 500)), headers, body)

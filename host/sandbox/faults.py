"""Fault injection for the emulators: throttling, server errors, latency, dropped connections,
expired cursors and per-user quotas, driven by a spec string or queued exactly by a test.

The spec grammar (``zoomclient sandbox --faults SPEC``, :attr:`SandboxOptions.faults`)::

    spec   := item ("," item)*             whitespace around items is ignored; "" injects nothing
    item   := kind (":" field)*
    429:P[:retry=S]          answer 429 Too Many Requests with ``Retry-After: S`` (default 1) with probability P
    500:P  503:P[:retry=S]   answer that server error with probability P
    latency:D[:P]            delay the answer by D (``50ms``, ``1.5s``, ``2`` = seconds) with probability P (default 1)
    drop:P                   close the connection without any answer with probability P
    expire-cursor:P          the emulator's "is this cursor expired?" question answers yes with probability P
    quota:R[:burst=B]        per-user token bucket: R units per second, B units deep (default R)

Every kind but ``quota`` also takes ``path=REGEX`` (only requests whose path the regular expression
finds; it cannot hold ``,`` or ``:``) and ``method=GET``. Example:
``429:0.1:retry=2,500:0.05,latency:50ms,drop:0.01,expire-cursor:0.02``.

Random faults draw from one ``random.Random(seed)``, so the same requests in the same order meet the
same faults. Queued faults (:meth:`FaultInjector.queue_status` and friends) come before random ones and
hit exactly the next matching requests. Quotas are modelled on the real ones (Gmail: 250 units per
second per user, each method its own cost): the emulator gives each route's cost and the over-quota
answer its API would give (a 429, or a 403 with the provider's error body).
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

import attrs
from starlette.responses import JSONResponse, Response

from host.errors import UsageError

#: The scope key under which the outermost sandbox middleware leaves uvicorn's request cycle.
CONNECTION_KEY = "zoomclient.sandbox.connection"

STATUS_KINDS = ("429", "500", "503")
KINDS = (*STATUS_KINDS, "latency", "drop", "expire-cursor", "quota")


class FaultSpecError(UsageError):
    """A fault spec string that does not follow the grammar."""

    def __init__(self, spec: str, problem: str) -> None:
        super().__init__(
            f"Invalid fault spec {spec!r}: {problem}.",
            hint="Write items like 429:0.1:retry=2,500:0.05,latency:50ms,drop:0.01 (see host.sandbox.faults).",
        )


@attrs.frozen
class FaultRule:
    """One kind of fault: ``kind`` is ``status``, ``latency``, ``drop`` or ``expire-cursor``."""

    kind: str
    probability: float = 1.0
    status: int | None = None
    retry_after: float | None = None
    delay: float = 0.0
    path: str | None = None
    method: str | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def to_spec(self) -> str:
        """This rule in the spec grammar (``parse_fault_spec(rule.to_spec())`` gives it back)."""
        match self.kind:
            case "status":
                head = [str(self.status), _number(self.probability)]
            case "latency":
                head = ["latency", f"{_number(self.delay * 1000)}ms", _number(self.probability)]
            case _:
                head = [self.kind, _number(self.probability)]
        if self.retry_after is not None:
            head.append(f"retry={_number(self.retry_after)}")
        if self.path is not None:
            head.append(f"path={self.path}")
        if self.method is not None:
            head.append(f"method={self.method}")
        return ":".join(head)


@attrs.frozen
class QuotaSpec:
    units_per_second: float
    burst: float | None = None

    def to_spec(self) -> str:
        text = f"quota:{_number(self.units_per_second)}"
        return text + (f":burst={_number(self.burst)}" if self.burst is not None else "")


@attrs.frozen
class FaultSpec:
    rules: tuple[FaultRule, ...] = ()
    quota: QuotaSpec | None = None

    def to_spec(self) -> str:
        items = [rule.to_spec() for rule in self.rules]
        if self.quota is not None:
            items.append(self.quota.to_spec())
        return ",".join(items)


def _number(value: float) -> str:
    return f"{value:.12g}"


def _probability(spec: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(spec, f"{text!r} is not a probability") from None
    if not 0.0 <= value <= 1.0:
        raise FaultSpecError(spec, f"probability {text} is not between 0 and 1")
    return value


def parse_duration(text: str, *, spec: str = "") -> float:
    """``50ms`` / ``1.5s`` / ``2`` -> seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(ms|s)?\s*", text)
    if match is None:
        raise FaultSpecError(spec or text, f"{text!r} is not a duration like 50ms or 1.5s")
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "ms" else value


def _positive(spec: str, text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(spec, f"{what} {text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise FaultSpecError(spec, f"{what} must be a positive number, not {text}")
    return value


def parse_fault_spec(spec: str) -> FaultSpec:
    """Parse the grammar in this module's docstring; raises :class:`FaultSpecError`."""
    rules: list[FaultRule] = []
    quota: QuotaSpec | None = None
    for raw_item in spec.split(",") if spec.strip() else ():
        item = raw_item.strip()
        if not item:
            raise FaultSpecError(spec, "an item is empty")
        kind, *fields = item.split(":")
        kind = kind.strip().lower()
        positional = [f.strip() for f in fields if "=" not in f]
        options: dict[str, str] = {}
        for field in fields:
            if "=" in field:
                key, _, value = field.partition("=")
                key = key.strip().lower()
                if key in options:
                    raise FaultSpecError(spec, f"{key}= is given twice in {item!r}")
                options[key] = value.strip()
        allowed = {"path", "method"}
        if kind not in KINDS:
            raise FaultSpecError(spec, f"unknown fault kind {kind!r} (known: {', '.join(KINDS)})")
        if kind in STATUS_KINDS:
            allowed.add("retry")
            if len(positional) != 1:
                raise FaultSpecError(spec, f"{kind} takes one probability, as in {kind}:0.1")
            retry = options.get("retry")
            rule = FaultRule(
                "status",
                _probability(spec, positional[0]),
                status=int(kind),
                retry_after=_positive(spec, retry, "retry") if retry is not None else (1.0 if kind == "429" else None),
            )
        elif kind == "latency":
            if len(positional) not in (1, 2):
                raise FaultSpecError(spec, "latency takes a duration and an optional probability: latency:50ms:0.5")
            probability = _probability(spec, positional[1]) if len(positional) == 2 else 1.0
            rule = FaultRule("latency", probability, delay=parse_duration(positional[0], spec=spec))
        elif kind == "quota":
            allowed = {"burst"}
            if len(positional) != 1:
                raise FaultSpecError(spec, "quota takes a rate in units per second: quota:250")
            if quota is not None:
                raise FaultSpecError(spec, "quota is given twice")
            burst = options.get("burst")
            quota = QuotaSpec(
                _positive(spec, positional[0], "quota rate"),
                _positive(spec, burst, "burst") if burst is not None else None,
            )
        else:
            if len(positional) != 1:
                raise FaultSpecError(spec, f"{kind} takes one probability, as in {kind}:0.05")
            rule = FaultRule(kind, _probability(spec, positional[0]))
        unknown = set(options) - allowed
        if unknown:
            raise FaultSpecError(spec, f"{kind} does not take {', '.join(sorted(unknown))}=")
        if kind == "quota":
            continue
        if "path" in options:
            try:
                re.compile(options["path"])
            except re.error as error:
                raise FaultSpecError(spec, f"path={options['path']} is not a regular expression: {error}") from None
        rules.append(attrs.evolve(rule, path=options.get("path") or None, method=options.get("method") or None))
    return FaultSpec(tuple(rules), quota)


# -- quotas --------------------------------------------------------------------------------------------


class TokenBucket:
    """``rate`` units a second, at most ``capacity`` saved up; starts full."""

    def __init__(self, rate: float, capacity: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self.tokens = capacity
        self.stamp = clock()

    def take(self, units: float) -> float:
        """Take ``units`` and return 0, or take nothing and return the seconds until they are there.

        A request dearer than the bucket is deep goes through when the bucket is full and leaves it in
        debt, which the following seconds pay off: the average rate still holds, as with the real
        per-user quotas, which are moving averages.
        """
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        need = min(units, self.capacity)
        if self.tokens >= need:
            self.tokens -= units
            return 0.0
        return (need - self.tokens) / self.rate


def authorization_user(scope: Mapping[str, Any]) -> str:
    """The default quota user: whoever holds the bearer token (one token per signed-in user)."""
    for key, value in scope.get("headers", ()):
        if key == b"authorization":
            return value.decode("latin-1")
    return ""


def retry_after_seconds(wait: float) -> int:
    """A ``Retry-After`` value (whole seconds, at least 1) that is never shorter than ``wait``."""
    return max(1, math.ceil(wait))


def too_many_requests(retry_after: float) -> Response:
    return JSONResponse(
        {"error": {"code": 429, "message": "Too many requests."}},
        status_code=429,
        headers={"Retry-After": str(retry_after_seconds(retry_after))},
    )


@attrs.frozen
class QuotaPolicy:
    """How an emulator meters requests: the cost of each route and what an over-quota answer is.

    ``costs`` are ``(method or "*", path regex, units)``, first match wins, else ``default_cost``;
    ``units`` may be a function of the query parameters, for routes whose cost grows with what they
    return (a listing that carries whole messages costs what fetching each would). ``user`` names the
    quota user of a request. ``reject(retry_after)`` builds the answer.
    """

    costs: Sequence[tuple[str, str, float | Callable[[Mapping[str, str]], float]]] = ()
    default_cost: float = 1.0
    user: Callable[[Mapping[str, Any]], str] = authorization_user
    reject: Callable[[float], Response] = too_many_requests

    def cost(self, method: str, path: str, query: Mapping[str, str] | None = None) -> float:
        for rule_method, pattern, units in self.costs:
            if rule_method in ("*", method) and re.search(pattern, path):
                return units(query or {}) if callable(units) else units
        return self.default_cost


# -- the injector --------------------------------------------------------------------------------------


@attrs.frozen
class InjectedFault:
    """What the injector did to one request (or to one cursor check), for tests to assert on."""

    kind: str
    method: str
    path: str
    status: int | None = None
    delay: float = 0.0


def remember_connection(scope: dict[str, Any], send: Callable[..., Any]) -> None:
    """Keep uvicorn's request cycle (which holds the transport) in the scope, for :func:`_drop`.

    ASGI has no way to drop a connection without an answer; uvicorn's ``send`` is a bound method of
    its request cycle, which holds the transport. The outermost sandbox middleware saves it, so that
    middleware further in, whose ``send`` is wrapped, still finds it.
    """
    cycle = getattr(send, "__self__", None)
    if CONNECTION_KEY not in scope and getattr(cycle, "transport", None) is not None:
        scope[CONNECTION_KEY] = cycle


class FaultInjector:
    """Faults from a spec string plus faults queued by tests; wrap an app with :meth:`wrap`.

    ``exempt`` is a path regex that random (spec) faults and quotas leave alone (an emulator's OAuth
    endpoints, say); queued faults still hit it when they match. Thread-safe: tests queue faults from
    their own thread while the server runs in another.
    """

    def __init__(
        self,
        spec: str | FaultSpec = "",
        *,
        seed: int = 1,
        exempt: str | None = None,
        quota_policy: QuotaPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parsed = parse_fault_spec(spec) if isinstance(spec, str) else spec
        self.rules: tuple[FaultRule, ...] = parsed.rules
        self.exempt = exempt
        self.quota_policy = quota_policy or QuotaPolicy()
        self.clock = clock
        self.injected: list[InjectedFault] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._queued: deque[list[Any]] = deque()  # [rule, remaining count]
        self._cursor_expiries = 0
        self._quota: QuotaSpec | None = parsed.quota
        self._buckets: dict[str, TokenBucket] = {}

    # -- the programmatic API --------------------------------------------------------------------------

    def queue(self, rule: FaultRule, *, count: int = 1) -> None:
        """The next ``count`` requests that ``rule`` matches get its fault (probability is ignored)."""
        with self._lock:
            self._queued.append([rule, count])

    def queue_status(
        self,
        status: int,
        *,
        count: int = 1,
        path: str | None = None,
        method: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """E.g. ``queue_status(429, count=2, path="/messages", retry_after=1)``."""
        self.queue(FaultRule("status", status=status, retry_after=retry_after, path=path, method=method), count=count)

    def queue_latency(self, delay: float, *, count: int = 1, path: str | None = None, method: str | None = None):
        self.queue(FaultRule("latency", delay=delay, path=path, method=method), count=count)

    def queue_drop(self, *, count: int = 1, path: str | None = None, method: str | None = None) -> None:
        self.queue(FaultRule("drop", path=path, method=method), count=count)

    def expire_cursors(self, count: int = 1) -> None:
        """The next ``count`` cursor checks answer "expired"."""
        with self._lock:
            self._cursor_expiries += count

    def set_quota(self, units_per_second: float | None, *, burst: float | None = None) -> None:
        """Meter every user at ``units_per_second`` (None: no quota); buckets start full again."""
        with self._lock:
            self._quota = QuotaSpec(units_per_second, burst) if units_per_second else None
            self._buckets.clear()

    def clear(self) -> None:
        """Forget queued faults and the record of injected ones (spec rules and quota stay)."""
        with self._lock:
            self._queued.clear()
            self._cursor_expiries = 0
            self.injected.clear()

    def should_expire_cursor(self, path: str = "") -> bool:
        """Asked by an emulator before it honours a cursor: True means answer as for a forgotten one."""
        with self._lock:
            if self._cursor_expiries:
                self._cursor_expiries -= 1
                expire = True
            else:
                expire = any(
                    rule.kind == "expire-cursor" and rule.matches("GET", path) and self._draw(rule)
                    for rule in self.rules
                )
            if expire:
                self.injected.append(InjectedFault("expire-cursor", "GET", path))
            return expire

    # -- deciding ---------------------------------------------------------------------------------------

    def _draw(self, rule: FaultRule) -> bool:
        # Always draw, so that whether one rule fires never shifts the random stream of the others.
        return self._random.random() < rule.probability

    def _take_queued(self, method: str, path: str) -> list[FaultRule]:
        """Queued faults for this request: every matching latency, then at most one other fault."""
        taken: list[FaultRule] = []
        final_taken = False
        for entry in list(self._queued):
            rule = entry[0]
            if not rule.matches(method, path) or (rule.kind != "latency" and final_taken):
                continue
            taken.append(rule)
            final_taken = final_taken or rule.kind != "latency"
            entry[1] -= 1
            if entry[1] <= 0:
                self._queued.remove(entry)
        return taken

    def decide(
        self, method: str, path: str, user: str = "", query: Mapping[str, str] | None = None
    ) -> tuple[float, FaultRule | Response | None]:
        """Seconds of delay, and the fault (a rule, or a quota answer) for one request of ``user``."""
        with self._lock:
            chosen = self._take_queued(method, path)
            exempt = self.exempt is not None and re.search(self.exempt, path) is not None
            if not exempt:
                for rule in self.rules:
                    if rule.kind == "expire-cursor" or not rule.matches(method, path):
                        continue
                    if self._draw(rule):
                        chosen.append(rule)
            delay = sum(rule.delay for rule in chosen if rule.kind == "latency")
            final = next((rule for rule in chosen if rule.kind != "latency"), None)
            if delay:
                self.injected.append(InjectedFault("latency", method, path, delay=delay))
            if final is None and not exempt and self._quota is not None:
                wait = self._meter(method, path, user, query)
                if wait:
                    self.injected.append(InjectedFault("quota", method, path, delay=wait))
                    return delay, self.quota_policy.reject(wait)
            if final is not None:
                self.injected.append(InjectedFault(final.kind, method, path, status=final.status))
            return delay, final

    def _meter(self, method: str, path: str, user: str, query: Mapping[str, str] | None) -> float:
        assert self._quota is not None
        bucket = self._buckets.get(user)
        if bucket is None:
            rate = self._quota.units_per_second
            bucket = self._buckets[user] = TokenBucket(rate, self._quota.burst or rate, self.clock)
        return bucket.take(self.quota_policy.cost(method, path, query))

    # -- the middleware -----------------------------------------------------------------------------------

    def wrap(self, app: Any) -> Any:
        """``app`` behind this injector, as an ASGI app."""
        injector = self

        async def faulty_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            remember_connection(scope, send)
            method, path = scope["method"], scope["path"]
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            delay, fault = injector.decide(method, path, injector.quota_policy.user(scope), query)
            if delay:
                await asyncio.sleep(delay)
            if fault is None:
                await app(scope, receive, send)
            elif isinstance(fault, Response):
                await fault(scope, receive, send)
            elif fault.kind == "drop":
                await _drop(scope, send)
            else:
                await _status_response(fault)(scope, receive, send)

        return faulty_app


def _status_response(rule: FaultRule) -> Response:
    headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
    reason = {429: "Too many requests.", 500: "Internal error.", 503: "Service unavailable."}.get(
        rule.status or 500, "Injected fault."
    )
    return JSONResponse(
        {"error": {"code": rule.status, "message": reason}}, status_code=rule.status or 500, headers=headers
    )


async def _drop(scope: Mapping[str, Any], send: Callable[..., Any]) -> None:
    """Close the connection without a byte of answer; the client sees the server disconnect."""
    cycle = scope.get(CONNECTION_KEY)
    if cycle is None:
        # A server that hides its transport: start an answer and never finish it, which every
        # ASGI server turns into a closed connection mid-response.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]})
        return
    cycle.transport.close()
    # Let the loop run connection_lost, so that uvicorn knows the client is gone and does not try
    # to answer for us.
    for _ in range(10):
        if getattr(cycle, "disconnected", True):
            break
        await asyncio.sleep(0)

"""Fault injection: the spec grammar, and every kind of fault as an httpx client sees it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from host.sandbox.faults import (
    FaultInjector,
    FaultRule,
    FaultSpec,
    FaultSpecError,
    QuotaPolicy,
    QuotaSpec,
    parse_duration,
    parse_fault_spec,
)
from host.sandbox.requestlog import RequestLog
from host.sandbox.runner import ServerThread


async def ok(request):
    return JSONResponse({"ok": True, "path": request.url.path})


APP = Starlette(routes=[Route("/api/messages", ok, methods=["GET", "POST"]), Route("/oauth/token", ok)])


@pytest.fixture
def serve() -> Iterator:
    """``serve(injector)`` starts APP behind ``injector`` and returns a client for it; both closed after."""
    opened: list[tuple[ServerThread, httpx.Client]] = []

    def start(injector: FaultInjector) -> httpx.Client:
        server = ServerThread(injector.wrap(APP))
        client = httpx.Client(base_url=server.start())
        opened.append((server, client))
        return client

    yield start
    for server, client in opened:
        client.close()
        server.stop()


# -- the grammar -------------------------------------------------------------------------------------------


def test_the_documented_example_parses() -> None:
    spec = parse_fault_spec("429:0.1:retry=2,500:0.05,503:0.05,latency:50ms,drop:0.01,expire-cursor:0.02")
    assert spec.rules == (
        FaultRule("status", 0.1, status=429, retry_after=2.0),
        FaultRule("status", 0.05, status=500),
        FaultRule("status", 0.05, status=503),
        FaultRule("latency", 1.0, delay=0.05),
        FaultRule("drop", 0.01),
        FaultRule("expire-cursor", 0.02),
    )
    assert spec.quota is None


def test_options_quota_and_whitespace() -> None:
    spec = parse_fault_spec(" 429:1:path=/messages$:method=post , quota:250:burst=500, latency:1.5s:0.5 ")
    assert spec.rules[0] == FaultRule("status", 1.0, status=429, retry_after=1.0, path="/messages$", method="post")
    assert spec.rules[1] == FaultRule("latency", 0.5, delay=1.5)
    assert spec.quota == QuotaSpec(250.0, 500.0)


def test_empty_spec_injects_nothing() -> None:
    assert parse_fault_spec("") == FaultSpec()
    assert parse_fault_spec("   ") == FaultSpec()


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("404:0.1", "unknown fault kind"),
        ("429", "one probability"),
        ("429:1.5", "between 0 and 1"),
        ("500:x", "not a probability"),
        ("latency:fast", "not a duration"),
        ("drop:0.1:retry=2", "does not take retry="),
        ("429:0.1,,500:0.1", "an item is empty"),
        ("quota:0", "positive"),
        ("quota:10,quota:20", "given twice"),
        ("429:0.1:path=(", "not a regular expression"),
        ("429:0.1:retry=1:retry=2", "given twice"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec: str, problem: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_spec(spec)
    assert problem in str(caught.value)
    assert caught.value.hint


def test_durations() -> None:
    assert parse_duration("50ms") == 0.05
    assert parse_duration("1.5s") == 1.5
    assert parse_duration("2") == 2.0


probabilities = st.floats(0, 1, allow_nan=False).map(lambda p: round(p, 6))
paths = st.one_of(st.none(), st.sampled_from(["/messages", "^/api/", "history$"]))
methods = st.one_of(st.none(), st.sampled_from(["GET", "POST"]))
statuses = st.builds(
    FaultRule,
    kind=st.just("status"),
    probability=probabilities,
    status=st.sampled_from([429, 500, 503]),
    retry_after=st.one_of(st.none(), st.integers(1, 60).map(float)),
    path=paths,
    method=methods,
)
latencies = st.builds(
    FaultRule,
    kind=st.just("latency"),
    probability=probabilities,
    delay=st.integers(0, 5000).map(lambda ms: ms / 1000),
    path=paths,
    method=methods,
)
others = st.builds(
    FaultRule, kind=st.sampled_from(["drop", "expire-cursor"]), probability=probabilities, path=paths, method=methods
)
quotas = st.one_of(
    st.none(),
    st.builds(QuotaSpec, st.integers(1, 1000).map(float), st.one_of(st.none(), st.integers(1, 5000).map(float))),
)


@given(st.builds(FaultSpec, st.lists(st.one_of(statuses, latencies, others), max_size=6).map(tuple), quotas))
def test_any_spec_round_trips_through_its_text(spec: FaultSpec) -> None:
    parsed = parse_fault_spec(spec.to_spec())
    expected = tuple(
        # A 429 without retry= means Retry-After 1, the default the parser fills in.
        FaultRule(r.kind, r.probability, r.status, 1.0, r.delay, r.path, r.method)
        if r.status == 429 and r.retry_after is None
        else r
        for r in spec.rules
    )
    assert parsed == FaultSpec(expected, spec.quota)


@given(st.text(max_size=40))
def test_the_parser_never_fails_with_anything_but_a_spec_error(text: str) -> None:
    with contextlib.suppress(FaultSpecError):
        parse_fault_spec(text)


# -- the faults on the wire ------------------------------------------------------------------------------


def test_queued_429_with_retry_after_hits_exactly_the_next_matching_requests(serve) -> None:
    faults = FaultInjector()
    client = serve(faults)
    faults.queue_status(429, count=2, path="/messages", retry_after=1)
    assert client.get("/oauth/token").status_code == 200  # does not match the path
    first, second, third = (client.get("/api/messages") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "1"
    assert first.json()["error"]["code"] == 429
    assert [f.kind for f in faults.injected] == ["status", "status"]


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors(serve, status: int) -> None:
    faults = FaultInjector(f"{status}:1")
    client = serve(faults)
    assert client.get("/api/messages").status_code == status


def test_method_filter(serve) -> None:
    faults = FaultInjector("503:1:method=POST")
    client = serve(faults)
    assert client.get("/api/messages").status_code == 200
    assert client.post("/api/messages").status_code == 503


def test_latency_delays_the_answer(serve) -> None:
    faults = FaultInjector()
    client = serve(faults)
    faults.queue_latency(0.2, path="/messages")
    started = time.monotonic()
    response = client.get("/api/messages")
    # A lower bound only: the server slept at least this long before answering.
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200
    assert faults.injected[-1].kind == "latency" and faults.injected[-1].delay == 0.2


def test_dropped_connection_gets_no_answer_at_all(serve) -> None:
    faults = FaultInjector()
    log = RequestLog()
    server = ServerThread(log.wrap(faults.wrap(APP)))
    with server:
        faults.queue_drop(path="/messages")
        with httpx.Client(base_url=server.url) as client:
            with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
                client.get("/api/messages")
            assert client.get("/api/messages").status_code == 200  # the next one is fine
    assert [entry.status for entry in log.entries] == [None, 200]


def test_drop_from_the_spec(serve) -> None:
    client = serve(FaultInjector("drop:1"))
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/api/messages")


def test_expired_cursors_are_asked_for_by_the_emulator() -> None:
    faults = FaultInjector()
    assert not faults.should_expire_cursor("/history")
    faults.expire_cursors(2)
    assert [faults.should_expire_cursor("/history") for _ in range(3)] == [True, True, False]
    assert FaultInjector("expire-cursor:1").should_expire_cursor("/history")
    assert not FaultInjector("expire-cursor:1:path=events").should_expire_cursor("/history")
    assert [f.kind for f in faults.injected] == ["expire-cursor", "expire-cursor"]


def test_random_faults_are_deterministic_for_a_seed(serve) -> None:
    def answers(seed: int) -> list[int]:
        client = serve(FaultInjector("429:0.3,500:0.2", seed=seed))
        return [client.get("/api/messages").status_code for _ in range(40)]

    first = answers(7)
    assert first == answers(7)
    assert {429, 500, 200} <= set(first)
    assert first != answers(8)


def test_exempt_paths_escape_random_faults_but_not_queued_ones(serve) -> None:
    faults = FaultInjector("500:1", exempt="^/oauth/")
    client = serve(faults)
    assert client.get("/oauth/token").status_code == 200
    assert client.get("/api/messages").status_code == 500
    faults.queue_status(503, path="/oauth/")
    assert client.get("/oauth/token").status_code == 503


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quota_is_a_token_bucket_per_user_with_route_costs(serve) -> None:
    clock = FakeClock()
    policy = QuotaPolicy(costs=[("GET", r"/messages$", 5.0)], default_cost=1.0)
    faults = FaultInjector("quota:10", quota_policy=policy, clock=clock)
    client = serve(faults)
    ada = {"Authorization": "Bearer ada"}
    bob = {"Authorization": "Bearer bob"}
    assert [client.get("/api/messages", headers=ada).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/messages", headers=ada)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"  # 5 units at 10 units/s: half a second, rounded up
    assert client.get("/api/messages", headers=bob).status_code == 200  # another user, another bucket
    clock.now += 0.5
    assert client.get("/api/messages", headers=ada).status_code == 200
    assert [f.kind for f in faults.injected] == ["quota"]
    assert faults.injected[0].delay == pytest.approx(0.5)


def test_a_request_dearer_than_the_bucket_borrows_from_the_next_seconds(serve) -> None:
    clock = FakeClock()
    policy = QuotaPolicy(costs=[("GET", r"/messages$", lambda query: 5.0 * int(query.get("n", "1")))])
    faults = FaultInjector("quota:10", quota_policy=policy, clock=clock)
    client = serve(faults)
    assert client.get("/api/messages", params={"n": "6"}).status_code == 200  # 30 units from a full 10
    refused = client.get("/api/messages")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3"  # 20 in debt + 5 needed
    clock.now += 2.5
    assert client.get("/api/messages").status_code == 200


def test_over_quota_answer_is_the_emulators_choice(serve) -> None:
    clock = FakeClock()

    def forbidden(retry_after: float):
        return JSONResponse({"error": {"reason": "userRateLimitExceeded"}}, status_code=403)

    faults = FaultInjector(quota_policy=QuotaPolicy(reject=forbidden), clock=clock)
    faults.set_quota(1)
    client = serve(faults)
    assert client.get("/api/messages").status_code == 200
    refused = client.get("/api/messages")
    assert refused.status_code == 403
    assert refused.json()["error"]["reason"] == "userRateLimitExceeded"
    faults.set_quota(None)
    assert client.get("/api/messages").status_code == 200


def test_clear_forgets_queued_faults(serve) -> None:
    faults = FaultInjector()
    client = serve(faults)
    faults.queue_status(500, count=5)
    faults.clear()
    assert client.get("/api/messages").status_code == 200
    assert faults.injected == []

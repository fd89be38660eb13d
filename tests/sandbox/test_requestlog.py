"""The request log: what the client sent, with secrets redacted."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from host.sandbox.requestlog import REDACTED, RequestLog
from host.sandbox.runner import ServerThread


async def echo(request):
    body = await request.body()
    return JSONResponse({"length": len(body)}, status_code=201 if request.method == "POST" else 200)


APP = Starlette(routes=[Route("/{path:path}", echo, methods=["GET", "POST", "PUT"])])


def test_records_method_path_query_headers_body_and_status() -> None:
    log = RequestLog()
    with ServerThread(log.wrap(APP)) as server, httpx.Client(base_url=server.url) as client:
        answer = client.post("/events", params={"sendUpdates": "none"}, json={"summary": "Täglich"})
        client.get("/events/1", headers={"X-Trace": "abc"})
    first, second = log.entries
    assert answer.json() == {"length": len(first.body)}  # the app got the body the log kept
    assert (first.method, first.path, first.query, first.status) == ("POST", "/events", "sendUpdates=none", 201)
    assert first.query_params == {"sendUpdates": ["none"]}
    assert first.json == {"summary": "Täglich"}
    assert first.header("content-type") == "application/json"
    assert (second.method, second.status, second.json, second.header("x-trace")) == ("GET", 200, None, "abc")
    assert len(log) == 2
    assert log.find("post") == [first]
    assert log.find(path_contains="/events/") == [second]


def test_authorization_and_form_secrets_never_enter_the_log() -> None:
    log = RequestLog()
    with ServerThread(log.wrap(APP)) as server, httpx.Client(base_url=server.url) as client:
        client.get("/me", headers={"Authorization": "Bearer s3cr3t-token", "Cookie": "session=s3cr3t-cookie"})
        client.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": "s3cr3t-refresh", "client_id": "app"},
        )
    entries = log.entries
    assert entries[0].header("authorization") == f"Bearer {REDACTED}"
    assert entries[0].header("cookie") == REDACTED
    assert "grant_type=refresh_token" in entries[1].text and "client_id=app" in entries[1].text
    assert "s3cr3t" not in repr(entries) + "".join(e.text + str(e.headers) for e in entries)


def test_the_app_still_reads_the_whole_body() -> None:
    log = RequestLog()
    payload = b"x" * 200_000  # several receive() messages
    with ServerThread(log.wrap(APP)) as server, httpx.Client(base_url=server.url) as client:
        assert client.put("/blob", content=payload).json() == {"length": len(payload)}
    assert log.entries[0].body == payload


def test_clear_and_a_body_check_across_requests() -> None:
    log = RequestLog()
    with ServerThread(log.wrap(APP)) as server, httpx.Client(base_url=server.url) as client:
        client.post("/events", json={"summary": "a", "conferenceData": {"createRequest": {}}})
        assert any("conferenceData" in (entry.json or {}) for entry in log)
        log.clear()
        client.post("/events", json={"summary": "b"})
    assert not any("conferenceData" in (entry.json or {}) for entry in log)
    assert len(log) == 1

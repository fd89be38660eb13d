"""The uvicorn runner: 127.0.0.1, ephemeral ports, several at once, clean stop."""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from host.sandbox.runner import ServerThread, serve_services
from host.sandbox.service import SandboxOptions, SandboxService


def hello_app(text: str = "hello") -> Starlette:
    async def hello(request):
        return PlainTextResponse(text)

    return Starlette(routes=[Route("/", hello)])


def test_serves_on_loopback_with_an_ephemeral_port_and_stops() -> None:
    server = ServerThread(hello_app())
    url = server.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        assert server.port is not None and server.port > 0
        assert httpx.get(url).text == "hello"
    finally:
        server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_several_servers_at_once_get_their_own_ports() -> None:
    with ServerThread(hello_app("a")) as first, ServerThread(hello_app("b")) as second:
        assert first.port != second.port
        assert httpx.get(first.url).text == "a"
        assert httpx.get(second.url).text == "b"


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_the_listening_socket_is_bound_to_loopback_only() -> None:
    with ServerThread(hello_app()) as server:
        rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        listening = {row[1] for row in rows if row[3] == "0A"}  # 0A = LISTEN
        assert f"0100007F:{server.port:04X}" in listening  # 127.0.0.1
        assert f"00000000:{server.port:04X}" not in listening  # 0.0.0.0


def test_a_request_still_running_when_the_server_stops_has_its_connection_closed() -> None:
    """uvicorn waits for running requests only so long; the connections it then gives up on are closed
    (else their sockets wait for the garbage collector, a ResourceWarning in whatever test runs then)."""
    started = threading.Event()

    async def slow(request):
        started.set()
        await asyncio.sleep(30)
        return PlainTextResponse("late")

    server = ServerThread(Starlette(routes=[Route("/", slow)]))
    server.start()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert started.wait(10)
        server.stop()
        received = b""
        while chunk := client.recv(1024):  # a timeout here: the server left its end open
            received += chunk
        assert not received or received.startswith(b"HTTP/1.1 500")  # cancelled, it may say so first


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        _ = ServerThread(hello_app()).url


def test_serve_services_starts_every_service_and_stops_them() -> None:
    seen: list[SandboxOptions] = []

    def make(text: str):
        def create_app(options: SandboxOptions):
            seen.append(options)
            return hello_app(text)

        return create_app

    services = [SandboxService("one", make("1"), account_type="x"), SandboxService("two", make("2"))]
    options = SandboxOptions(messages=3)
    with serve_services(services, options) as running:
        assert [r.to_json()["name"] for r in running] == ["one", "two"]
        assert [r.provider for r in running] == ["x", None]
        assert [httpx.get(r.url).text for r in running] == ["1", "2"]
        urls = [r.url for r in running]
    assert seen == [options, options]
    for url in urls:
        with pytest.raises(httpx.ConnectError):
            httpx.get(url)

"""The one-shot loopback listener: one answer, on 127.0.0.1 alone, with the right state."""

from __future__ import annotations

import asyncio
import errno

import httpx
import pytest

from host.auth import LoopbackListener
from host.errors import AuthError

PATH = "/oauth/test/callback"


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url)


async def test_the_answer_with_the_right_state_is_returned():
    async with LoopbackListener(PATH, "good-state") as listener:
        assert listener.redirect_uri == f"http://127.0.0.1:{listener.port}{PATH}"
        response = await get(f"{listener.redirect_uri}?code=abc&state=good-state&scope=a+b")
        assert response.status_code == 200
        assert "close this window" in response.text
        assert await listener.wait() == {"code": "abc", "state": "good-state", "scope": "a b"}


@pytest.mark.parametrize("query", ["code=abc&state=forged", "code=abc", "code=abc&state=good-stat"])
async def test_a_wrong_or_missing_state_is_rejected(query):
    async with LoopbackListener(PATH, "good-state") as listener:
        response = await get(f"{listener.redirect_uri}?{query}")
        assert response.status_code == 400
        with pytest.raises(AuthError, match="state differs"):
            await listener.wait()


async def test_access_denied_is_reported_as_a_cancelled_sign_in():
    async with LoopbackListener(PATH, "s") as listener:
        response = await get(f"{listener.redirect_uri}?error=access_denied&state=s")
        assert response.status_code == 200
        with pytest.raises(AuthError, match="cancelled") as caught:
            await listener.wait()
        assert "allow access" in caught.value.hint


async def test_another_provider_error_is_reported_with_its_description():
    async with LoopbackListener(PATH, "s") as listener:
        await get(f"{listener.redirect_uri}?error=invalid_request&error_description=Missing+challenge&state=s")
        with pytest.raises(AuthError, match=r"invalid_request \(Missing challenge\)"):
            await listener.wait()


async def test_only_one_request_is_answered_then_the_port_is_closed():
    async with LoopbackListener(PATH, "s") as listener:
        first = await get(f"{listener.redirect_uri}?code=first&state=s")
        assert first.status_code == 200
        with pytest.raises(httpx.ConnectError):
            await get(f"{listener.redirect_uri}?code=second&state=s")
        assert (await listener.wait())["code"] == "first"


async def test_a_second_request_on_an_open_connection_gets_nothing():
    async with LoopbackListener(PATH, "s") as listener:
        # Two clients connect before either is answered: only the first one's answer counts.
        reader1, writer1 = await asyncio.open_connection("127.0.0.1", listener.port)
        reader2, writer2 = await asyncio.open_connection("127.0.0.1", listener.port)
        writer1.write(f"GET {PATH}?code=first&state=s HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert (await reader1.read()).startswith(b"HTTP/1.1 200")
        writer2.write(f"GET {PATH}?code=second&state=s HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert (await reader2.read()).startswith(b"HTTP/1.1 410")
        for writer in (writer1, writer2):
            writer.close()
        assert (await listener.wait())["code"] == "first"


async def test_other_paths_are_404_and_the_listener_keeps_waiting():
    async with LoopbackListener(PATH, "s") as listener:
        base = listener.redirect_uri.removesuffix(PATH)
        assert (await get(f"{base}/favicon.ico")).status_code == 404
        assert (await get(f"{base}/oauth/other/callback?code=x&state=s")).status_code == 404
        assert (await get(f"{listener.redirect_uri}?code=abc&state=s")).status_code == 200
        assert (await listener.wait())["code"] == "abc"


async def test_it_listens_on_127_0_0_1_only():
    async with LoopbackListener(PATH, "s") as listener:
        assert [sock.getsockname()[0] for sock in listener._server.sockets] == ["127.0.0.1"]
        # 127.0.0.2 is this machine too: a listener bound to every interface would accept it.
        with pytest.raises(OSError) as caught:
            await asyncio.open_connection("127.0.0.2", listener.port)
        assert caught.value.errno == errno.ECONNREFUSED


async def test_no_answer_times_out_with_a_clear_error():
    async with LoopbackListener(PATH, "s", timeout=0.05) as listener:
        with pytest.raises(AuthError, match="did not come back"):
            await listener.wait()
        with pytest.raises(httpx.ConnectError):
            await get(f"{listener.redirect_uri}?code=late&state=s")


async def test_a_silent_connection_does_not_block_the_answer():
    async with LoopbackListener(PATH, "s") as listener:
        _, idle = await asyncio.open_connection("127.0.0.1", listener.port)
        assert (await get(f"{listener.redirect_uri}?code=abc&state=s")).status_code == 200
        assert (await listener.wait())["code"] == "abc"
        idle.close()


def test_a_redirect_path_must_be_absolute():
    with pytest.raises(ValueError, match="starts with '/'"):
        LoopbackListener("callback", "s")

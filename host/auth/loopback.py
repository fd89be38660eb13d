"""The one-shot loopback redirect listener of a desktop OAuth sign-in (RFC 8252 §7.3).

It listens on ``127.0.0.1`` alone (never on every interface) on a port the system picks, answers
exactly one request on the provider's redirect path, and stops listening the moment that request
arrives, so nothing else on the machine can hand it a second answer.
"""

from __future__ import annotations

import asyncio
import html
import secrets
from urllib.parse import parse_qsl, urlsplit

from host.errors import AuthError

HOST = "127.0.0.1"
#: A browser sends its request at once; a connection that says nothing for this long is dropped.
READ_TIMEOUT = 10.0


class LoopbackListener:
    """Waits for the browser's redirect to ``http://127.0.0.1:<port><path>``.

    Use as ``async with LoopbackListener(path, state) as listener:`` then send the browser to a URL
    with ``listener.redirect_uri`` and ``await listener.wait()`` for the authorization response's
    parameters. ``wait`` raises AuthError when the answer's ``state`` is not ``state`` (a forged or
    stale redirect), when the provider reports an error such as ``access_denied``, and when no
    answer comes within ``timeout`` seconds.
    """

    def __init__(self, path: str, state: str, *, timeout: float = 300.0) -> None:
        if not path.startswith("/"):
            raise ValueError(f"a redirect path starts with '/': {path!r}")
        self.path = path
        self.state = state
        self.timeout = timeout
        self.port: int | None = None
        self._server: asyncio.Server | None = None
        self._answer: asyncio.Future[dict[str, str]] | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    @property
    def redirect_uri(self) -> str:
        if self.port is None:
            raise RuntimeError("the listener is not started")
        return f"http://{HOST}:{self.port}{self.path}"

    async def __aenter__(self) -> LoopbackListener:
        self._answer = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._serve, host=HOST, port=0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._close()
        # Connections still open (a browser's idle keep-alive, say) end with the listener.
        handlers = list(self._handlers)
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        if self._answer is not None:
            if self._answer.done() and not self._answer.cancelled():
                self._answer.exception()  # taken by wait() or moot after an error: never "unretrieved"
            self._answer.cancel()

    async def wait(self) -> dict[str, str]:
        """The redirect's query parameters (``code``, ``state``, ...) once they arrive and check out."""
        assert self._answer is not None, "use the listener as an async context manager"
        try:
            return await asyncio.wait_for(asyncio.shield(self._answer), self.timeout)
        except TimeoutError:
            raise AuthError(
                f"The browser did not come back from the sign-in page within {self.timeout:g} seconds.",
                hint="Sign in again and finish in the browser window that opens.",
            ) from None
        finally:
            await self._close()

    async def _close(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._answer_request(reader, writer)
        except (TimeoutError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # not a browser's request, or a browser that went away: nothing to answer
        finally:
            writer.close()
            self._handlers.discard(task)

    async def _answer_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        parts = urlsplit(target)
        if self._server is None or self._answer is None or self._answer.done():
            status, page = 410, "This sign-in is over. You can close this window."
        elif method != "GET" or parts.path != self.path:
            # Browsers also ask for /favicon.ico: that is not the answer, keep waiting for it.
            status, page = 404, "Not found."
        else:
            await self._close()  # one answer only: stop listening before anything else
            status, page = self._settle(dict(parse_qsl(parts.query, keep_blank_values=True)))
        body = _page(page).encode()
        writer.write(
            f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()

    def _settle(self, params: dict[str, str]) -> tuple[int, str]:
        """Resolve the answer from the redirect's parameters; return the page the browser shows."""
        assert self._answer is not None
        if not secrets.compare_digest(params.get("state", "").encode(), self.state.encode()):
            self._answer.set_exception(
                AuthError(
                    "The sign-in answer does not belong to the sign-in zoomclient started (its state differs).",
                    hint="Sign in again; if this repeats, another program may be interfering with the sign-in.",
                )
            )
            return 400, "This sign-in answer was not expected. Go back to zoomclient and sign in again."
        error = params.get("error")
        if error == "access_denied":
            self._answer.set_exception(
                AuthError(
                    "Sign-in was cancelled: access was not allowed on the consent page.",
                    hint="Sign in again and allow access to mail, calendar or both.",
                )
            )
            return 200, "Sign-in cancelled. You can close this window."
        if error or not params.get("code"):
            description = params.get("error_description", "")
            self._answer.set_exception(
                AuthError(
                    f"The provider refused the sign-in: {error or 'no authorization code'}"
                    + (f" ({description})." if description else "."),
                    hint="Sign in again; if this repeats, the provider may not allow this app.",
                )
            )
            return 400, "Sign-in failed. Go back to zoomclient for details."
        self._answer.set_result(params)
        return 200, "Signed in. You can close this window and go back to zoomclient."


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 410: "Gone"}


def _page(message: str) -> str:
    return (
        "<!doctype html><html><head><meta charset=utf-8><title>zoomclient</title></head>"
        f"<body><p>{html.escape(message)}</p></body></html>"
    )

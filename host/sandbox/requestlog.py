"""A request log for the emulators, so that tests can assert on what the client really sent.

E.g. ``assert not any("conferenceData" in (r.json or {}) for r in log.entries)`` proves promise 1
on the wire. Secrets never enter the log: the Authorization header and the credential fields of
form bodies (codes, verifiers, tokens) are redacted before the entry is made.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import attrs

from host.sandbox.faults import remember_connection

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
SECRET_FORM_FIELDS = frozenset(
    {"code", "code_verifier", "refresh_token", "access_token", "client_secret", "password", "assertion"}
)


@attrs.frozen
class LoggedRequest:
    """One request and the status it got (None when the connection was dropped before an answer)."""

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = attrs.field(repr=False)
    status: int | None

    @property
    def query_params(self) -> dict[str, list[str]]:
        params: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            params.setdefault(key, []).append(value)
        return params

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or None when it is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _redact_headers(raw: list[tuple[bytes, bytes]]) -> tuple[tuple[str, str], ...]:
    headers = []
    for key, value in raw:
        name = key.decode("latin-1").lower()
        text = value.decode("latin-1")
        if name in SECRET_HEADERS:
            scheme = text.split(" ", 1)[0] if " " in text else ""
            text = f"{scheme} {REDACTED}".strip()
        headers.append((name, text))
    return tuple(headers)


def _redact_body(headers: tuple[tuple[str, str], ...], body: bytes) -> bytes:
    content_type = next((value for key, value in headers if key == "content-type"), "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return body
    fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, REDACTED if k in SECRET_FORM_FIELDS else v) for k, v in fields]).encode()


class RequestLog:
    """Records every HTTP request an app behind :meth:`wrap` answers. Thread-safe."""

    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    @property
    def entries(self) -> list[LoggedRequest]:
        """A snapshot, oldest first."""
        with self._lock:
            return list(self._entries)

    def __iter__(self) -> Iterator[LoggedRequest]:
        return iter(self.entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def find(self, method: str | None = None, path_contains: str | None = None) -> list[LoggedRequest]:
        return [
            entry
            for entry in self.entries
            if (method is None or entry.method == method.upper())
            and (path_contains is None or path_contains in entry.path)
        ]

    def wrap(self, app: Any) -> Any:
        """``app`` with every request recorded, as an ASGI app. Put it outermost to see faults too."""
        log = self

        async def logged_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            remember_connection(scope, send)
            chunks: list[bytes] = []
            more = True
            while more:  # read the whole body first, then replay it to the app
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = b"".join(chunks)
            replayed = False

            async def replay() -> dict[str, Any]:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            status: int | None = None
            recorded = False

            def record() -> None:
                nonlocal recorded
                if recorded:
                    return
                recorded = True
                headers = _redact_headers(scope.get("headers", []))
                entry = LoggedRequest(
                    method=scope["method"],
                    path=scope["path"],
                    query=scope.get("query_string", b"").decode("latin-1"),
                    headers=headers,
                    body=_redact_body(headers, body),
                    status=status,
                )
                with log._lock:
                    log._entries.append(entry)

            async def watch(message: dict[str, Any]) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                elif message["type"] == "http.response.body" and not message.get("more_body", False):
                    # Logged before the last byte leaves, so a client that has its answer finds the entry.
                    record()
                await send(message)

            try:
                await app(scope, replay, watch)
            finally:
                record()  # also the requests that got no answer (a dropped connection, an error)

        return logged_app

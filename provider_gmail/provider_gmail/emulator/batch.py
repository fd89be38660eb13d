"""Google's batch endpoint: ``multipart/mixed`` of ``application/http`` parts, each answered alone.

Each part meets the fault injector and the quota on its own (a batch costs the sum of its parts, and
one part can be throttled while the others succeed), as on Google's servers.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from host.sandbox.faults import FaultInjector, FaultRule
from provider_gmail.emulator.errors import GoogleError, bad_request
from provider_gmail.emulator.routing import Api

#: Google's limit on the calls in one batch request.
MAX_PARTS = 100


def _split(body: bytes, boundary: bytes) -> list[bytes]:
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        parts.append(chunk.strip(b"\r\n"))
    return parts


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_CONTENT_ID = re.compile(rb"^content-id:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)


def _head_and_body(data: bytes) -> tuple[bytes, bytes]:
    match = _BLANK_LINE.search(data)
    if match is None:
        return data, b""
    return data[: match.start()], data[match.end() :]


def _fault_response(rule: FaultRule) -> Response:
    status = rule.status or 503
    headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
    reason = "rateLimitExceeded" if status == 429 else "backendError"
    return GoogleError(status, reason, HTTPStatus(status).phrase, headers=headers).response()


def serve_batch(api: Api, faults: FaultInjector) -> Callable[[Request], Awaitable[Response]]:
    async def batch(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        found = re.search(r'boundary="?([^";]+)"?', content_type)
        if not content_type.startswith("multipart/mixed") or found is None:
            return bad_request("A batch request must be multipart/mixed with a boundary.").response()
        parts = _split(await request.body(), found.group(1).encode())
        if len(parts) > MAX_PARTS:
            return bad_request(f"A batch request holds at most {MAX_PARTS} calls.").response()
        user = request.headers.get("authorization", "")
        answers = []
        for part in parts:
            head, inner = _head_and_body(part)
            found_id = _CONTENT_ID.search(head)
            content_id = found_id.group(1).decode("latin-1").strip() if found_id else None
            answers.append((content_id, await _answer(api, faults, request, inner, user)))
        boundary = "batch_" + secrets.token_hex(12)
        chunks = []
        for content_id, response in answers:
            head = f"--{boundary}\r\nContent-Type: application/http\r\n"
            if content_id:
                head += f"Content-ID: response-{content_id}\r\n"
            status = HTTPStatus(response.status_code)
            inner_head = f"HTTP/1.1 {status.value} {status.phrase}\r\n"
            for key, value in response.headers.items():
                if key.lower() not in ("content-length",):
                    inner_head += f"{key}: {value}\r\n"
            chunks.append(head.encode() + b"\r\n" + inner_head.encode() + b"\r\n" + bytes(response.body) + b"\r\n")
        payload = b"".join(chunks) + f"--{boundary}--\r\n".encode()
        return Response(payload, media_type=f"multipart/mixed; boundary={boundary}")

    return batch


async def _answer(api: Api, faults: FaultInjector, outer: Request, data: bytes, user: str) -> Response:
    head, body = _head_and_body(data)
    lines = head.decode("latin-1").splitlines()
    if not lines:
        return bad_request("An empty batch part.").response()
    request_line = lines[0].split()
    if len(request_line) < 2:
        return bad_request("A batch part needs a request line.").response()
    method, target = request_line[0].upper(), request_line[1]
    url = urlsplit(target)
    headers = [(b"authorization", user.encode("latin-1"))] if user else []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() != "authorization":
            headers.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
        else:
            headers = [h for h in headers if h[0] != b"authorization"] + [(b"authorization", value.strip().encode())]
    matched = api.match(method, url.path)
    if matched is None:
        return GoogleError(404, "notFound", f"No such method: {method} {url.path}").response()
    delay, fault = faults.decide(method, url.path, user)
    if delay:
        await asyncio.sleep(delay)
    if isinstance(fault, Response):
        return fault
    if fault is not None:
        return _fault_response(fault)
    scope = {
        "type": "http",
        "method": method,
        "path": url.path,
        "raw_path": url.path.encode(),
        "query_string": url.query.encode("latin-1"),
        "headers": headers,
        "root_path": "",
        "scheme": outer.url.scheme,
        "server": outer.scope.get("server"),
        "client": outer.scope.get("client"),
    }
    endpoint, path_params = matched
    return api.dispatch(endpoint, Request(scope), path_params, body)

"""The Graph emulator: the Microsoft identity platform's OAuth endpoints and Graph v1.0, under one origin.

Layers, outermost first: the request log, the mailbox concurrency limit (a fifth request in flight for
one mailbox gets 429 ``ApplicationThrottled`` with ``Retry-After``, as Exchange answers), the toolkit's
fault injector, then the routes. ``$batch`` runs its requests one after the other through the fault
injector and the routes, each recorded in the log as a request of its own.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.sandbox.datagen import OWNER
from host.sandbox.faults import FaultInjector, QuotaPolicy, authorization_user
from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.requestlog import RequestLog
from host.sandbox.service import SandboxOptions
from provider_m365.account import ACCOUNT_TYPE
from provider_m365.emulator import odata
from provider_m365.emulator.calendar_api import CalendarApi
from provider_m365.emulator.calendars import CalendarState
from provider_m365.emulator.mail_api import MailApi
from provider_m365.emulator.mailbox import MailboxState
from provider_m365.emulator.odata import GRAPH, GraphError

MAX_BATCH = 20
MAX_CONCURRENT = 4
#: Exchange's per-app, per-mailbox budget: 10,000 requests in ten minutes.
REQUESTS_PER_SECOND = 10_000 / 600
#: Left alone by random faults and the budget: sign-in, and the $batch envelope (Graph meters what is inside).
EXEMPT = r"^/[^/]+/oauth2/v2\.0/|^/oidc/|^/v1\.0/\$batch$"


class ConcurrencyLimit:
    """Exchange's four concurrent requests per mailbox: the fifth at once is refused, not queued."""

    def __init__(self, limit: int = MAX_CONCURRENT) -> None:
        self.limit = limit
        self.in_flight: dict[str, int] = {}
        self.peak = 0
        self.refused = 0
        self._lock = threading.Lock()

    def wrap(self, app: Any) -> Any:
        async def limited(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http" or not scope["path"].startswith(GRAPH + "/"):
                await app(scope, receive, send)
                return
            user = authorization_user(scope)
            with self._lock:
                count = self.in_flight.get(user, 0)
                if count >= self.limit:
                    self.refused += 1
                    refuse = True
                else:
                    refuse = False
                    self.in_flight[user] = count + 1
                    self.peak = max(self.peak, count + 1)
            if refuse:
                response = odata.error_response(
                    429,
                    "ApplicationThrottled",
                    "Application is over its MailboxConcurrency limit.",
                    {"Retry-After": "1"},
                )
                await response(scope, receive, send)
                return
            try:
                await app(scope, receive, send)
            finally:
                with self._lock:
                    self.in_flight[user] -= 1

        return limited


def _throttled(retry_after: float) -> Response:
    """Graph's answer to a request over the mailbox's budget."""
    seconds = max(1, round(retry_after + 0.499))
    return odata.error_response(
        429, "ApplicationThrottled", "Application is over its MailboxRequests limit.", {"Retry-After": str(seconds)}
    )


async def _graph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {401: "InvalidAuthenticationToken", 403: "ErrorAccessDenied", 404: "ResourceNotFound", 405: "BadRequest"}
    return odata.error_response(
        exc.status_code, codes.get(exc.status_code, "BadRequest"), str(exc.detail), dict(exc.headers or {})
    )


class GraphEmulator:
    """The emulator as an ASGI app, with its parts open to tests: ``mailbox`` and ``calendars`` (the
    server's data), ``faults``, ``log``, ``concurrency`` and ``oauth``."""

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        owner = OWNER
        self.mailbox = MailboxState(owner, self.options.messages, self.options.seed)
        self.calendars = CalendarState(owner, self.options.events, self.options.seed)
        self.faults = FaultInjector(
            self.options.faults, seed=self.options.seed, exempt=EXEMPT, quota_policy=QuotaPolicy(reject=_throttled)
        )
        self.log = RequestLog()
        self.concurrency = ConcurrencyLimit()
        oauth = ACCOUNT_TYPE.oauth
        self.oauth = OAuthServer(
            OAuthServerConfig(
                clients={oauth.client_id: oauth.redirect_path},
                users=[(owner.email, owner.name)],
                authorize_path="/{tenant}/oauth2/v2.0/authorize",
                token_path="/{tenant}/oauth2/v2.0/token",
                userinfo_path="/oidc/userinfo",
                unattended=self.options.unattended_consent,
            )
        )
        self.mail_api = MailApi(self)
        self.calendar_api = CalendarApi(self)
        routes: list[Route] = [
            Route("/consumers/oauth2/v2.0/{action}", self.consumers, methods=["GET", "POST"]),
            *self.oauth.routes,
            Route(f"{GRAPH}/me", self.me, methods=["GET"]),
            Route(f"{GRAPH}/$batch", self.batch, methods=["POST"]),
            Route(f"{GRAPH}/places/microsoft.graph.room", self.calendar_api.rooms, methods=["GET"]),
        ]
        for prefix in (f"{GRAPH}/me", f"{GRAPH}/users/{{user_id}}"):
            routes += self.mail_api.routes(prefix) + self.calendar_api.routes(prefix)
        self.routes = routes
        self.api = Starlette(routes=routes, exception_handlers={GraphError: _graph_error, HTTPException: _http_error})
        self.app = self.log.wrap(self.concurrency.wrap(self.faults.wrap(self.api)))
        # Requests inside a $batch are logged, faulted and metered one by one, as Graph evaluates each
        # against its limits; they take no concurrency slot of their own (the batch holds one).
        self._batched = self.log.wrap(self.faults.wrap(self.api))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def enforce_limits(self, requests_per_second: float = REQUESTS_PER_SECOND) -> None:
        """Meter every mailbox as Exchange does: 10,000 requests in ten minutes (a ``$batch`` counts once
        here), on top of the four concurrent requests that are always enforced."""
        self.faults.set_quota(requests_per_second, burst=requests_per_second * 600)

    async def consumers(self, request: Request) -> Response:
        # Work and school accounts only: personal Microsoft accounts sign in elsewhere.
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_description": "AADSTS9002331: The application is configured for work and school accounts "
                "only. Use the 'organizations' or 'common' endpoint.",
            },
            status_code=400,
        )

    async def me(self, request: Request) -> Response:
        token = self.oauth.require_token(request, scopes=())
        return odata.entity(
            request,
            {
                "id": "3f4b5a6c-0000-4000-8000-a1e4a1e4a1e4",
                "displayName": token.name,
                "mail": token.email,
                "userPrincipalName": token.email,
                "preferredLanguage": "en-US",
            },
            "users/$entity",
        )

    async def batch(self, request: Request) -> Response:
        """JSON batching: up to 20 requests, answered in one body; non-JSON bodies come back base64."""
        body = await odata.json_body(request)
        requests = body.get("requests")
        if not isinstance(requests, list) or not requests:
            raise odata.bad_request("The batch has no requests.", "BadRequest")
        if len(requests) > MAX_BATCH:
            raise odata.bad_request(f"The batch holds {len(requests)} requests; at most {MAX_BATCH} are allowed.",
                                    "BadRequest")  # fmt: skip
        ids = [str(r.get("id", "")) for r in requests]
        if len(set(ids)) != len(ids) or "" in ids:
            raise odata.bad_request("Every request of a batch needs a unique id.", "BadRequest")
        responses = []
        for item in requests:
            responses.append(await self._run(request, item))
        return JSONResponse({"responses": responses})

    async def _run(self, outer: Request, item: dict[str, Any]) -> dict[str, Any]:
        method = str(item.get("method", "GET")).upper()
        url = str(item.get("url", ""))
        if not url.startswith("/"):
            url = "/" + url
        parts = urlsplit(url)
        headers = {k.lower(): str(v) for k, v in (item.get("headers") or {}).items()}
        body = b""
        if "body" in item:
            if headers.get("content-type", "application/json").startswith("application/json"):
                body = json.dumps(item["body"]).encode()
                headers.setdefault("content-type", "application/json")
            else:
                body = base64.b64decode(str(item["body"]))
        for name in ("authorization", "prefer"):
            if name not in headers and name in outer.headers:
                headers[name] = outer.headers[name]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": outer.url.scheme,
            "server": (outer.url.hostname, outer.url.port),
            "path": GRAPH + parts.path,
            "raw_path": (GRAPH + parts.path).encode(),
            "root_path": "",
            "query_string": parts.query.encode(),
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            + [(b"host", outer.headers.get("host", "").encode("latin-1"))],
        }
        sent = False
        answer: dict[str, Any] = {"status": 500, "headers": {}, "chunks": []}

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {k.decode("latin-1"): v.decode("latin-1") for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                answer["chunks"].append(message.get("body", b""))

        await self._batched(scope, receive, send)
        data = b"".join(answer["chunks"])
        if len(data) < int(answer["headers"].get("content-length", len(data))):
            # The fault injector dropped this request: a batch reports that as a gateway timeout.
            return {
                "id": item.get("id"),
                "status": 504,
                "body": {"error": {"code": "GatewayTimeout", "message": "Dropped."}},
            }
        result: dict[str, Any] = {"id": item.get("id"), "status": answer["status"]}
        kept = {k: v for k, v in answer["headers"].items() if k.lower() in ("content-type", "retry-after", "location")}
        if kept:
            result["headers"] = {("Content-Type" if k.lower() == "content-type" else k): v for k, v in kept.items()}
        if data:
            content_type = answer["headers"].get("content-type", "")
            if content_type.startswith("application/json"):
                result["body"] = json.loads(data)
            else:
                result["body"] = base64.b64encode(data).decode()
        return result

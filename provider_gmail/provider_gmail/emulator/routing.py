"""The emulator's endpoint table: each route of the discovery documents with its handler, the query
parameters it takes and the OAuth scopes that allow it. Plain HTTP requests and the parts of a batch
request go through the same :func:`Api.dispatch`."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.sandbox.api_error import ApiError
from host.sandbox.oauth import OAuthServer, TokenInfo
from provider_gmail.emulator.errors import GoogleError, bad_request, from_api_error

#: Standard query parameters every Google API takes (a subset of the discovery documents'
#: ``parameters``); ``fields`` is accepted and ignored: answers always hold every field.
GLOBAL_PARAMS = frozenset({"alt", "fields", "key", "prettyPrint", "quotaUser"})


@attrs.frozen
class Call:
    """One API call as a handler sees it."""

    user: TokenInfo
    path: Mapping[str, str]
    query: QueryParams
    body: bytes = attrs.field(repr=False)

    def json(self) -> Any:
        if not self.body:
            return {}
        try:
            value = json.loads(self.body)
        except ValueError:
            raise bad_request("Invalid JSON payload received.", reason="parseError") from None
        if not isinstance(value, dict):
            raise bad_request("Invalid JSON payload received: the body must be an object.", reason="parseError")
        return value

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, default)

    def args(self, name: str) -> list[str]:
        return self.query.getlist(name)

    def int_arg(self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
        text = self.query.get(name)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            raise bad_request(f"Invalid value for {name}: {text}", location=name) from None
        if value < minimum or (maximum is not None and value > maximum):
            raise bad_request(f"Invalid value for {name}: {text}", location=name)
        return value

    def bool_arg(self, name: str, default: bool = False) -> bool:
        text = self.query.get(name)
        if text is None:
            return default
        if text.lower() not in ("true", "false"):
            raise bad_request(f"Invalid value for {name}: {text}", location=name)
        return text.lower() == "true"


Handler = Callable[[Call], Any]


@attrs.frozen
class Endpoint:
    """One method of a discovery document as the emulator serves it.

    ``method_id`` is the discovery id (``gmail.users.messages.list``); ``path`` the full URL path;
    ``params`` the query parameters it takes besides :data:`GLOBAL_PARAMS`; ``scopes`` any one of
    which allows the call. A handler returning None answers ``204 No Content``.
    """

    method_id: str
    http_method: str
    path: str
    handler: Handler = attrs.field(repr=False)
    params: frozenset[str] = frozenset()
    scopes: tuple[str, ...] = ()


def _unauthorised(error: HTTPException) -> GoogleError:
    if error.status_code == 403:
        return GoogleError(403, "insufficientPermissions", "Request had insufficient authentication scopes.")
    return GoogleError(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token.",
        location="Authorization",
        headers={"WWW-Authenticate": (error.headers or {}).get("WWW-Authenticate", "Bearer")},
    )


class Api:
    """Endpoints served under one origin, behind one OAuth server, one lock over all state."""

    def __init__(self, oauth: OAuthServer, lock: threading.RLock) -> None:
        self.oauth = oauth
        self.lock = lock
        self.endpoints: list[Endpoint] = []
        self.routes: list[Route] = []

    def add(self, endpoints: Sequence[Endpoint]) -> None:
        for endpoint in endpoints:
            self.endpoints.append(endpoint)
            self.routes.append(Route(endpoint.path, self._asgi(endpoint), methods=[endpoint.http_method]))

    def _asgi(self, endpoint: Endpoint) -> Callable[[Request], Any]:
        async def serve(request: Request) -> Response:
            return self.dispatch(endpoint, request, dict(request.path_params), await request.body())

        serve.__name__ = endpoint.method_id
        return serve

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        """The endpoint a batch part asks for, with its path parameters."""
        from starlette.routing import Match

        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        for endpoint, route in zip(self.endpoints, self.routes, strict=True):
            found, child = route.matches(scope)
            if found is Match.FULL:
                return endpoint, dict(child.get("path_params", {}))
        return None

    def dispatch(self, endpoint: Endpoint, request: Request, path: dict[str, str], body: bytes) -> Response:
        try:
            try:
                user = self.oauth.require_token(request, endpoint.scopes)
            except HTTPException as error:
                raise _unauthorised(error) from None
            for name in request.query_params:
                if name not in endpoint.params and name not in GLOBAL_PARAMS:
                    raise bad_request(
                        f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter.',
                        location=name,
                    )
            if request.query_params.get("alt", "json") != "json":
                raise bad_request("Only alt=json is served here.", location="alt")
            call = Call(user, path, request.query_params, body)
            with self.lock:
                result = endpoint.handler(call)
        except GoogleError as error:
            return error.response()
        except ApiError as error:
            return from_api_error(error).response()
        if isinstance(result, Response):
            return result
        if result is None:
            return Response(status_code=204)
        return JSONResponse(result)

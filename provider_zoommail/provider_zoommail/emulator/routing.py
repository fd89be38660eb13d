"""The emulator's endpoint table: each operation of the Zoom Mail and Zoom Calendar specs that the
emulator serves, with its handler, the query parameters it takes and the OAuth scopes that allow it."""

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
from provider_zoommail.emulator.errors import ZoomError, bad_request, from_api_error


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
            raise bad_request("Invalid request body: not JSON.") from None
        if not isinstance(value, dict):
            raise bad_request("Invalid request body: a JSON object is expected.")
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
            raise bad_request(f"Invalid value for {name}: {text}") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise bad_request(f"Invalid value for {name}: {text}")
        return value

    def bool_arg(self, name: str, default: bool = False) -> bool:
        text = self.query.get(name)
        if text is None:
            return default
        if text.lower() not in ("true", "false"):
            raise bad_request(f"Invalid value for {name}: {text}")
        return text.lower() == "true"


Handler = Callable[[Call], Any]


@attrs.frozen
class Endpoint:
    """One operation of a spec as the emulator serves it.

    ``operation_id`` is the spec's (``list_emails``); ``path`` the full URL path (``/v2`` and the
    spec's path); ``params`` the query parameters it takes; ``scopes`` any one of which allows the
    call (the operation's ``x-macro-scopes``). A handler returning None answers ``204 No Content``.
    """

    operation_id: str
    http_method: str
    path: str
    handler: Handler = attrs.field(repr=False)
    params: frozenset[str] = frozenset()
    scopes: tuple[str, ...] = ()


def _unauthorised(error: HTTPException) -> ZoomError:
    if error.status_code == 403:
        # Zoom's answer to a token without the operation's scope.
        return ZoomError(403, f"Invalid access token, does not contain scopes: {error.detail}", code=4711)
    return ZoomError(
        401,
        "Invalid access token.",
        code=124,
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

        serve.__name__ = endpoint.operation_id
        return serve

    def dispatch(self, endpoint: Endpoint, request: Request, path: dict[str, str], body: bytes) -> Response:
        try:
            try:
                user = self.oauth.require_token(request, endpoint.scopes)
            except HTTPException as error:
                raise _unauthorised(error) from None
            for name in request.query_params:
                if name not in endpoint.params:
                    raise bad_request(f"Invalid field: {name} is not a parameter of this API.")
            call = Call(user, path, request.query_params, body)
            with self.lock:
                result = endpoint.handler(call)
        except ZoomError as error:
            return error.response()
        except ApiError as error:
            return from_api_error(error).response()
        if isinstance(result, Response):
            return result
        if result is None:
            return Response(status_code=204)
        return JSONResponse(result)

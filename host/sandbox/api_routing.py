"""An emulator's endpoint table and dispatch: each operation it serves with its handler, the query
parameters it takes and the OAuth scopes that allow it, one lock over all state.

It serves every emulator whose handlers are written against :class:`Call` (the Google emulator, the
Zoom emulator). Each subclasses :class:`Api` for what its API answers differently: a token that does
not do, query parameters it does not take, and its error shape (:meth:`Api.error_response`); and
:class:`Call` for the texts of a body that is not JSON. Errors the handlers raise are the emulator's
own or :class:`host.sandbox.api_error.ApiError`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import attrs
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from host.sandbox.api_error import bad_request
from host.sandbox.oauth import OAuthServer, TokenInfo


@attrs.frozen
class Call:
    """One API call as a handler sees it."""

    #: What a body that is not JSON, or not a JSON object, is answered with.
    NOT_JSON: ClassVar[str] = "Invalid JSON payload received."
    NOT_OBJECT: ClassVar[str] = "Invalid JSON payload received: the body must be an object."

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
            raise bad_request(self.NOT_JSON, reason="parseError") from None
        if not isinstance(value, dict):
            raise bad_request(self.NOT_OBJECT, reason="parseError")
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
    """One operation of an API as the emulator serves it.

    ``operation_id`` is the API's own (Google's discovery id ``gmail.users.messages.list``, a Zoom
    spec's ``list_emails``); ``path`` the full URL path; ``params`` the query parameters it takes;
    ``scopes`` any one of which allows the call. A handler returning None answers ``204 No Content``.
    """

    operation_id: str
    http_method: str
    path: str
    handler: Handler = attrs.field(repr=False)
    params: frozenset[str] = frozenset()
    scopes: tuple[str, ...] = ()


class Api:
    """Endpoints served under one origin, behind one OAuth server, one lock over all state."""

    #: The :class:`Call` handlers get.
    call_type: ClassVar[type[Call]] = Call

    def __init__(self, oauth: OAuthServer, lock: threading.RLock) -> None:
        self.oauth = oauth
        self.lock = lock
        self.endpoints: list[Endpoint] = []
        self.routes: list[Route] = []
        # A batch part is matched among its method's endpoints only (a batch of 50 gets does it 50 times).
        self._by_method: dict[str, list[tuple[Endpoint, Route]]] = {}

    def add(self, endpoints: Sequence[Endpoint]) -> None:
        for endpoint in endpoints:
            route = Route(endpoint.path, self._asgi(endpoint), methods=[endpoint.http_method])
            self.endpoints.append(endpoint)
            self.routes.append(route)
            self._by_method.setdefault(endpoint.http_method.upper(), []).append((endpoint, route))

    def _asgi(self, endpoint: Endpoint) -> Callable[[Request], Any]:
        async def serve(request: Request) -> Response:
            return self.dispatch(endpoint, request, dict(request.path_params), await request.body())

        serve.__name__ = endpoint.operation_id
        return serve

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        """The endpoint a request (a batch part, say) asks for, with its path parameters."""
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        for endpoint, route in self._by_method.get(method.upper(), ()):
            found, child = route.matches(scope)
            if found is Match.FULL:
                return endpoint, dict(child.get("path_params", {}))
        return None

    # -- what each API answers its own way -------------------------------------------------------------

    def unauthorised(self, error: HTTPException) -> Exception:
        """The error for a missing or bad token (401) or one without the endpoint's scopes (403)."""
        raise NotImplementedError

    def check_query(self, endpoint: Endpoint, query: QueryParams) -> None:
        """Refuse query parameters the endpoint does not take."""
        for name in query:
            if name not in endpoint.params:
                raise bad_request(f"Invalid field: {name} is not a parameter of this API.", location=name)

    def error_response(self, error: Exception) -> Response | None:
        """The answer to an error a handler raised, or None for one that is no API error."""
        raise NotImplementedError

    def dispatch(self, endpoint: Endpoint, request: Request, path: dict[str, str], body: bytes) -> Response:
        try:
            try:
                user = self.oauth.require_token(request, endpoint.scopes)
            except HTTPException as error:
                raise self.unauthorised(error) from None
            self.check_query(endpoint, request.query_params)
            call = self.call_type(user, path, request.query_params, body)
            with self.lock:
                result = endpoint.handler(call)
        except Exception as error:
            response = self.error_response(error)
            if response is None:
                raise
            return response
        if isinstance(result, Response):
            return result
        if result is None:
            return Response(status_code=204)
        return JSONResponse(result)

"""The Google emulator's endpoint table (:mod:`host.sandbox.api_routing`) with Google's own answers:
the standard parameters every Google API takes, ``alt=json`` only, Google's auth errors and error
shape. Plain HTTP requests and the parts of a batch request go through the same :meth:`Api.dispatch`."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.responses import Response

from host.sandbox import api_routing
from host.sandbox.api_error import ApiError
from host.sandbox.api_routing import Endpoint
from provider_gmail.emulator.errors import GoogleError, bad_request, from_api_error

#: Standard query parameters every Google API takes (a subset of the discovery documents'
#: ``parameters``); ``fields`` is accepted and ignored: answers always hold every field.
GLOBAL_PARAMS = frozenset({"alt", "fields", "key", "prettyPrint", "quotaUser"})


class Api(api_routing.Api):
    """Google's endpoints under one origin; ``operation_id`` is the discovery id."""

    def unauthorised(self, error: HTTPException) -> GoogleError:
        if error.status_code == 403:
            return GoogleError(403, "insufficientPermissions", "Request had insufficient authentication scopes.")
        return GoogleError(
            401,
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token.",
            location="Authorization",
            headers={"WWW-Authenticate": (error.headers or {}).get("WWW-Authenticate", "Bearer")},
        )

    def check_query(self, endpoint: Endpoint, query: QueryParams) -> None:
        for name in query:
            if name not in endpoint.params and name not in GLOBAL_PARAMS:
                raise bad_request(
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter.',
                    location=name,
                )
        if query.get("alt", "json") != "json":
            raise bad_request("Only alt=json is served here.", location="alt")

    def error_response(self, error: Exception) -> Response | None:
        if isinstance(error, ApiError):
            error = from_api_error(error)
        return error.response() if isinstance(error, GoogleError) else None

"""The Zoom emulator's endpoint table (:mod:`host.sandbox.api_routing`) with Zoom's own answers: each
operation of the Zoom Mail and Zoom Calendar specs it serves, Zoom's auth errors and error shape."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import Response

from host.sandbox import api_routing
from host.sandbox.api_error import ApiError
from provider_zoommail.emulator.errors import ZoomError, from_api_error


class ZoomCall(api_routing.Call):
    """A call with Zoom's texts for a body that is not JSON."""

    NOT_JSON = "Invalid request body: not JSON."
    NOT_OBJECT = "Invalid request body: a JSON object is expected."


class Api(api_routing.Api):
    """Zoom's endpoints under one origin; ``operation_id`` is the spec's."""

    call_type = ZoomCall

    def unauthorised(self, error: HTTPException) -> ZoomError:
        if error.status_code == 403:
            # Zoom's answer to a token without the operation's scope.
            return ZoomError(403, f"Invalid access token, does not contain scopes: {error.detail}", code=4711)
        return ZoomError(
            401,
            "Invalid access token.",
            code=124,
            headers={"WWW-Authenticate": (error.headers or {}).get("WWW-Authenticate", "Bearer")},
        )

    def error_response(self, error: Exception) -> Response | None:
        if isinstance(error, ApiError):
            error = from_api_error(error)
        return error.response() if isinstance(error, ZoomError) else None

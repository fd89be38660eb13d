"""Google's error answers: ``{"error": {"code", "message", "errors": [{"reason", ...}], "status"}}``."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from host.sandbox.api_error import ApiError

#: The canonical gRPC status Google puts beside each HTTP code.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    410: "FAILED_PRECONDITION",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class GoogleError(Exception):
    """An error answer of a Google API, raised by the emulator's handlers."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        domain: str = "global",
        location: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain
        self.location = location
        self.headers = dict(headers or {})

    def body(self) -> dict:
        detail: dict[str, str] = {"message": self.message, "domain": self.domain, "reason": self.reason}
        if self.location:
            detail.update(location=self.location, locationType="parameter")
        error = {"code": self.code, "message": self.message, "errors": [detail]}
        if self.code in STATUS_NAMES:
            error["status"] = STATUS_NAMES[self.code]
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.code, headers=self.headers)


def from_api_error(error: ApiError) -> GoogleError:
    """An error of the shared emulator state (calendar store, search syntax) as Google answers it."""
    return GoogleError(error.status, error.reason, error.message, location=error.location)


def bad_request(message: str, *, reason: str = "invalidArgument", location: str | None = None) -> GoogleError:
    return GoogleError(400, reason, message, location=location)


def not_found(message: str = "Requested entity was not found.") -> GoogleError:
    return GoogleError(404, "notFound", message)


def rate_limited(retry_after: float) -> GoogleError:
    """The per-user quota answer: 429 ``rateLimitExceeded`` with ``Retry-After``."""
    seconds = max(1, round(retry_after + 0.499))
    return GoogleError(
        429,
        "rateLimitExceeded",
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.",
        domain="usageLimits",
        headers={"Retry-After": str(seconds)},
    )

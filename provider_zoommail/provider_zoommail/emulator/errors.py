"""Zoom's error answers: ``{"code": <number>, "message": "..."}``.

The specs give each error the HTTP status as its code ("Error Code: 404"); Zoom's own numbers are
used where the platform has one (124: invalid access token, 4711: the token lacks a scope).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from host.sandbox.api_error import ApiError
from host.sandbox.faults import retry_after_seconds


class ZoomError(Exception):
    """An error answer of a Zoom API, raised by the emulator's handlers."""

    def __init__(self, status: int, message: str, *, code: int | None = None, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code if code is not None else status
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict:
        return {"code": self.code, "message": self.message}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def from_api_error(error: ApiError) -> ZoomError:
    """An error of the shared emulator state (calendar store, search syntax) as Zoom answers it: status and
    message, Google's reason and location dropped."""
    return ZoomError(error.status, error.message)


def bad_request(message: str) -> ZoomError:
    return ZoomError(400, message)


def not_found(message: str = "Not Found.") -> ZoomError:
    return ZoomError(404, message)


def rate_limited(retry_after: float) -> ZoomError:
    """Zoom's per-account per-second rate limit answer: 429 with ``Retry-After``."""
    return ZoomError(
        429,
        "You have reached the maximum per-second rate limit for this API. Try again later.",
        headers={
            "Retry-After": str(retry_after_seconds(retry_after)),
            "X-RateLimit-Type": "QPS",
        },
    )

"""The error the shared emulator state raises, for each emulator to answer in its own API's shape.

The shared pieces (:mod:`host.sandbox.calendar_store`, :mod:`host.sandbox.gmail_query`) serve APIs
that write errors differently (Google's ``{"error": {"code", "errors": [{"reason", "location"}]}}``,
Zoom's ``{"code", "message"}``). They raise :class:`ApiError` in Google's terms, which is the richer
one, and each emulator's dispatcher turns it into its own error answer, dropping what its API lacks.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error answer: the HTTP status, the message, and Google's ``reason`` and ``location``."""

    def __init__(self, status: int, message: str, *, reason: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason
        self.location = location


def bad_request(message: str, *, reason: str = "invalidArgument", location: str | None = None) -> ApiError:
    return ApiError(400, message, reason=reason, location=location)


def not_found(message: str = "Not Found") -> ApiError:
    return ApiError(404, message, reason="notFound")

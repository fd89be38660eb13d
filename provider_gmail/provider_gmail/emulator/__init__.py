"""An emulator of Gmail API v1, Google Calendar API v3 and Google's OAuth 2.0 endpoints.

Paths, parameters, JSON shapes and errors follow the discovery documents; the only difference from
Google is the origin. Needs the ``sandbox`` extra (starlette, uvicorn).
"""

from provider_gmail.emulator.app import GoogleEmulator, create_app

__all__ = ["GoogleEmulator", "create_app"]

"""An emulator of Zoom Mail, Zoom Calendar, Zoom's OAuth 2.0 endpoints and ``GET /v2/users/me``.

Paths, parameters, JSON shapes and errors follow ``zoom-mail.openapi.json`` and
``zoom-calendar.openapi.json``; the only difference from Zoom is the origin. Needs the ``sandbox``
extra (starlette, uvicorn).
"""

from provider_zoommail.emulator.app import ZoomEmulator, create_app

__all__ = ["ZoomEmulator", "create_app"]

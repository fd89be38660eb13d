"""An emulator of Microsoft Graph v1.0 (mail, calendars, places) and the Microsoft identity platform's
OAuth 2.0 endpoints, for tests, the demo and ``zoomclient sandbox``."""

from __future__ import annotations

from typing import Any

from host.sandbox.service import SandboxOptions


def create_app(options: SandboxOptions) -> Any:
    """The emulator as an ASGI app (a :class:`~provider_m365.emulator.app.GraphEmulator`)."""
    from provider_m365.emulator.app import GraphEmulator

    return GraphEmulator(options)

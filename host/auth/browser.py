"""Following the sign-in page without a person, for unattended runs against an emulator.

The flow takes any ``open_browser(url)``; people get :func:`webbrowser.open`. An emulator whose
consent step approves at once needs no person: :func:`headless_browser` follows its redirects the
way a browser would, ending at the loopback listener.
"""

from __future__ import annotations

import httpx

from host.errors import AuthError


def headless_browser(url: str) -> None:
    """Follow ``url`` and its redirects with plain HTTP: no page is shown, no consent is given by hand."""
    try:
        with httpx.Client(follow_redirects=True, timeout=30.0) as client:
            client.get(url)
    except httpx.HTTPError as error:
        raise AuthError(
            f"The sign-in page could not be followed: {error}.",
            hint="Check that the emulator is running and approves consent unattended.",
        ) from error

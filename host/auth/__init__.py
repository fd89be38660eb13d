"""Signing in: the desktop OAuth 2.0 flow and the authorised HTTP client of a signed-in account.

:func:`sign_in` runs authorization code + PKCE + ``state`` through the browser and a one-shot
loopback listener; :func:`open_connection` rebuilds an account's authorised client from its saved
token, refreshing (and saving rotated refresh tokens) by itself.
"""

from host.auth.browser import headless_browser
from host.auth.client import AccountHttpClient, authorised_client, open_connection
from host.auth.flow import SignIn, sign_in
from host.auth.loopback import LoopbackListener
from host.auth.scopes import ScopePlan

__all__ = [
    "AccountHttpClient",
    "LoopbackListener",
    "ScopePlan",
    "SignIn",
    "authorised_client",
    "headless_browser",
    "open_connection",
    "sign_in",
]

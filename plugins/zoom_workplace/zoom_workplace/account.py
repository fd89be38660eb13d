"""The Zoom sign-in's OAuth client and the Zoom API's base URL.

Zoom's OAuth is at zoom.us (``/oauth/authorize``, ``/oauth/token``), every API under
``https://api.zoom.us/v2``. Refresh tokens are single-use: every refresh returns a new one and
revokes the old, so each is saved at once (host.auth's AccountHttpClient does that).

This account type is not registered with the host: it is not a mail account. The Zoom plugins use it
to sign in to Zoom beside a Gmail or Microsoft 365 mail account; a Zoom Mail user signs in once, and
the Zoom plugins then use the mail account's sign-in (see :mod:`zoom_workplace.session`).
"""

from __future__ import annotations

from host.providers import AccountType, OAuthSpec
from zoom_workplace.client import API_BASE

ACCOUNT_TYPE_NAME = "zoom"
#: The account type of the Zoom Mail provider, whose sign-in is also a Zoom sign-in.
ZOOM_MAIL_ACCOUNT_TYPE = "zoommail"

#: What the Zoom plugins ask for: who signed in, meetings, recordings, Team Chat, contacts and
#: phone numbers, and reading the account's settings for the admin policy (Zoom's classic scopes);
#: a live meeting's participants are a dashboard metric.
SCOPES = (
    "user:read",
    "meeting:read",
    "meeting:write",
    "dashboard_meetings:read:admin",
    "recording:read",
    "chat_message:write",
    "chat_channel:write",
    "contact:read",
    "phone:read",
    "account:read",
)

ACCOUNT_TYPE = AccountType(
    name=ACCOUNT_TYPE_NAME,
    title="Zoom Workplace",
    oauth=OAuthSpec(
        authorize_url="https://zoom.us/oauth/authorize",
        token_url="https://zoom.us/oauth/token",
        userinfo_url=f"{API_BASE}/users/me",
        client_id="zoomclient-desktop",
        redirect_path="/oauth/zoom",
        identity_scopes=SCOPES,
        single_use_refresh_tokens=True,
    ),
    endpoints={"zoom": API_BASE},
    sandbox_service="zoom",
)

"""How to sign in to zoommail accounts, and where their APIs live."""

from host.providers import AccountType, OAuthSpec

ACCOUNT_TYPE = AccountType(
    name="zoommail",
    title="Zoom Mail and Zoom Calendar",
    oauth=OAuthSpec(
        authorize_url="https://zoom.us/oauth/authorize",
        token_url="https://zoom.us/oauth/token",
        client_id="zoomclient-desktop",
        redirect_path="/oauth/zoommail",
        identity_scopes=("user:read:user",),
        # Zoom refresh tokens are single-use: every refresh must be saved at once.
        single_use_refresh_tokens=True,
    ),
    endpoints={"zoom": "https://api.zoom.us"},
    sandbox_service="zoommail",
)

MAIL_SCOPES = ("mail:read", "mail:write")
CALENDAR_SCOPES = ("calendar:read", "calendar:write")

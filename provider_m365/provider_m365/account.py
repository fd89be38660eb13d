"""How to sign in to m365 accounts, and where their APIs live."""

from host.providers import AccountType, OAuthSpec

ACCOUNT_TYPE = AccountType(
    name="m365",
    title="Microsoft 365 (Outlook mail and calendars)",
    oauth=OAuthSpec(
        authorize_url="https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
        userinfo_url="https://graph.microsoft.com/oidc/userinfo",
        client_id="5a7e0c36-zoomclient-desktop",
        redirect_path="/oauth/microsoft",
        identity_scopes=("openid", "profile", "email", "offline_access", "User.Read"),
        single_use_refresh_tokens=True,
    ),
    endpoints={"graph": "https://graph.microsoft.com"},
    sandbox_service="m365",
)

MAIL_SCOPES = ("Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite")
CALENDAR_SCOPES = ("Calendars.ReadWrite", "Calendars.ReadWrite.Shared", "Place.Read.All")

"""How to sign in to m365 accounts, and where their APIs live."""

from host.providers import AccountType, CalendarCapability, MailCapability, OAuthSpec

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

#: What Graph lets a mail client do; no signature API, so MailCapability.SIGNATURES is left out.
MAIL_CAPABILITIES = frozenset(
    {
        MailCapability.FOLDER_EDIT,
        MailCapability.CATEGORIES,
        MailCapability.DRAFTS,
        MailCapability.SERVER_SEARCH,
        MailCapability.RULES,
        MailCapability.AUTO_REPLY,
        MailCapability.ATTACHMENTS,
    }
)

CALENDAR_CAPABILITIES = frozenset(
    {
        CalendarCapability.FREE_BUSY,
        CalendarCapability.RESPOND,
        CalendarCapability.RECURRENCE,
        CalendarCapability.INCREMENTAL,
        CalendarCapability.DELEGATES,
        CalendarCapability.FIND_TIMES,
    }
)

"""How to sign in to gmail accounts, and where their APIs live."""

from host.providers import AccountType, CalendarCapability, MailCapability, OAuthSpec

ACCOUNT_TYPE = AccountType(
    name="gmail",
    title="Google (Gmail and Google Calendar)",
    oauth=OAuthSpec(
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        userinfo_url="https://openidconnect.googleapis.com/v1/userinfo",
        client_id="zoomclient-desktop.apps.googleusercontent.com",
        redirect_path="/oauth/google",
        identity_scopes=("openid", "email", "profile"),
        # offline access returns a refresh token; consent makes Google show the scope choices again.
        authorize_params={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "false"},
    ),
    endpoints={
        "gmail": "https://gmail.googleapis.com",
        "calendar": "https://www.googleapis.com",
    },
    sandbox_service="gmail",
)

# The full mail scope, as desktop clients have it: gmail.modify stops at the trash and only this one
# deletes for good; filters and vacation want gmail.settings.basic besides.
MAIL_SCOPES = (
    "https://mail.google.com/",
    "https://www.googleapis.com/auth/gmail.settings.basic",
)
CALENDAR_SCOPES = ("https://www.googleapis.com/auth/calendar",)

#: What the Gmail provider can do; here, beside the scopes, so that the hooks need not import it.
MAIL_CAPABILITIES = frozenset(
    {
        MailCapability.LABELS,
        MailCapability.FOLDER_EDIT,
        MailCapability.DRAFTS,
        MailCapability.SERVER_SEARCH,
        MailCapability.RULES,
        MailCapability.AUTO_REPLY,
        MailCapability.SIGNATURES,
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
    }
)

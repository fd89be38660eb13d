"""How to sign in to zoommail accounts, and where their APIs live.

Zoom's OAuth is at zoom.us (``/oauth/authorize``, ``/oauth/token``), every API under
``https://api.zoom.us/v2``; who signed in is ``GET /v2/users/me``. Refresh tokens are single-use.
The scopes are the ones the specs' operations declare (their ``x-macro-scopes``).
"""

from host.providers import AccountType, CalendarCapability, MailCapability, OAuthSpec

#: Who signed in, then what the Zoom plugins need: meetings (and who is in a live one), recordings, Team Chat,
#: contacts, phone numbers and the account's settings (the admin policy). Zoom's classic scopes.
ZOOM_PLATFORM_SCOPES = (
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
    name="zoommail",
    title="Zoom Mail and Zoom Calendar",
    oauth=OAuthSpec(
        authorize_url="https://zoom.us/oauth/authorize",
        token_url="https://zoom.us/oauth/token",
        userinfo_url="https://api.zoom.us/v2/users/me",
        client_id="zoomclient-desktop",
        redirect_path="/oauth/zoommail",
        # GET /users/{userId} allows user:read (among others): enough to read the signed-in user. The rest
        # are the Zoom platform's (zoom_workplace.account.SCOPES, whose tests check the two agree): Zoom has
        # one sign-in for all its APIs, and the Zoom plugins (meetings, recordings, Team Chat, contacts, phone,
        # the admin policy) use this one, so that a Zoom Mail user signs in once.
        identity_scopes=ZOOM_PLATFORM_SCOPES,
        # Zoom refresh tokens are single-use: every refresh must be saved at once.
        single_use_refresh_tokens=True,
    ),
    endpoints={"zoom": "https://api.zoom.us/v2"},
    sandbox_service="zoommail",
)

# Every Zoom Mail operation the provider uses allows mail:read (reads) or mail:write (changes,
# settings included); the Calendar's likewise.
MAIL_SCOPES = ("mail:read", "mail:write")
CALENDAR_SCOPES = ("calendar:read", "calendar:write")

#: What the Zoom Mail provider can do; here, beside the scopes, so that the hooks need not import it.
#: No SIGNATURES: Zoom Mail's API has no sendAs or signature settings (the host keeps them locally).
MAIL_CAPABILITIES = frozenset(
    {
        MailCapability.LABELS,
        MailCapability.FOLDER_EDIT,
        MailCapability.DRAFTS,
        MailCapability.SERVER_SEARCH,
        MailCapability.RULES,
        MailCapability.AUTO_REPLY,
        MailCapability.ATTACHMENTS,
    }
)
#: DELEGATES: another person's calendar the user may write to is one they manage for its owner.
CALENDAR_CAPABILITIES = frozenset(
    {
        CalendarCapability.FREE_BUSY,
        CalendarCapability.RESPOND,
        CalendarCapability.RECURRENCE,
        CalendarCapability.INCREMENTAL,
        CalendarCapability.DELEGATES,
    }
)

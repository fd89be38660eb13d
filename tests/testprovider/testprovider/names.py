"""TestMail's fixed names: the account type, its OAuth client and its scopes."""

ACCOUNT_TYPE = "testmail"
SANDBOX_SERVICE = "testmail"
CLIENT_ID = "zoomclient-testmail"
REDIRECT_PATH = "/oauth/testmail/callback"
IDENTITY_SCOPES = ("openid", "email", "profile")
MAIL_SCOPE = "testmail.mail"
CALENDAR_SCOPE = "testmail.calendar"
#: The production origin the sandbox stands in for; it never resolves, so nothing leaves the machine.
ORIGIN = "https://testmail.invalid"

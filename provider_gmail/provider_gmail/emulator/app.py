"""The Google emulator: Gmail v1, Calendar v3 and Google's OAuth 2.0 endpoints under one origin."""

from __future__ import annotations

import threading
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from host.sandbox.calendar_store import CalendarStore
from host.sandbox.datagen import OWNER, generate_calendars
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.faults import FaultInjector, parse_fault_spec
from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.requestlog import RequestLog
from host.sandbox.service import SandboxOptions
from provider_gmail.account import ACCOUNT_TYPE
from provider_gmail.emulator import quota
from provider_gmail.emulator.batch import serve_batch
from provider_gmail.emulator.calendar import CalendarApi
from provider_gmail.emulator.gmail import GmailApi
from provider_gmail.emulator.mailbox import GmailMailbox
from provider_gmail.emulator.routing import Api
from provider_gmail.emulator.seed import seed_calendars, seed_mailbox

#: Google's OAuth paths (accounts.google.com, oauth2.googleapis.com, openidconnect.googleapis.com).
AUTHORIZE_PATH = "/o/oauth2/v2/auth"
TOKEN_PATH = "/token"
USERINFO_PATH = "/v1/userinfo"
#: Gmail's batch URL; the discovery document's ``batchPath`` (``batch``) is served too.
BATCH_PATHS = ("/batch/gmail/v1", "/batch")


class GoogleEmulator:
    """An ASGI app with its parts open to tests: ``oauth``, ``faults``, ``log``, ``mailboxes``
    (address -> :class:`GmailMailbox`), ``calendars`` (:class:`CalendarStore`) and ``endpoints``."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.user = OWNER
        self.oauth = OAuthServer(
            OAuthServerConfig(
                clients={ACCOUNT_TYPE.oauth.client_id: ACCOUNT_TYPE.oauth.redirect_path},
                users=[(OWNER.email, OWNER.name)],
                authorize_path=AUTHORIZE_PATH,
                token_path=TOKEN_PATH,
                userinfo_path=USERINFO_PATH,
                unattended=options.unattended_consent,
                # Google keeps a refresh token until it is revoked: refreshes return none.
                single_use_refresh_tokens=False,
            )
        )
        spec = parse_fault_spec(options.faults)
        self.faults = FaultInjector(
            spec, seed=options.seed, exempt=r"^/(o/oauth2/|token$|v1/userinfo$)", quota_policy=quota.policy()
        )
        if spec.quota is None:
            # Google always meters: the emulator does too unless told otherwise (set_quota(None)).
            self.faults.set_quota(quota.UNITS_PER_SECOND)
        self.log = RequestLog()
        self.lock = threading.RLock()

        mailbox = GmailMailbox(OWNER.email, OWNER.name)
        seed_mailbox(mailbox, GeneratedMailbox(options.messages, seed=options.seed, owner=OWNER))
        self.mailboxes = {OWNER.email.lower(): mailbox}
        self.calendars = CalendarStore()
        owners: dict[str, str] = {}
        seed_calendars(self.calendars, generate_calendars(options.events, seed=options.seed, owner=OWNER), owners)

        self.api = Api(self.oauth, self.lock)
        self.gmail = GmailApi(self.mailboxes, lambda: self.faults.should_expire_cursor("/gmail/v1/users/me/history"))
        self.calendar = CalendarApi(
            self.calendars, owners, lambda: self.faults.should_expire_cursor("/calendar/v3/events")
        )
        self.api.add(self.gmail.endpoints())
        self.api.add(self.calendar.endpoints())
        batch = serve_batch(self.api, self.faults)
        routes = [
            *self.oauth.routes,
            *self.api.routes,
            *(Route(path, batch, methods=["POST"]) for path in BATCH_PATHS),
        ]
        self.app = Starlette(routes=routes)
        self._asgi = self.log.wrap(self.faults.wrap(self.app))

    @property
    def mailbox(self) -> GmailMailbox:
        """The signed-in user's mailbox."""
        return self.mailboxes[self.user.email.lower()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self._asgi(scope, receive, send)


def create_app(options: SandboxOptions) -> GoogleEmulator:
    return GoogleEmulator(options)

"""The Zoom emulator: Zoom's OAuth, the signed-in user's profile, Zoom Mail and Zoom Calendar under one origin.

On Zoom every API is under ``api.zoom.us`` and one authorization server (``zoom.us/oauth``) signs in for
all of them, so a Zoom Mail user's sign-in also works for meetings, recordings, Team Chat and the rest.
The emulator does the same when the Zoom platform plugin (zoomclient-zoom-workplace) is installed: it
serves that plugin's emulated platform routes under its own origin, trusting its own tokens, and the
platform's ``GET /v2/users/{userId}`` (the full profile, with the plan and groups the admin policy reads)
stands in for its own. Installed alone it serves Zoom Mail, Zoom Calendar and its own profile only.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.calendar_store import CalendarStore
from host.sandbox.datagen import OWNER, generate_calendars
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.faults import FaultInjector, parse_fault_spec
from host.sandbox.oauth import OAuthServer, OAuthServerConfig
from host.sandbox.requestlog import RequestLog
from host.sandbox.service import SandboxOptions
from provider_zoommail.account import ACCOUNT_TYPE
from provider_zoommail.emulator import quota
from provider_zoommail.emulator.calendar import CalendarApi
from provider_zoommail.emulator.errors import ZoomError
from provider_zoommail.emulator.mail import MailApi
from provider_zoommail.emulator.mailbox import ZoomMailbox
from provider_zoommail.emulator.routing import Api
from provider_zoommail.emulator.seed import seed_calendars, seed_mailbox

#: Zoom's OAuth paths (zoom.us) and the profile the host reads after sign-in (api.zoom.us).
AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"
USER_PATH = "/v2/users/{userId}"
#: The scopes that allow GET /users/{userId} (zoom-users.openapi.json's x-macro-scopes and granular scope).
USER_SCOPES = ("user:read", "user:write", "user:read:admin", "user:write:admin", "user_profile", "user_info:read")
USER_GRANULAR_SCOPES = ("user:read:user", "user:read:user:admin")


class ZoomEmulator:
    """An ASGI app with its parts open to tests: ``oauth``, ``faults``, ``log``, ``mailboxes``
    (address -> :class:`ZoomMailbox`), ``calendars`` (:class:`CalendarStore`), ``calendar``
    (the Calendar API, with the users' settings) and ``api.endpoints``."""

    def __init__(self, options: SandboxOptions, *, platform: bool = True) -> None:
        self.options = options
        self.user = OWNER
        self.oauth = OAuthServer(
            OAuthServerConfig(
                clients={ACCOUNT_TYPE.oauth.client_id: ACCOUNT_TYPE.oauth.redirect_path},
                users=[(OWNER.email, OWNER.name)],
                authorize_path=AUTHORIZE_PATH,
                token_path=TOKEN_PATH,
                userinfo_path=None,  # Zoom has none: the host reads GET /v2/users/me
                unattended=options.unattended_consent,
                # Zoom's refresh tokens are single-use: every refresh returns a new one.
                single_use_refresh_tokens=True,
            )
        )
        spec = parse_fault_spec(options.faults)
        # The sign-in (OAuth and the profile it reads) is left alone by random faults and the meter.
        exempt = r"^/(oauth/|v2/users/me$)"
        self.faults = FaultInjector(spec, seed=options.seed, exempt=exempt, quota_policy=quota.policy())
        if spec.quota is None:
            # Zoom always meters: the emulator does too unless told otherwise (set_quota(None)).
            self.faults.set_quota(quota.REQUESTS_PER_SECOND)
        self.log = RequestLog()
        self.lock = threading.RLock()

        mailbox = ZoomMailbox(OWNER.email, OWNER.name)
        seed_mailbox(mailbox, GeneratedMailbox(options.messages, seed=options.seed, owner=OWNER))
        self.mailboxes = {OWNER.email.lower(): mailbox}
        self.calendars = CalendarStore()
        owners: dict[str, str] = {}
        seed_calendars(self.calendars, generate_calendars(options.events, seed=options.seed, owner=OWNER), owners)

        self.api = Api(self.oauth, self.lock)
        self.mail = MailApi(self.mailboxes, lambda: self.faults.should_expire_cursor("/v2/emails/history"))
        self.calendar = CalendarApi(
            self.calendars, owners, lambda: self.faults.should_expire_cursor("/v2/calendars/events")
        )
        #: the Zoom platform's emulator served under this origin (see the module docstring), or None
        self.platform = _zoom_platform(options, self.oauth) if platform else None
        if self.platform is None:
            self.api.add(
                [Endpoint("user", "GET", USER_PATH, self._user, frozenset(), USER_SCOPES + USER_GRANULAR_SCOPES)]
            )
        self.api.add(self.mail.endpoints())
        self.api.add(self.calendar.endpoints())
        routes: list[Any] = [*self.oauth.routes, *self.api.routes]
        if self.platform is not None:
            routes.append(Mount("", app=self.platform.api))  # after Zoom Mail's and Calendar's: they win
        self.app = Starlette(routes=routes)
        self._asgi = self.log.wrap(self.faults.wrap(self.app))

    @property
    def mailbox(self) -> ZoomMailbox:
        """The signed-in user's mailbox."""
        return self.mailboxes[self.user.email.lower()]

    def _user(self, call: Call) -> dict:
        """GET /users/me: the signed-in user (``me`` or their own address or id only)."""
        if call.path["userId"] not in ("me", call.user.email, _user_id(call.user.email)):
            raise ZoomError(404, f"User does not exist: {call.path['userId']}.", code=1001)
        first, _, last = call.user.name.partition(" ")
        return {
            "id": _user_id(call.user.email),
            "first_name": first,
            "last_name": last,
            "display_name": call.user.name,
            "email": call.user.email,
            "type": 2,
            "timezone": "Europe/Berlin",
            "status": "active",
            "account_id": "zcAccount0000000000001",
        }

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self._asgi(scope, receive, send)


def _zoom_platform(options: SandboxOptions, oauth: OAuthServer) -> Any:
    """The Zoom platform plugin's emulator trusting ``oauth``; None when that plugin is not installed."""
    try:
        from zoom_workplace.emulator.app import ZoomEmulator as ZoomPlatformEmulator
    except ImportError:
        return None
    return ZoomPlatformEmulator(options, oauth=oauth)


def _user_id(email: str) -> str:
    return "zu" + email.split("@")[0].replace(".", "")[:20]


def create_app(options: SandboxOptions) -> ZoomEmulator:
    return ZoomEmulator(options)

"""An OAuth 2.0 authorization server for the emulators, built on authlib's RFC 6749 / RFC 7636 grants.

It serves public desktop clients the way the real providers do: authorization code with PKCE
(S256 only, required), RFC 8252 loopback redirects (``http://127.0.0.1:<any port><registered path>``),
scopes, expiring access tokens and, where the provider does so, single-use refresh tokens that rotate
on every refresh. A consent step approves at once in unattended mode and can be told to decline some
scopes, so tests can sign in without a browser and still exercise a user who said no to the calendar.

Usage in an emulator::

    oauth = OAuthServer(OAuthServerConfig(
        authorize_path="/oauth/authorize", token_path="/oauth/token", userinfo_path="/oauth/userinfo",
        clients={"zoomclient-desktop": "/oauth/zoommail/callback"},
        users=[("ada@example.com", "Ada Lovelace")],
    ))
    app = Starlette(routes=[*oauth.routes, Route("/v2/emails/...", handler)])

    async def handler(request):
        token = oauth.require_token(request, scopes=("mail:read", "mail:write"))
        ...  # token.email is whose mailbox to show

All state is in memory. The server answers plain HTTP, which authlib allows on loopback hosts only:
serve it on ``127.0.0.1`` (the sandbox runner does).
"""

from __future__ import annotations

import html
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

import attrs
from authlib.oauth2.rfc6749 import (
    AuthorizationServer,
    ClientMixin,
    InsecureTransportError,
    InvalidRequestError,
    OAuth2Error,
    OAuth2Payload,
    OAuth2Request,
    TokenMixin,
    grants,
    scope_to_list,
)
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

#: How long an authorization code may wait for its exchange (RFC 6749 §4.1.2 recommends ≤ 10 min).
CODE_TTL = 600


@attrs.frozen
class OAuthUser:
    """An account the emulator knows: whoever signs in is one of these."""

    email: str
    name: str


@attrs.frozen
class TokenInfo:
    """Who an accepted access token belongs to and what it allows."""

    email: str
    name: str
    scopes: frozenset[str]
    client_id: str


@attrs.define
class OAuthServerConfig:
    """How an emulator's authorization server behaves.

    ``clients`` maps each public client id to its registered redirect *path*; any loopback port is
    accepted with it (RFC 8252 §7.3). The first of ``users`` signs in unless the authorization request
    names another with ``login_hint``. ``scopes`` lists the scopes the server knows (None accepts any).
    ``declined_scopes`` are the scopes the consent step says no to; the token response's ``scope``
    then lists only the rest. ``unattended`` approves without a page; otherwise ``GET authorize``
    serves an HTML consent form with a checkbox per scope. ``single_use_refresh_tokens`` makes every
    refresh return a new refresh token and revoke the old one (Zoom, Microsoft); without it the
    refresh token stays and none is returned (Google). ``clock`` lets tests move time forward.
    ``declined_scopes``, ``unattended``, ``access_token_ttl`` and ``single_use_refresh_tokens`` are
    read on every request, so a test may change them while the server runs.
    """

    clients: Mapping[str, str]
    users: Sequence[tuple[str, str]]
    authorize_path: str = "/oauth/authorize"
    token_path: str = "/oauth/token"
    userinfo_path: str | None = "/oauth/userinfo"
    scopes: Collection[str] | None = None
    access_token_ttl: int = 3600
    declined_scopes: set[str] = attrs.field(factory=set)
    unattended: bool = True
    single_use_refresh_tokens: bool = True
    clock: Callable[[], float] = time.time


@attrs.define
class _Client(ClientMixin):
    client_id: str
    redirect_path: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        # A loopback client's port changes every sign-in: the request must say where to go.
        return None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)
        try:
            port = parts.port
        except ValueError:
            return False
        return (
            parts.scheme == "http"
            and parts.hostname == "127.0.0.1"
            and port is not None
            and parts.path == self.redirect_path
            and not parts.fragment
        )

    def get_allowed_scope(self, scope: str | None) -> str:
        return scope or ""

    def check_client_secret(self, client_secret: str) -> bool:
        return False

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


@attrs.define
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: OAuthUser
    code_challenge: str
    code_challenge_method: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@attrs.define
class _Token(TokenMixin):
    client_id: str
    user: OAuthUser
    scope: str
    access_token: str
    refresh_token: str | None
    issued_at: float
    expires_in: int
    revoked: bool = False
    refresh_revoked: bool = False

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> OAuthUser:
        return self.user


@attrs.frozen
class _Consent:
    """What the resource owner approved: authlib passes it through as ``request.user``."""

    user: OAuthUser
    scopes: frozenset[str]


class _Payload(OAuth2Payload):
    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._data = {}
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in items:
            self._data.setdefault(key, value)
            self._datalist[key].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _Request(OAuth2Request):
    """A starlette request whose form was read already (authlib's grants are synchronous)."""

    def __init__(self, request: Request, form: Sequence[tuple[str, str]]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = dict(form)
        self.payload = _Payload([*request.query_params.multi_items(), *form])

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


def _oauth_request(request: Request, form: Sequence[tuple[str, str]]) -> _Request | Response:
    """The request for authlib, or the error page when it came over plain HTTP from afar.

    authlib allows plain HTTP on loopback hosts only (``127.0.0.1``, ``localhost``); a test client's
    ``http://testserver`` gets this 400 rather than a crash.
    """
    try:
        return _Request(request, form)
    except InsecureTransportError as error:
        status, body, headers = error()
        return JSONResponse(body, status_code=status, headers=dict(headers))


async def _form(request: Request) -> list[tuple[str, str]]:
    """The fields of an ``application/x-www-form-urlencoded`` body, the only kind OAuth posts (RFC 6749 §3.2)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return []
    return parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)


class _S256Required(CodeChallenge):
    """PKCE as RFC 8252 wants it for native apps: a challenge on every request, S256 only."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: grants.AuthorizationCodeGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': this server requires PKCE.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': use S256.")
        super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["none"]
    server: _Server

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        consent: _Consent = request.user
        granted = [scope for scope in scope_to_list(request.scope) or [] if scope in consent.scopes]
        data = request.payload.data
        self.server.codes[code] = _Code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=" ".join(granted),
            user=consent.user,
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            expires_at=self.server.config.clock() + CODE_TTL,
        )

    def query_authorization_code(self, code: str, client: ClientMixin) -> _Code | None:
        # Taken out on the first attempt, good or bad: a code is never tried twice (RFC 6749 §4.1.2).
        found = self.server.codes.pop(code, None)
        if found is None or found.client_id != client.get_client_id():
            return None
        if found.expires_at < self.server.config.clock():
            return None
        return found

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        self.server.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: _Code) -> OAuthUser:
        return authorization_code.user


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["none"]
    server: _Server

    def authenticate_refresh_token(self, refresh_token: str) -> _Token | None:
        token = self.server.refresh_tokens.get(refresh_token)
        if token is None or token.refresh_revoked:
            return None
        return token

    def authenticate_user(self, refresh_token: _Token) -> OAuthUser:
        return refresh_token.user

    def issue_token(self, user: OAuthUser, refresh_token: _Token) -> dict[str, Any]:
        return self.generate_token(
            user=user,
            scope=self.request.payload.scope or refresh_token.get_scope(),
            include_refresh_token=self.server.config.single_use_refresh_tokens,
        )

    def revoke_old_credential(self, refresh_token: _Token) -> None:
        if self.server.config.single_use_refresh_tokens:
            refresh_token.refresh_revoked = True


class _Server(AuthorizationServer):
    """authlib's server bound to in-memory state and starlette responses."""

    def __init__(self, config: OAuthServerConfig) -> None:
        super().__init__(scopes_supported=list(config.scopes) if config.scopes is not None else None)
        self.config = config
        self.clients = {client_id: _Client(client_id, path) for client_id, path in config.clients.items()}
        self.codes: dict[str, _Code] = {}
        self.access_tokens: dict[str, _Token] = {}
        self.refresh_tokens: dict[str, _Token] = {}
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: secrets.token_urlsafe(32),
                refresh_token_generator=lambda **_: secrets.token_urlsafe(48),
                expires_generator=lambda client, grant_type: config.access_token_ttl,
            ),
        )
        self.register_grant(_CodeGrant, [_S256Required(required=True)])
        self.register_grant(_RefreshGrant)

    def query_client(self, client_id: str) -> _Client | None:
        return self.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        record = _Token(
            client_id=request.client.get_client_id(),
            user=request.user,
            scope=token.get("scope", ""),
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token"),
            issued_at=self.config.clock(),
            expires_in=token["expires_in"],
        )
        self.access_tokens[record.access_token] = record
        if record.refresh_token:
            self.refresh_tokens[record.refresh_token] = record

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        # The route handlers build the request themselves, after awaiting the body.
        return request

    def handle_response(self, status: int, body: Any, headers: Sequence[tuple[str, str]]) -> Response:
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=dict(headers))
        return Response(body, status_code=status, headers=dict(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's hook for framework signals; the sandbox has no listeners."""


class OAuthServer:
    """The authorization server one emulator mounts: ``routes`` plus :meth:`require_token`."""

    def __init__(self, config: OAuthServerConfig) -> None:
        if not config.users:
            raise ValueError("an OAuth server needs at least one user")
        self.config = config
        self.users = [OAuthUser(email, name) for email, name in config.users]
        self._server = _Server(config)
        self.routes: list[Route] = [
            Route(config.authorize_path, self._authorize, methods=["GET", "POST"]),
            Route(config.token_path, self._token, methods=["POST"]),
        ]
        if config.userinfo_path is not None:
            self.routes.append(Route(config.userinfo_path, self._userinfo, methods=["GET"]))

    # -- API for the emulator's routes --------------------------------------------------------

    def require_token(self, request: Request, scopes: Collection[str] = ()) -> TokenInfo:
        """The bearer token's owner, or an HTTPException (RFC 6750 §3).

        401 with ``WWW-Authenticate`` when the token is missing, unknown, revoked or expired; 403
        when ``scopes`` is not empty and the token holds none of them (APIs list the scopes that
        each allow a call, from least to most privileged: any one of them suffices).
        """
        header = request.headers.get("authorization", "")
        kind, _, value = header.partition(" ")
        if kind.lower() != "bearer" or not value:
            raise self._unauthorized(None, "A bearer token is required.")
        token = self._server.access_tokens.get(value.strip())
        if token is None or token.revoked:
            raise self._unauthorized("invalid_token", "The access token is unknown or revoked.")
        if token.issued_at + token.expires_in <= self.config.clock():
            raise self._unauthorized("invalid_token", "The access token expired.")
        granted = frozenset(scope_to_list(token.scope) or ())
        if scopes and granted.isdisjoint(scopes):
            wanted = " ".join(scopes)
            raise HTTPException(
                403,
                detail=f"The access token lacks a scope for this call: one of {wanted}.",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{wanted}"'},
            )
        return TokenInfo(token.user.email, token.user.name, granted, token.client_id)

    def revoke_all(self, email: str | None = None) -> None:
        """Revoke every access and refresh token (of ``email`` alone when given), as a password change does."""
        for token in list(self._server.access_tokens.values()):  # the server thread may be adding some
            if email is None or token.user.email == email:
                token.revoked = True
                token.refresh_revoked = True

    # -- routes ---------------------------------------------------------------------------------

    def _unauthorized(self, error: str | None, detail: str) -> HTTPException:
        challenge = 'Bearer realm="sandbox"'
        if error:
            challenge += f', error="{error}"'
        return HTTPException(401, detail=detail, headers={"WWW-Authenticate": challenge})

    def _user_for(self, login_hint: str | None) -> OAuthUser:
        for user in self.users:
            if login_hint and user.email.lower() == login_hint.lower():
                return user
        return self.users[0]

    async def _authorize(self, request: Request) -> Response:
        posted = await _form(request) if request.method == "POST" else None
        # The consent form posts back to the same URL: the authorization request stays in the query.
        oauth_request = _oauth_request(request, [])
        if isinstance(oauth_request, Response):
            return oauth_request
        user = self._user_for(request.query_params.get("login_hint"))
        try:
            grant = self._server.get_consent_grant(oauth_request, end_user=user)
        except OAuth2Error as error:
            return self._server.handle_error_response(oauth_request, error)
        requested = scope_to_list(oauth_request.scope) or []
        if posted is not None:
            if ("decision", "allow") in posted:
                consent = _Consent(user, frozenset(value for key, value in posted if key == "scope"))
            else:
                consent = None
        elif self.config.unattended:
            consent = _Consent(user, frozenset(requested) - self.config.declined_scopes)
        else:
            return HTMLResponse(self._consent_page(str(request.url), user, requested))
        if consent is not None and requested and not consent.scopes.intersection(requested):
            consent = None  # nothing approved is a refusal, as on the real consent screens
        return self._server.create_authorization_response(oauth_request, grant_user=consent, grant=grant)

    async def _token(self, request: Request) -> Response:
        oauth_request = _oauth_request(request, await _form(request))
        if isinstance(oauth_request, Response):
            return oauth_request
        return self._server.create_token_response(oauth_request)

    async def _userinfo(self, request: Request) -> Response:
        token = self.require_token(request)
        return JSONResponse({"sub": token.email, "email": token.email, "name": token.name})

    def _consent_page(self, action: str, user: OAuthUser, requested: Sequence[str]) -> str:
        boxes = "".join(
            f'<label><input type="checkbox" name="scope" value="{html.escape(scope)}"'
            f"{'' if scope in self.config.declined_scopes else ' checked'}> {html.escape(scope)}</label><br>"
            for scope in requested
        )
        return (
            "<!doctype html><html><head><meta charset=utf-8><title>Allow access</title></head><body>"
            f"<h1>Allow zoomclient to use {html.escape(user.email)}?</h1>"
            f'<form method="post" action="{html.escape(action)}">{boxes}'
            '<button name="decision" value="allow">Allow</button> '
            '<button name="decision" value="deny">Deny</button></form></body></html>'
        )

"""Signing in to Zoom, the Zoom client of whoever is signed in, and the admin policy last read.

A user with a Gmail or Microsoft 365 mail account signs in to Zoom on its own (``zoomclient zoom
signin``); a Zoom Mail user does not: the mail account's sign-in is the Zoom sign-in. Either way the
token lives in the host's secret store under the account's key, the record of who is signed in to
Zoom beside it (``zoom/signed-in-user``), and so does the admin policy read at the last check
(``zoom/admin-policy``, with when it was read and why the last read anew failed, if it did), which the
host consults without touching the network.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets as random_secrets
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from host.auth import LoopbackListener, authorised_client
from host.errors import AuthError, UsageError, ZoomclientError
from host.model.account import Account
from host.providers import AccountType
from host.secrets import SecretStore, save_token
from host.secrets.account_secrets import token_name
from zoom_workplace.account import ACCOUNT_TYPE, ACCOUNT_TYPE_NAME, ZOOM_MAIL_ACCOUNT_TYPE
from zoom_workplace.client import ZoomClient
from zoom_workplace.policy import FeaturePolicy, read_policy
from zoom_workplace.profile import ZoomUser

if TYPE_CHECKING:
    from host.app import Host

log = logging.getLogger(__name__)

RECORD_NAME = "zoom/signed-in-user"
POLICY_NAME = "zoom/admin-policy"


@attrs.frozen
class ZoomSignIn:
    """Who is signed in to Zoom, their profile and the admin policy of their account."""

    account: Account
    user: ZoomUser
    policy: FeaturePolicy


def _save_record(store: SecretStore, account: Account) -> None:
    store.set(
        RECORD_NAME,
        json.dumps({"email": account.email, "display_name": account.display_name, "sandbox_url": account.sandbox_url}),
    )


def zoom_account(store: SecretStore, host: Host | None = None) -> tuple[AccountType, Account] | None:
    """The Zoom sign-in the plugins use: Zoom's own, else a Zoom Mail account's; None when neither."""
    raw = store.get(RECORD_NAME)
    if raw is not None:
        data = json.loads(raw)
        account = Account(
            email=data["email"],
            account_type=ACCOUNT_TYPE_NAME,
            display_name=data.get("display_name", ""),
            sandbox_url=data.get("sandbox_url"),
        )
        return ACCOUNT_TYPE, account
    from host.accounts.record import load_record

    mail_account = load_record(store)
    if mail_account is not None and mail_account.account_type == ZOOM_MAIL_ACCOUNT_TYPE and host is not None:
        for account_type in host.registry.account_types:
            if account_type.name == ZOOM_MAIL_ACCOUNT_TYPE:
                return account_type, mail_account
    return None


class ZoomSignInNeeded(UsageError):
    """Nobody is signed in to Zoom (neither on their own nor through a Zoom Mail account)."""

    def __init__(self) -> None:
        super().__init__("Nobody is signed in to Zoom.", hint="Sign in with `zoomclient zoom signin`.")


def open_client(store: SecretStore, host: Host | None = None, **client_options: Any) -> ZoomClient:
    """The Zoom client of whoever is signed in to Zoom; close it when done. Raises ZoomSignInNeeded when nobody is."""
    found = zoom_account(store, host)
    if found is None:
        raise ZoomSignInNeeded()
    account_type, account = found
    if account.sandbox_url is not None:
        account_type = account_type.rebased(account.sandbox_url)
    http = authorised_client(account_type, account, store, timeout=30.0)
    return ZoomClient(http, account_type.endpoints["zoom"], **client_options)


@attrs.frozen
class PolicyCheck:
    """The admin policy in force: whose, when it was read, and why the last read anew failed (``error``,
    at ``failed_at``; the policy read before stays in force). ``policy`` is None until one read succeeds."""

    email: str
    policy: FeaturePolicy | None
    read_at: dt.datetime | None = None
    error: str = ""
    failed_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "policy": self.policy.to_json() if self.policy is not None else None,
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "error": self.error,
            "failed_at": self.failed_at.isoformat() if self.failed_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PolicyCheck:
        def moment(key: str) -> dt.datetime | None:
            return dt.datetime.fromisoformat(data[key]) if data.get(key) else None

        policy = data.get("policy")
        return cls(
            email=str(data.get("email", "")),
            policy=FeaturePolicy.from_json(policy) if policy is not None else None,
            read_at=moment("read_at"),
            error=str(data.get("error") or ""),
            failed_at=moment("failed_at"),
        )


def saved_check(store: SecretStore) -> PolicyCheck | None:
    """The last check of the admin policy (no network); None when there was none."""
    raw = store.get(POLICY_NAME)
    return PolicyCheck.from_json(json.loads(raw)) if raw is not None else None


def saved_policy(store: SecretStore) -> FeaturePolicy | None:
    """The admin policy read at the last successful check (no network)."""
    found = saved_check(store)
    return found.policy if found is not None else None


def save_policy(store: SecretStore, email: str, policy: FeaturePolicy) -> PolicyCheck:
    checked = PolicyCheck(email, policy, read_at=dt.datetime.now(dt.UTC))
    store.set(POLICY_NAME, json.dumps(checked.to_json()))
    return checked


def forget_policy_of(store: SecretStore, account: Account) -> bool:
    """Delete the saved policy if it is ``account``'s and ``account`` was the Zoom sign-in (a Zoom Mail
    account signed out); True when it was deleted."""
    checked = saved_check(store)
    if account.account_type != ZOOM_MAIL_ACCOUNT_TYPE or store.get(RECORD_NAME) is not None or checked is None:
        return False
    if checked.email.lower() != account.email.lower():
        return False
    store.delete(POLICY_NAME)
    return True


def save_failure(store: SecretStore, email: str, error: str) -> PolicyCheck:
    """Note a failed read, keeping the policy read before (of the same user) in force."""
    before = saved_check(store)
    now = dt.datetime.now(dt.UTC)
    if before is None or before.email.lower() != email.lower():
        checked = PolicyCheck(email, None, error=error, failed_at=now)
    else:
        checked = attrs.evolve(before, error=error, failed_at=now)
    store.set(POLICY_NAME, json.dumps(checked.to_json()))
    return checked


async def check(client: ZoomClient, store: SecretStore) -> tuple[ZoomUser, FeaturePolicy]:
    """Read the user's profile and the admin policy anew, and keep the policy for the host."""
    user = ZoomUser.from_json(await client.me())
    policy = await read_policy(client, user)
    save_policy(store, user.email, policy)
    return user, policy


async def refresh_policy(store: SecretStore, host: Host | None = None) -> PolicyCheck | None:
    """Read the admin policy anew for whoever is signed in to Zoom (None when nobody is).

    A read that fails raises nothing: the policy read before stays in force, and the check returned
    (and kept) says what went wrong, for the app and ``zoomclient zoom status`` to show.
    """
    found = zoom_account(store, host)
    if found is None:
        return None
    email = found[1].email
    client = open_client(store, host)
    try:
        await check(client, store)
    except (ZoomclientError, httpx.HTTPError) as error:
        # What went wrong and what to do (a ZoomclientError's text carries its hint).
        what = str(error) if isinstance(error, ZoomclientError) else f"Zoom could not be reached ({error})."
        log.warning("reading the Zoom admin policy anew failed: %s", what)
        return save_failure(store, email, what)
    finally:
        await client.aclose()
    return saved_check(store)


async def sign_in(
    store: SecretStore,
    *,
    sandbox_url: str | None = None,
    open_browser: Callable[[str], object] = webbrowser.open,
    timeout: float = 300.0,
    login_hint: str | None = None,
) -> ZoomSignIn:
    """Sign in to Zoom: authorization code + PKCE (S256) + ``state`` as a public client, through the
    browser and a loopback listener; then read the profile and the admin policy.

    ``sandbox_url`` signs in against the Zoom emulator; ``login_hint`` names the account to sign in as.
    """
    if store.get(RECORD_NAME) is not None:
        raise UsageError("Someone is signed in to Zoom already.", hint="Sign out first: `zoomclient zoom signout`.")
    account_type = ACCOUNT_TYPE.rebased(sandbox_url) if sandbox_url else ACCOUNT_TYPE
    spec = account_type.oauth
    state = random_secrets.token_urlsafe(32)
    verifier = random_secrets.token_urlsafe(64)
    extra = {"login_hint": login_hint} if login_hint else {}
    async with LoopbackListener(spec.redirect_path, state, timeout=timeout) as listener:
        oauth = AsyncOAuth2Client(
            client_id=spec.client_id,
            token_endpoint_auth_method="none",
            scope=" ".join(spec.identity_scopes),
            redirect_uri=listener.redirect_uri,
            code_challenge_method="S256",
        )
        async with oauth:
            url, _ = oauth.create_authorization_url(spec.authorize_url, state=state, code_verifier=verifier, **extra)
            await asyncio.to_thread(open_browser, url)
            answer = await listener.wait()
            try:
                token = dict(await oauth.fetch_token(spec.token_url, code=answer["code"], code_verifier=verifier))
                response = await oauth.get(account_type.endpoints["zoom"] + "/users/me")
                response.raise_for_status()
                user = ZoomUser.from_json(response.json())
            except OAuthError as error:
                raise AuthError(
                    f"Zoom refused the sign-in code: {error.error} ({error.description}).", hint="Sign in again."
                ) from error
            except (httpx.HTTPError, ValueError, KeyError) as error:
                raise AuthError(
                    f"Zoom could not be reached to finish the sign-in: {error}.",
                    hint="Check the network connection and sign in again.",
                ) from error
    account = Account(
        email=user.email,
        account_type=ACCOUNT_TYPE_NAME,
        display_name=user.display_name,
        features=frozenset(),
        sandbox_url=sandbox_url,
    )
    # The token first: a crash between the two leaves a token nobody points at, never a record without one.
    save_token(store, account, token)
    _save_record(store, account)
    client = open_client(store)
    try:
        user, policy = await check(client, store)
    finally:
        await client.aclose()
    return ZoomSignIn(account, user, policy)


def sign_out(store: SecretStore) -> Account | None:
    """Forget the Zoom sign-in (its token, its record and the policy read with it)."""
    found = zoom_account(store)
    if found is None:
        return None
    _, account = found
    store.delete(token_name(account))
    store.delete(RECORD_NAME)
    store.delete(POLICY_NAME)
    return account

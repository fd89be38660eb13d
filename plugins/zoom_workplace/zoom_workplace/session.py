"""Signing in to Zoom, the Zoom client of whoever is signed in, and the admin policy last read.

A user with a Gmail or Microsoft 365 mail account signs in to Zoom on its own (``zoomclient zoom
signin``); a Zoom Mail user does not: the mail account's sign-in is the Zoom sign-in. Either way the
token lives in the host's secret store under the account's key, the record of who is signed in to
Zoom beside it (``zoom/signed-in-user``), and so does the admin policy read at the last check
(``zoom/admin-policy``), which the host consults without touching the network.
"""

from __future__ import annotations

import asyncio
import json
import secrets as random_secrets
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from host.auth import LoopbackListener, authorised_client
from host.errors import AuthError, UsageError
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


def open_client(store: SecretStore, host: Host | None = None, **client_options: Any) -> ZoomClient:
    """The Zoom client of whoever is signed in to Zoom; close it when done. Raises UsageError when nobody is."""
    found = zoom_account(store, host)
    if found is None:
        raise UsageError("Nobody is signed in to Zoom.", hint="Sign in with `zoomclient zoom signin`.")
    account_type, account = found
    if account.sandbox_url is not None:
        account_type = account_type.rebased(account.sandbox_url)
    http = authorised_client(account_type, account, store, timeout=30.0)
    return ZoomClient(http, account_type.endpoints["zoom"], **client_options)


def saved_policy(store: SecretStore) -> FeaturePolicy | None:
    """The admin policy read at the last sign-in or status check (no network)."""
    raw = store.get(POLICY_NAME)
    return FeaturePolicy.from_json(json.loads(raw)["policy"]) if raw is not None else None


def save_policy(store: SecretStore, email: str, policy: FeaturePolicy) -> None:
    store.set(POLICY_NAME, json.dumps({"email": email, "policy": policy.to_json()}))


async def check(client: ZoomClient, store: SecretStore) -> tuple[ZoomUser, FeaturePolicy]:
    """Read the user's profile and the admin policy anew, and keep the policy for the host."""
    user = ZoomUser.from_json(await client.me())
    policy = await read_policy(client, user)
    save_policy(store, user.email, policy)
    return user, policy


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

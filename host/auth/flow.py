"""The desktop sign-in: authorization code + PKCE (S256) + ``state`` through the system browser.

authlib's :class:`AsyncOAuth2Client` builds the authorization URL and exchanges the code; the
:class:`~host.auth.loopback.LoopbackListener` receives the redirect. The granted ``scope`` of the
token response decides which features the account gets, so a user who declined the calendar at
consent signs in with mail alone and is told so.
"""

from __future__ import annotations

import asyncio
import secrets
import webbrowser
from collections.abc import Callable
from typing import Any

import attrs
import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc6749 import scope_to_list

from host.auth.loopback import LoopbackListener
from host.auth.scopes import ScopePlan
from host.errors import AuthError
from host.model.account import Account
from host.providers import AccountType


@attrs.frozen
class SignIn:
    """A finished sign-in: the account, its token (to save with :func:`host.secrets.save_token`)
    and one sentence for each feature the user did not grant."""

    account: Account
    token: dict[str, Any] = attrs.field(repr=False)
    notices: tuple[str, ...] = ()


async def sign_in(
    account_type: AccountType,
    plan: ScopePlan,
    *,
    open_browser: Callable[[str], object] = webbrowser.open,
    timeout: float = 300.0,
    sandbox_url: str | None = None,
) -> SignIn:
    """Sign in to ``account_type`` asking for ``plan``'s scopes.

    ``open_browser`` is called (in a worker thread, so it may block) with the authorization URL;
    the user's browser, or :func:`~host.auth.browser.headless_browser`, then lands on the loopback
    listener. ``sandbox_url`` signs in against that emulator instead of the provider and is kept in
    the account. Raises AuthError when the sign-in is cancelled, refused, forged or times out, and
    when the user granted neither mail nor calendar.
    """
    if sandbox_url is not None:
        account_type = account_type.rebased(sandbox_url)
    spec = account_type.oauth
    state = secrets.token_urlsafe(32)
    code_verifier = secrets.token_urlsafe(64)  # 86 characters, inside RFC 7636's 43..128
    requested = plan.requested()
    async with LoopbackListener(spec.redirect_path, state, timeout=timeout) as listener:
        client = AsyncOAuth2Client(
            client_id=spec.client_id,
            token_endpoint_auth_method="none",
            scope=" ".join(requested),
            redirect_uri=listener.redirect_uri,
            code_challenge_method="S256",
        )
        async with client:
            url, _ = client.create_authorization_url(
                spec.authorize_url, state=state, code_verifier=code_verifier, **spec.authorize_params
            )
            await asyncio.to_thread(open_browser, url)
            answer = await listener.wait()
            try:
                token = dict(await client.fetch_token(spec.token_url, code=answer["code"], code_verifier=code_verifier))
            except OAuthError as error:
                raise AuthError(
                    f"{account_type.title} refused the sign-in code: {error.error} ({error.description}).",
                    hint="Sign in again.",
                ) from error
            except httpx.HTTPError as error:
                raise _unreachable(account_type, error) from error
            email, name = await _identity(client, account_type)
    # RFC 6749 §5.1: a token response without "scope" grants exactly what was asked.
    granted = tuple(scope_to_list(token["scope"])) if "scope" in token else requested
    features = plan.granted_features(granted)
    if not features:
        raise AuthError(
            f"Neither mail nor calendar access was granted for {email}.",
            hint="Sign in again and allow mail, calendar or both.",
        )
    account = Account(
        email=email,
        account_type=account_type.name,
        display_name=name,
        features=features,
        granted_scopes=granted,
        sandbox_url=sandbox_url,
    )
    return SignIn(account, token, plan.missing_notices(features))


async def _identity(client: AsyncOAuth2Client, account_type: AccountType) -> tuple[str, str]:
    """Who signed in: email and display name from the account type's userinfo endpoint."""
    url = account_type.oauth.userinfo_url
    if url is None:
        raise AuthError(f"{account_type.title} does not say who signed in (the account type has no userinfo URL).")
    try:
        response = await client.get(url)
        response.raise_for_status()
        info = response.json()
    except httpx.HTTPStatusError as error:
        raise AuthError(
            f"{account_type.title} would not say who signed in (HTTP {error.response.status_code}).",
            hint="Sign in again.",
        ) from error
    except (httpx.HTTPError, ValueError) as error:
        raise _unreachable(account_type, error) from error
    # The field names of the providers' userinfo answers: OpenID Connect (Google), Graph's /me,
    # Zoom's /users/me.
    email = info.get("email") or info.get("mail") or info.get("userPrincipalName")
    name = info.get("name") or info.get("displayName") or info.get("display_name") or ""
    if not email:
        raise AuthError(f"{account_type.title} did not tell the email address of the account that signed in.")
    return str(email), str(name)


def _unreachable(account_type: AccountType, error: Exception) -> AuthError:
    return AuthError(
        f"{account_type.title} could not be reached to finish the sign-in: {error}.",
        hint="Check the network connection and sign in again.",
    )

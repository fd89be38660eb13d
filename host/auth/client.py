"""The authorised HTTP client of a signed-in account, built from its saved token.

authlib refreshes the access token before it expires; every refresh (which rotates the refresh
token where the provider does so) is saved at once through ``update_token``, so a crash right
after a refresh never leaves the secret store with a refresh token the server already revoked.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from host.errors import AuthError
from host.model.account import Account
from host.providers import AccountType, ProviderConnection
from host.secrets import SecretStore, load_token, save_token


class AccountHttpClient(AsyncOAuth2Client):
    """An httpx.AsyncClient that signs every request with the account's token and keeps it fresh.

    A refresh the server refuses (the user revoked access, a refresh token was used twice) raises
    AuthError instead of authlib's own errors, so providers and the UI see one kind of sign-in failure.
    """

    account: Account

    async def ensure_active_token(self, token: Any) -> None:
        try:
            await super().ensure_active_token(token)
        except OAuthError as error:
            raise AuthError(
                f"The sign-in of {self.account.email} is no longer valid ({error.error}).",
                hint="Sign in again.",
            ) from error


def authorised_client(
    account_type: AccountType, account: Account, store: SecretStore, **httpx_options: Any
) -> AccountHttpClient:
    """An :class:`AccountHttpClient` for ``account`` (against its emulator when it has a sandbox URL).

    ``httpx_options`` go to httpx (``timeout``, ``event_hooks``, ...). Close the client when done.
    """
    token = load_token(store, account)
    if token is None:
        raise AuthError(f"There is no saved sign-in for {account.email}.", hint="Sign in again.")
    if account.sandbox_url is not None:
        account_type = account_type.rebased(account.sandbox_url)

    async def update_token(new_token: dict[str, Any], refresh_token: str | None = None, **_: Any) -> None:
        save_token(store, account, new_token)

    client = AccountHttpClient(
        client_id=account_type.oauth.client_id,
        token_endpoint_auth_method="none",
        token=token,
        token_endpoint=account_type.oauth.token_url,
        update_token=update_token,
        **httpx_options,
    )
    client.account = account
    return client


def open_connection(
    account_type: AccountType, account: Account, store: SecretStore, **httpx_options: Any
) -> ProviderConnection:
    """What a provider session is opened with: the authorised client and the (rebased) endpoints."""
    endpoints = (account_type.rebased(account.sandbox_url) if account.sandbox_url else account_type).endpoints
    return ProviderConnection(account, authorised_client(account_type, account, store, **httpx_options), endpoints)

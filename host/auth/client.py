"""The authorised HTTP client of a signed-in account, built from its saved token.

authlib refreshes the access token before it expires; every refresh (which rotates the refresh
token where the provider does so) is saved at once through ``update_token``, so a crash right
after a refresh never leaves the secret store with a refresh token the server already revoked.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from host.errors import AuthError
from host.model.account import Account
from host.providers import AccountType, ProviderConnection
from host.secrets import SecretStore, load_token, save_token

#: Seconds closing waits for the cancelled requests of the client to end.
CLOSE_TIMEOUT = 5.0
#: One refresh at a time for an account, per event loop: two clients of one account in one process (a Zoom
#: Mail user's mail provider and the Zoom plugins' client) must not both spend one single-use refresh token.
_REFRESHING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = weakref.WeakKeyDictionary()


def _refresh_lock(account: Account) -> asyncio.Lock:
    locks = _REFRESHING.setdefault(asyncio.get_running_loop(), {})
    return locks.setdefault(account.key, asyncio.Lock())


class AccountHttpClient(AsyncOAuth2Client):
    """An httpx.AsyncClient that signs every request with the account's token and keeps it fresh.

    Before refreshing an expired token it looks in the secret store: another client of the account
    (the clients of one process take turns) or another host process (the CLI beside the UI) may have
    refreshed first, and with single-use refresh tokens (Zoom, Microsoft) the one in memory is then
    revoked already. A refresh the server refuses (the user revoked access) raises AuthError instead
    of authlib's own errors, so providers and the UI see one kind of sign-in failure.
    """

    def __init__(self, account: Account, store: SecretStore, **options: Any) -> None:
        self.account = account
        self.store = store
        #: The tasks with a request under way (a task sends one at a time: a refresh is sent before its
        #: request, not inside it).
        self._sending: set[asyncio.Task[Any]] = set()
        super().__init__(update_token=self._save, **options)

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        task = asyncio.current_task()  # there is one: the host's requests run in asyncio tasks
        self._sending.add(task)
        try:
            return await super().send(request, **options)
        finally:
            self._sending.discard(task)

    async def aclose(self) -> None:
        """Close once no request is under way: the requests still running are cancelled first (the
        account is closing, nobody waits for their answers). A connection being opened while its pool
        closes is lost to the pool, and its socket is never closed."""
        current = asyncio.current_task()
        running = [task for task in self._sending if task is not current and not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=CLOSE_TIMEOUT)
        await super().aclose()

    async def _save(self, token: dict[str, Any], **_: Any) -> None:
        save_token(self.store, self.account, token)

    async def ensure_active_token(self, token: Any) -> None:
        if not token.is_expired(leeway=self.leeway):
            return
        async with _refresh_lock(self.account):
            saved = load_token(self.store, self.account)
            if saved is not None and saved.get("refresh_token") != token.get("refresh_token"):
                self.token = saved
                token = self.token
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
    return AccountHttpClient(
        account,
        store,
        client_id=account_type.oauth.client_id,
        token_endpoint_auth_method="none",
        token=token,
        token_endpoint=account_type.oauth.token_url,
        **httpx_options,
    )


def open_connection(
    account_type: AccountType, account: Account, store: SecretStore, **httpx_options: Any
) -> ProviderConnection:
    """What a provider session is opened with: the authorised client and the (rebased) endpoints."""
    endpoints = (account_type.rebased(account.sandbox_url) if account.sandbox_url else account_type).endpoints
    return ProviderConnection(account, authorised_client(account_type, account, store, **httpx_options), endpoints)

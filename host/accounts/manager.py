"""Signing in, opening and signing out the one account."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from host.accounts.record import database_path, delete_record, load_record, save_record
from host.accounts.session import AccountSession, open_session_parts
from host.auth import ScopePlan, SignIn, open_connection, sign_in
from host.errors import UsageError, ZoomclientError
from host.model.account import Account, FeatureRestriction
from host.secrets import SecretStore, db_key, delete_account_secrets, save_token
from host.store import MailStore, wipe_database
from host.sync import SyncSettings

if TYPE_CHECKING:
    from host.app import Host

log = logging.getLogger(__name__)


class AccountAlreadySignedIn(UsageError):
    """A second mail account was asked for while one is signed in (promise 2)."""


class NotSignedIn(UsageError):
    """A command needs an account and none is signed in."""


class Accounts:
    """The host's account: at most one, its secrets in ``secrets``, its mail under ``host.data_dir``."""

    def __init__(self, host: Host, secrets: SecretStore) -> None:
        self.host = host
        self.secrets = secrets

    def current(self) -> Account | None:
        return load_record(self.secrets)

    def require(self) -> Account:
        account = self.current()
        if account is None:
            raise NotSignedIn(
                "No account is signed in.",
                hint="Sign in with `zoomclient account add gmail` (or m365, zoommail).",
            )
        return account

    def restrictions(self) -> list[FeatureRestriction]:
        """What an administrator turned off, and why (the ``feature_restrictions`` hook; no network).

        A plugin whose hook fails is logged and skipped: its restrictions are then unknown, as when
        the plugin is not installed.
        """
        found: list[FeatureRestriction] = []
        for impl in reversed(self.host.pm.hook.feature_restrictions.get_hookimpls()):
            arguments = {"host": self.host, "secrets": self.secrets}
            try:
                found.extend(impl.function(**{name: arguments[name] for name in impl.argnames}) or ())
            except Exception:  # one broken plugin must not stop the account from opening
                log.exception("plugin %s failed in feature_restrictions", impl.plugin_name)
        return found

    async def add(
        self,
        account_type_name: str,
        *,
        sandbox_url: str | None = None,
        open_browser: Callable[[str], object] = webbrowser.open,
        timeout: float = 300.0,
    ) -> SignIn:
        """Sign in; refuses while another account is signed in, since only one may be (promise 2)."""
        existing = self.current()
        if existing is not None:
            raise AccountAlreadySignedIn(
                f"{existing.email} is signed in already, and zoomclient holds one mail account at a time.",
                hint="Sign out first (`zoomclient account remove`); that deletes its mail from this computer.",
            )
        registry = self.host.registry
        account_type = registry.account_type(account_type_name)
        plan = ScopePlan.of(
            account_type,
            registry.mail_provider(account_type_name),
            registry.calendar_provider(account_type_name),
        )
        if not plan.offered():
            raise UsageError(
                f"{account_type.title} has neither a mail nor a calendar provider loaded.",
                hint="Install the provider's package, or check ZOOMCLIENT_LOAD_PLUGINS.",
            )
        result = await sign_in(account_type, plan, open_browser=open_browser, timeout=timeout, sandbox_url=sandbox_url)
        # The token first: a crash between the two leaves a token nobody points at, never a record
        # that points at no token.
        save_token(self.secrets, result.account, result.token)
        save_record(self.secrets, result.account)
        self.host.notify("account_signed_in", host=self.host, account=result.account, secrets=self.secrets)
        return result

    async def open(self, *, settings: SyncSettings | None = None) -> AccountSession:
        """Open the signed-in account: its database (created on first use) and its provider sessions."""
        account = self.require()
        # What an administrator turned off stays off (promise 6); the session says why.
        restrictions = tuple(r for r in self.restrictions() if r.feature in account.features)
        if restrictions:
            account = attrs.evolve(account, features=account.features - {r.feature for r in restrictions})
        account_type = self.host.registry.account_type(account.account_type)
        connection = open_connection(account_type, account, self.secrets)
        path = database_path(self.host.data_dir, account)

        def open_store() -> MailStore:
            return MailStore.open(path, db_key(self.secrets, account, create=True))

        try:
            session = await asyncio.to_thread(
                open_session_parts, account, connection, self.host.registry, open_store, settings
            )
            session.restrictions = restrictions
        except BaseException:
            await connection.http.aclose()
            raise
        self.host.notify("account_signed_in", host=self.host, account=account, secrets=self.secrets)
        return session

    async def remove(self, session: AccountSession | None = None) -> Account | None:
        """Sign out: close, delete the database with its -wal and -shm, forget every secret.

        Afterwards no file of the account remains (the vault file goes when its last secret does).
        Returns the account that was signed out, None when none was.
        """
        account = self.current()
        if session is not None:
            with contextlib.suppress(ZoomclientError):
                await session.aclose()
        if account is None:
            return None
        path = database_path(self.host.data_dir, account)
        await asyncio.to_thread(wipe_database, path)
        with contextlib.suppress(OSError):  # the folder stays when something else lives in it
            path.parent.rmdir()
        delete_account_secrets(self.secrets, account)
        delete_record(self.secrets)
        self.host.notify("account_signed_out", host=self.host, account=account, secrets=self.secrets)
        return account

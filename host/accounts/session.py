"""An opened account: its store, its provider sessions, its sync engine and its calendars."""

from __future__ import annotations

import asyncio
import contextlib

import attrs

from host.calendar import CalendarCache
from host.errors import PluginError
from host.model.account import Account, Feature, FeatureRestriction
from host.providers import CalendarProvider, MailProvider, ProviderConnection
from host.store import MailStore
from host.sync import SyncEngine, SyncSettings


@attrs.define
class AccountSession:
    """What the CLI and the UI work with once an account is open.

    ``mail`` parts are None when the account has no mail (declined at consent, or no mail provider
    installed), ``calendars`` likewise; ``restrictions`` says which an administrator turned off and why.
    Close it with :meth:`aclose`.
    """

    account: Account
    connection: ProviderConnection
    store: MailStore | None = None
    mail: MailProvider | None = None
    sync: SyncEngine | None = None
    calendar: CalendarProvider | None = None
    calendars: CalendarCache | None = None
    restrictions: tuple[FeatureRestriction, ...] = ()

    def _restricted(self, feature: Feature) -> FeatureRestriction | None:
        return next((r for r in self.restrictions if r.feature is feature), None)

    def require_mail(self) -> tuple[MailStore, SyncEngine]:
        if self.store is None or self.sync is None:
            if (restricted := self._restricted(Feature.MAIL)) is not None:
                raise PluginError(str(restricted), hint="Ask your Zoom admin to enable the mail client.")
            reason = (
                "mail access was not granted at sign-in"
                if Feature.MAIL not in self.account.features
                else "no mail provider for this account type is loaded"
            )
            raise PluginError(
                f"Mail is off for {self.account.email}: {reason}.",
                hint="Sign out and sign in again granting mail access, or install the provider's package.",
            )
        return self.store, self.sync

    def require_calendars(self) -> CalendarCache:
        if self.calendars is None:
            if (restricted := self._restricted(Feature.CALENDAR)) is not None:
                raise PluginError(str(restricted), hint="Ask your Zoom admin to enable the calendar client.")
            reason = (
                "calendar access was not granted at sign-in"
                if Feature.CALENDAR not in self.account.features
                else "no calendar provider for this account type is loaded"
            )
            raise PluginError(
                f"The calendar is off for {self.account.email}: {reason}.",
                hint="Sign out and sign in again granting calendar access, or install the provider's package.",
            )
        return self.calendars

    async def aclose(self) -> None:
        """Stop the sync, close providers, the HTTP client and the store (which folds its WAL back in);
        drop the calendars."""
        if self.sync is not None:
            await self.sync.stop()
        if self.calendars is not None:
            self.calendars.clear()
        for provider in (self.mail, self.calendar):
            if provider is not None:
                with contextlib.suppress(Exception):  # closing must go on whatever one provider does
                    await provider.aclose()
        await self.connection.http.aclose()
        if self.store is not None:
            await asyncio.to_thread(self.store.close)


def open_session_parts(
    account: Account, connection: ProviderConnection, registry, store_opener, settings: SyncSettings | None
) -> AccountSession:
    """Wire an account's session from what the plugins registered (used by :class:`~host.accounts.Accounts`)."""
    session = AccountSession(account, connection)
    mail_factory = registry.mail_provider(account.account_type)
    if Feature.MAIL in account.features and mail_factory is not None:
        session.mail = mail_factory.open(connection)
        session.store = store_opener()
        session.sync = SyncEngine(session.mail, session.store, settings)
    calendar_factory = registry.calendar_provider(account.account_type)
    if Feature.CALENDAR in account.features and calendar_factory is not None:
        session.calendar = calendar_factory.open(connection)
        session.calendars = CalendarCache(session.calendar, conferencing=registry.conferencing)
    return session

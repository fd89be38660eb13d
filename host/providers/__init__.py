"""What a provider plugin registers: account types, mail providers and calendar providers.

An *account type* (``gmail``, ``m365``, ``zoommail``) says how to sign in; a *mail provider* and a
*calendar provider* registered for it each say which scopes they need and which capabilities they
have, and open a per-account session object that does the I/O. Splitting them lets the user decline
the mail or the calendar scopes at consent and keep the other (promise 2).
"""

from host.providers.account_type import AccountType, OAuthSpec
from host.providers.calendar import (
    CalendarCapability,
    CalendarProvider,
    CalendarProviderFactory,
    EventChanges,
    EventWindow,
)
from host.providers.connection import ProviderConnection, ProviderLimits
from host.providers.mail import (
    ChangePage,
    MailCapability,
    MailProvider,
    MailProviderFactory,
    MessagePage,
    MessageUpdate,
)

__all__ = [
    "AccountType",
    "CalendarCapability",
    "CalendarProvider",
    "CalendarProviderFactory",
    "ChangePage",
    "EventChanges",
    "EventWindow",
    "MailCapability",
    "MailProvider",
    "MailProviderFactory",
    "MessagePage",
    "MessageUpdate",
    "OAuthSpec",
    "ProviderConnection",
    "ProviderLimits",
]

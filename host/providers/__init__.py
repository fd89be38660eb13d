"""What a provider plugin registers: account types, mail providers and calendar providers.

An *account type* (``gmail``, ``m365``, ``zoommail``) says how to sign in; a *mail provider* and a
*calendar provider* registered for it each say which scopes they need and which capabilities they
have, and open a per-account session object that does the I/O. Splitting them lets the user decline
the mail or the calendar scopes at consent and keep the other (promise 2).
"""

from host.lazy_exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "account_type": ("AccountType", "OAuthSpec"),
        "calendar": (
            "CalendarCapability",
            "CalendarProvider",
            "CalendarProviderFactory",
            "EventChanges",
            "EventWindow",
        ),
        "connection": ("ProviderConnection", "ProviderLimits"),
        "mail": ("ChangePage", "MailCapability", "MailProvider", "MailProviderFactory", "MessagePage", "MessageUpdate"),
    },
)

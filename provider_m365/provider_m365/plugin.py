"""The hooks of zoomclient-m365: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.hookspecs import hookimpl
from host.providers import AccountType, ProviderConnection
from host.sandbox.service import SandboxOptions, SandboxService
from provider_m365.account import (
    ACCOUNT_TYPE,
    CALENDAR_CAPABILITIES,
    CALENDAR_SCOPES,
    MAIL_CAPABILITIES,
    MAIL_SCOPES,
)

if TYPE_CHECKING:
    from provider_m365.calendar import M365CalendarProvider
    from provider_m365.mail import M365MailProvider


class M365MailProviderFactory:
    """Exchange Online mail; the provider (httpx, Graph client, MIME) loads on the first open, not at start."""

    account_type = ACCOUNT_TYPE.name
    scopes = MAIL_SCOPES
    capabilities = MAIL_CAPABILITIES

    def open(self, connection: ProviderConnection) -> M365MailProvider:
        from provider_m365.mail import M365MailProvider

        return M365MailProvider(connection)


class M365CalendarProviderFactory:
    """Outlook calendars; the provider loads on the first open."""

    account_type = ACCOUNT_TYPE.name
    scopes = CALENDAR_SCOPES
    capabilities = CALENDAR_CAPABILITIES

    def open(self, connection: ProviderConnection) -> M365CalendarProvider:
        from provider_m365.calendar import M365CalendarProvider

        return M365CalendarProvider(connection)


def create_app(options: SandboxOptions) -> Any:
    # Imported here: starlette and the emulator load only when an emulator starts.
    from provider_m365.emulator import create_app as create

    return create(options)


SANDBOX_SERVICE = SandboxService("m365", create_app, account_type="m365")


@hookimpl
def register_account_types(register: Callable[[AccountType], None]) -> None:
    register(ACCOUNT_TYPE)


@hookimpl
def register_mail_providers(register: Callable[[Any], None]) -> None:
    register(M365MailProviderFactory())


@hookimpl
def register_calendar_providers(register: Callable[[Any], None]) -> None:
    register(M365CalendarProviderFactory())


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SANDBOX_SERVICE)

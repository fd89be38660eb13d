"""The hooks of zoomclient-gmail: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.hookspecs import hookimpl
from host.providers import AccountType, ProviderConnection
from host.sandbox.service import SandboxOptions, SandboxService
from provider_gmail.account import (
    ACCOUNT_TYPE,
    CALENDAR_CAPABILITIES,
    CALENDAR_SCOPES,
    MAIL_CAPABILITIES,
    MAIL_SCOPES,
)

if TYPE_CHECKING:
    from provider_gmail.calendar import GoogleCalendar
    from provider_gmail.mail import GmailMail


class MailFactory:
    """Gmail mail; the provider module (MIME, settings mapping) loads on the first open."""

    account_type = ACCOUNT_TYPE.name
    scopes = MAIL_SCOPES
    capabilities = MAIL_CAPABILITIES

    def open(self, connection: ProviderConnection) -> GmailMail:
        from provider_gmail.mail import GmailMail

        return GmailMail(connection)


class CalendarFactory:
    """Google Calendar; the provider module loads on the first open."""

    account_type = ACCOUNT_TYPE.name
    scopes = CALENDAR_SCOPES
    capabilities = CALENDAR_CAPABILITIES

    def open(self, connection: ProviderConnection) -> GoogleCalendar:
        from provider_gmail.calendar import GoogleCalendar

        return GoogleCalendar(connection)


def create_emulator(options: SandboxOptions) -> Any:
    from provider_gmail.emulator import create_app

    return create_app(options)


@hookimpl
def register_account_types(register: Callable[[AccountType], None]) -> None:
    register(ACCOUNT_TYPE)


@hookimpl
def register_mail_providers(register: Callable[[MailFactory], None]) -> None:
    register(MailFactory())


@hookimpl
def register_calendar_providers(register: Callable[[CalendarFactory], None]) -> None:
    register(CalendarFactory())


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SandboxService("gmail", create_emulator, account_type=ACCOUNT_TYPE.name))

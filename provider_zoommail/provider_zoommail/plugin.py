"""The hooks of zoomclient-zoommail: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.hookspecs import hookimpl
from host.providers import AccountType, ProviderConnection
from host.sandbox.service import SandboxOptions, SandboxService
from provider_zoommail.account import (
    ACCOUNT_TYPE,
    CALENDAR_CAPABILITIES,
    CALENDAR_SCOPES,
    MAIL_CAPABILITIES,
    MAIL_SCOPES,
)

if TYPE_CHECKING:
    from provider_zoommail.calendar import ZoomCalendar
    from provider_zoommail.mail import ZoomMail


class MailFactory:
    """Zoom Mail; the provider module (MIME, settings mapping) loads on the first open."""

    account_type = ACCOUNT_TYPE.name
    scopes = MAIL_SCOPES
    capabilities = MAIL_CAPABILITIES

    def open(self, connection: ProviderConnection) -> ZoomMail:
        from provider_zoommail.mail import ZoomMail

        return ZoomMail(connection)


class CalendarFactory:
    """Zoom Calendar; the provider module loads on the first open."""

    account_type = ACCOUNT_TYPE.name
    scopes = CALENDAR_SCOPES
    capabilities = CALENDAR_CAPABILITIES

    def open(self, connection: ProviderConnection) -> ZoomCalendar:
        from provider_zoommail.calendar import ZoomCalendar

        return ZoomCalendar(connection)


def create_emulator(options: SandboxOptions) -> Any:
    from provider_zoommail.emulator import create_app

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
    register(SandboxService("zoommail", create_emulator, account_type=ACCOUNT_TYPE.name))

"""The hooks of zoomclient-m365: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.providers import AccountType
from host.providers.lazy import LazyProviderFactory
from host.sandbox.service import SandboxOptions, SandboxService
from provider_m365.account import (
    ACCOUNT_TYPE,
    CALENDAR_CAPABILITIES,
    CALENDAR_SCOPES,
    MAIL_CAPABILITIES,
    MAIL_SCOPES,
)

#: The providers load on the first open: registering them at every start of the host costs nothing.
MAIL_PROVIDER = LazyProviderFactory(
    ACCOUNT_TYPE.name, MAIL_SCOPES, MAIL_CAPABILITIES, "provider_m365.mail:M365MailProvider"
)
CALENDAR_PROVIDER = LazyProviderFactory(
    ACCOUNT_TYPE.name, CALENDAR_SCOPES, CALENDAR_CAPABILITIES, "provider_m365.calendar:M365CalendarProvider"
)


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
    register(MAIL_PROVIDER)


@hookimpl
def register_calendar_providers(register: Callable[[Any], None]) -> None:
    register(CALENDAR_PROVIDER)


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SANDBOX_SERVICE)

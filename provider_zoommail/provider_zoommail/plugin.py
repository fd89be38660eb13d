"""The hooks of zoomclient-zoommail: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.providers import AccountType
from host.providers.lazy import LazyProviderFactory
from host.sandbox.service import SandboxOptions, SandboxService
from provider_zoommail.account import (
    ACCOUNT_TYPE,
    CALENDAR_CAPABILITIES,
    CALENDAR_SCOPES,
    MAIL_CAPABILITIES,
    MAIL_SCOPES,
)

#: The providers load on the first open: registering them at every start of the host costs nothing.
MAIL_PROVIDER = LazyProviderFactory(
    ACCOUNT_TYPE.name, MAIL_SCOPES, MAIL_CAPABILITIES, "provider_zoommail.mail:ZoomMail"
)
CALENDAR_PROVIDER = LazyProviderFactory(
    ACCOUNT_TYPE.name, CALENDAR_SCOPES, CALENDAR_CAPABILITIES, "provider_zoommail.calendar:ZoomCalendar"
)


def create_emulator(options: SandboxOptions) -> Any:
    from provider_zoommail.emulator import create_app

    return create_app(options)


@hookimpl
def register_account_types(register: Callable[[AccountType], None]) -> None:
    register(ACCOUNT_TYPE)


@hookimpl
def register_mail_providers(register: Callable[[LazyProviderFactory], None]) -> None:
    register(MAIL_PROVIDER)


@hookimpl
def register_calendar_providers(register: Callable[[LazyProviderFactory], None]) -> None:
    register(CALENDAR_PROVIDER)


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SandboxService("zoommail", create_emulator, account_type=ACCOUNT_TYPE.name))

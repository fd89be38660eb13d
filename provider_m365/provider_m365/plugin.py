"""The hooks of zoomclient-m365: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.providers import AccountType
from host.sandbox.service import SandboxOptions, SandboxService
from provider_m365.account import ACCOUNT_TYPE


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
    from provider_m365.mail import M365MailProviderFactory

    register(M365MailProviderFactory())


@hookimpl
def register_calendar_providers(register: Callable[[Any], None]) -> None:
    from provider_m365.calendar import M365CalendarProviderFactory

    register(M365CalendarProviderFactory())


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SANDBOX_SERVICE)

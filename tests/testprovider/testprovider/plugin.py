"""The TestMail plugin: what it registers with the host."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.providers import AccountType, OAuthSpec
from host.sandbox.service import SandboxOptions, SandboxService
from testprovider import names
from testprovider.calendar import TestCalendarProviderFactory
from testprovider.mail import TestMailProviderFactory

ACCOUNT_TYPE = AccountType(
    name=names.ACCOUNT_TYPE,
    title="TestMail (sandbox)",
    oauth=OAuthSpec(
        authorize_url=f"{names.ORIGIN}/oauth/authorize",
        token_url=f"{names.ORIGIN}/oauth/token",
        client_id=names.CLIENT_ID,
        redirect_path=names.REDIRECT_PATH,
        identity_scopes=names.IDENTITY_SCOPES,
        single_use_refresh_tokens=True,
        userinfo_url=f"{names.ORIGIN}/oauth/userinfo",
    ),
    endpoints={"api": f"{names.ORIGIN}/api"},
    sandbox_service=names.SANDBOX_SERVICE,
)


def create_app(options: SandboxOptions) -> Any:
    # Imported here: starlette loads only when an emulator starts.
    from testprovider.emulator import TestMailEmulator

    return TestMailEmulator(options)


SANDBOX_SERVICE = SandboxService(names.SANDBOX_SERVICE, create_app, account_type=names.ACCOUNT_TYPE)


@hookimpl
def register_account_types(register: Callable[[AccountType], None]) -> None:
    register(ACCOUNT_TYPE)


@hookimpl
def register_mail_providers(register: Callable[[Any], None]) -> None:
    register(TestMailProviderFactory())


@hookimpl
def register_calendar_providers(register: Callable[[Any], None]) -> None:
    register(TestCalendarProviderFactory())


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SANDBOX_SERVICE)

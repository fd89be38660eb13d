"""The hooks of zoomclient-gmail: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable

from host.hookspecs import hookimpl
from host.providers import AccountType
from provider_gmail.account import ACCOUNT_TYPE


@hookimpl
def register_account_types(register: Callable[[AccountType], None]) -> None:
    register(ACCOUNT_TYPE)

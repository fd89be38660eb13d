"""LazyProviderFactory: registered without importing its provider, which loads on the first open."""

from __future__ import annotations

import sys

import pytest

from host.errors import PluginError
from host.model import Account
from host.providers import MailCapability, ProviderConnection
from host.providers.lazy import LazyProviderFactory


class Opened:
    def __init__(self, connection: ProviderConnection) -> None:
        self.connection = connection


def connection() -> ProviderConnection:
    return ProviderConnection(Account("a@example.com", "x"), http=None, endpoints={})  # type: ignore[arg-type]


def test_open_imports_the_named_class_and_hands_it_the_connection() -> None:
    factory = LazyProviderFactory("x", ("scope",), frozenset({MailCapability.DRAFTS}), f"{__name__}:Opened")
    given = connection()

    provider = factory.open(given)

    assert isinstance(provider, sys.modules[__name__].Opened) and provider.connection is given


def test_a_provider_that_cannot_be_loaded_is_a_plugin_error_with_a_hint() -> None:
    factory = LazyProviderFactory("x", (), frozenset(), "no_such_module_anywhere:Provider")

    with pytest.raises(PluginError, match="no_such_module_anywhere:Provider") as raised:
        factory.open(connection())
    assert "Reinstall" in raised.value.hint

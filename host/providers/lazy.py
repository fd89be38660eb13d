"""A provider factory that imports its provider on the first open, so that registering it costs nothing.

Registration hooks run at every start of the host, ``zoomclient plugins`` included; a factory that imports
its provider module (httpx, MIME, the API client) there costs ~100 ms per provider. A plugin registers
``LazyProviderFactory`` objects instead and names the provider class by its import path.
"""

from __future__ import annotations

import importlib
from typing import Any

import attrs

from host.errors import PluginError
from host.providers.connection import ProviderConnection


@attrs.frozen
class LazyProviderFactory:
    """A :class:`~host.providers.MailProviderFactory` or :class:`~host.providers.CalendarProviderFactory`.

    ``provider`` is ``"package.module:Class"``; the class is called with the
    :class:`~host.providers.ProviderConnection` and must implement the matching provider protocol.
    """

    account_type: str
    scopes: tuple[str, ...]
    capabilities: frozenset[Any]
    provider: str

    def open(self, connection: ProviderConnection) -> Any:
        module_name, _, class_name = self.provider.partition(":")
        try:
            provider_class = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as error:
            raise PluginError(
                f"The {self.account_type} provider {self.provider!r} cannot be loaded: {error}.",
                hint="Reinstall the provider's package.",
            ) from error
        return provider_class(connection)

"""What a provider session is opened with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from host.model.account import Account

if TYPE_CHECKING:
    import httpx


@attrs.frozen
class ProviderLimits:
    """The provider's own limits, which the sync engine keeps to.

    ``max_concurrency`` requests in flight per mailbox (Graph: 4), ``batch_size`` calls in one batch
    request (Gmail 50, Graph 20, 1 where there is no batch endpoint), ``page_size`` items a list page.
    """

    max_concurrency: int = 4
    batch_size: int = 1
    page_size: int = 100


@attrs.frozen
class ProviderConnection:
    """An authorised HTTP client and the base URLs for one signed-in account.

    ``http`` refreshes its access token by itself and saves rotated refresh tokens; providers only
    build URLs from ``endpoints`` and never hard-code a host.
    """

    account: Account
    http: httpx.AsyncClient
    endpoints: Mapping[str, str]

    def url(self, endpoint: str, path: str) -> str:
        return self.endpoints[endpoint].rstrip("/") + "/" + path.lstrip("/")

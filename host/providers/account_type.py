"""Account types: how to sign in to a provider, and where its APIs live."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs


@attrs.frozen
class OAuthSpec:
    """An OAuth 2.0 public client (authorization code + PKCE, RFC 8252 loopback redirect).

    ``redirect_path`` is distinct per provider so that a redirect can never be taken for another
    provider's. ``identity_scopes`` are always asked for; the mail and calendar providers registered
    for the account type add their own. ``single_use_refresh_tokens`` is True where every refresh
    returns a new refresh token that replaces the old one (Zoom, Microsoft).
    """

    authorize_url: str
    token_url: str
    client_id: str
    redirect_path: str
    identity_scopes: tuple[str, ...] = ()
    authorize_params: Mapping[str, str] = attrs.field(factory=dict)
    single_use_refresh_tokens: bool = False
    userinfo_url: str | None = None


def _rebase(url: str, base: str) -> str:
    """Keep ``url``'s path and query, take scheme and host from ``base`` (an emulator's origin)."""
    parts, new = urlsplit(url), urlsplit(base)
    return urlunsplit((new.scheme, new.netloc, parts.path, parts.query, parts.fragment))


@attrs.frozen
class AccountType:
    """A kind of account the user can sign in to.

    ``endpoints`` maps an API's name to its production base URL (``{"gmail":
    "https://gmail.googleapis.com"}``). An emulator serves every endpoint and the OAuth server of an
    account type under one origin, so :meth:`rebased` is the only difference between the sandbox and
    production (DESIGN §2).
    """

    name: str
    title: str
    oauth: OAuthSpec
    endpoints: Mapping[str, str] = attrs.field(factory=dict)
    sandbox_service: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict)

    def rebased(self, base_url: str) -> AccountType:
        """The same account type with every URL moved to ``base_url``'s origin."""
        base_url = base_url.rstrip("/")
        oauth = attrs.evolve(
            self.oauth,
            authorize_url=_rebase(self.oauth.authorize_url, base_url),
            token_url=_rebase(self.oauth.token_url, base_url),
            userinfo_url=_rebase(self.oauth.userinfo_url, base_url) if self.oauth.userinfo_url else None,
        )
        endpoints = {name: _rebase(url, base_url) for name, url in self.endpoints.items()}
        return attrs.evolve(self, oauth=oauth, endpoints=endpoints)

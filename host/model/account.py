"""The signed-in account: one mail account at a time, with every calendar it reaches."""

from __future__ import annotations

import enum

import attrs


class Feature(enum.Enum):
    """What an account was granted at consent: the user may decline either."""

    MAIL = "mail"
    CALENDAR = "calendar"


@attrs.frozen
class Account:
    """A signed-in account.

    ``account_type`` names the registered account type (``gmail``, ``m365``, ``zoommail``);
    ``features`` holds what the granted scopes allow, so a user who declined the calendar scopes
    gets an account with ``{Feature.MAIL}`` alone.
    """

    email: str
    account_type: str
    display_name: str = ""
    features: frozenset[Feature] = frozenset({Feature.MAIL, Feature.CALENDAR})
    granted_scopes: tuple[str, ...] = ()
    sandbox_url: str | None = None

    @property
    def key(self) -> str:
        """The name under which the account's secrets and database live."""
        return f"{self.account_type}:{self.email.lower()}"


@attrs.frozen
class FeatureRestriction:
    """A feature an administrator turned off (promise 6), and why, in words the user can act on."""

    feature: Feature
    reason: str

    def __str__(self) -> str:
        what = "Mail" if self.feature is Feature.MAIL else "The calendar"
        return f"{what} is off: {self.reason}."

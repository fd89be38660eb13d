"""Which scopes a sign-in asks for, and which features the granted ones switch on."""

from __future__ import annotations

from collections.abc import Collection

import attrs

from host.model.account import Feature
from host.providers import AccountType, CalendarProviderFactory, MailProviderFactory


@attrs.frozen
class ScopePlan:
    """The scopes of one sign-in: the account type's identity scopes plus those of its mail and
    calendar providers. A feature whose provider is not installed has no scopes and is not offered."""

    identity: tuple[str, ...] = ()
    mail: tuple[str, ...] = ()
    calendar: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        account_type: AccountType,
        mail: MailProviderFactory | None = None,
        calendar: CalendarProviderFactory | None = None,
    ) -> ScopePlan:
        return cls(
            identity=tuple(account_type.oauth.identity_scopes),
            mail=tuple(mail.scopes) if mail is not None else (),
            calendar=tuple(calendar.scopes) if calendar is not None else (),
        )

    def requested(self) -> tuple[str, ...]:
        """Every scope to ask for, once each, in a stable order."""
        return tuple(dict.fromkeys((*self.identity, *self.mail, *self.calendar)))

    def _feature_scopes(self) -> dict[Feature, tuple[str, ...]]:
        return {
            feature: scopes
            for feature, scopes in ((Feature.MAIL, self.mail), (Feature.CALENDAR, self.calendar))
            if scopes
        }

    def offered(self) -> frozenset[Feature]:
        """The features this sign-in can switch on: those whose provider is installed."""
        return frozenset(self._feature_scopes())

    def granted_features(self, granted: Collection[str]) -> frozenset[Feature]:
        """The features all of whose scopes were granted: a feature with a scope declined is off."""
        have = set(granted)
        return frozenset(feature for feature, scopes in self._feature_scopes().items() if have.issuperset(scopes))

    def missing_notices(self, features: Collection[Feature]) -> tuple[str, ...]:
        """One sentence for each offered feature the consent left off."""
        missing = self.offered() - set(features)
        return tuple(_DECLINED[feature] for feature in (Feature.MAIL, Feature.CALENDAR) if feature in missing)


_DECLINED = {
    Feature.MAIL: "Mail access was declined: mail is off. Sign in again to grant it.",
    Feature.CALENDAR: "Calendar access was declined: the calendar is off. Sign in again to grant it.",
}

"""Which scopes a sign-in asks for and which features the granted ones switch on."""

from __future__ import annotations

import attrs
from oauth_support import ACCOUNT_TYPE, CALENDAR, IDENTITY, MAIL

from host.auth import ScopePlan
from host.model.account import Feature
from host.providers import MailCapability


@attrs.frozen
class FakeFactory:
    account_type: str
    scopes: tuple[str, ...]
    capabilities: frozenset[MailCapability] = frozenset()


def test_the_plan_takes_identity_mail_and_calendar_scopes_once_each():
    plan = ScopePlan.of(ACCOUNT_TYPE, FakeFactory("testmail", (*MAIL, "email")), FakeFactory("testmail", CALENDAR))
    assert plan.requested() == (*IDENTITY, *MAIL, *CALENDAR)
    assert plan.offered() == {Feature.MAIL, Feature.CALENDAR}


def test_without_providers_only_identity_is_asked_and_nothing_is_offered():
    plan = ScopePlan.of(ACCOUNT_TYPE)
    assert plan.requested() == IDENTITY
    assert plan.offered() == frozenset()
    assert plan.granted_features(IDENTITY) == frozenset()
    assert plan.missing_notices(frozenset()) == ()


def test_a_feature_needs_every_one_of_its_scopes():
    plan = ScopePlan(IDENTITY, MAIL, CALENDAR)
    assert plan.granted_features((*IDENTITY, *MAIL, *CALENDAR)) == {Feature.MAIL, Feature.CALENDAR}
    assert plan.granted_features((*MAIL[:1], *CALENDAR)) == {Feature.CALENDAR}
    assert plan.granted_features(MAIL) == {Feature.MAIL}
    assert plan.granted_features(IDENTITY) == frozenset()


def test_notices_name_each_missing_feature_in_a_fixed_order():
    plan = ScopePlan(IDENTITY, MAIL, CALENDAR)
    assert plan.missing_notices({Feature.MAIL, Feature.CALENDAR}) == ()
    assert plan.missing_notices(frozenset()) == (
        "Mail access was declined: mail is off. Sign in again to grant it.",
        "Calendar access was declined: the calendar is off. Sign in again to grant it.",
    )

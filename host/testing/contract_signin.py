"""The contract's sign-in part: OAuth against the emulator, and consent that declines mail or calendar."""

from __future__ import annotations

import time

import pytest

from host.accounts import Accounts, AccountSession
from host.app import Host
from host.auth import AccountHttpClient
from host.model.account import Feature
from host.secrets import load_token
from host.testing.contract_base import ContractBase, SignInFactory
from host.testing.control import ContractTarget, EmulatorControl


class SignInContract(ContractBase):
    async def test_sign_in_grants_every_offered_feature(
        self,
        contract_sign_in: SignInFactory,
        contract_host: Host,
        contract_target: ContractTarget,
        contract_control: EmulatorControl,
    ) -> None:
        registry = contract_host.registry
        mail_factory = registry.mail_provider(contract_target.account_type)
        calendar_factory = registry.calendar_provider(contract_target.account_type)
        offered = {f for f, factory in ((Feature.MAIL, mail_factory), (Feature.CALENDAR, calendar_factory)) if factory}

        result, session = await contract_sign_in()

        assert result.account.email.lower() == contract_control.user_email.lower()
        assert result.account.account_type == contract_target.account_type
        assert result.account.features == offered
        assert result.notices == ()
        # What the factory declares (the UI hides features by it before sign-in) is what the session has.
        if mail_factory is not None:
            assert session.mail is not None and session.mail.capabilities == mail_factory.capabilities
        if calendar_factory is not None:
            assert session.calendar is not None and session.calendar.capabilities == calendar_factory.capabilities

    async def test_sign_in_with_the_calendar_declined_gives_mail_alone(
        self,
        contract_sign_in: SignInFactory,
        contract_host: Host,
        contract_target: ContractTarget,
        contract_control: EmulatorControl,
    ) -> None:
        _, calendar_only = _feature_scopes(contract_host, contract_target.account_type)

        result, session = await contract_sign_in(decline=calendar_only)

        assert result.account.features == {Feature.MAIL}
        assert len(result.notices) == 1 and "alendar" in result.notices[0]
        assert session.calendar is None and session.calendars is None
        store, engine = session.require_mail()
        await engine.sync()
        assert store.all_ids() == contract_control.message_ids()

    async def test_sign_in_with_the_mail_declined_gives_the_calendar_alone(
        self, contract_sign_in: SignInFactory, contract_host: Host, contract_target: ContractTarget
    ) -> None:
        mail_only, _ = _feature_scopes(contract_host, contract_target.account_type)

        result, session = await contract_sign_in(decline=mail_only)

        assert result.account.features == {Feature.CALENDAR}
        assert len(result.notices) == 1 and "Mail" in result.notices[0]
        assert session.mail is None and session.store is None and session.sync is None
        cache = session.require_calendars()
        await cache.load()
        assert cache.calendars

    async def test_sign_in_an_expired_access_token_is_refreshed_and_saved(
        self, contract_session: AccountSession, contract_accounts: Accounts
    ) -> None:
        http = contract_session.connection.http
        assert isinstance(http, AccountHttpClient)
        stale = dict(http.token)
        http.token["expires_at"] = int(time.time()) - 60

        if contract_session.mail is not None:
            assert await contract_session.mail.list_folders()
        else:
            assert contract_session.calendar is not None and await contract_session.calendar.list_calendars()

        assert http.token["access_token"] != stale["access_token"]
        saved = load_token(contract_accounts.secrets, contract_session.account)
        assert saved is not None and saved["access_token"] == http.token["access_token"]
        assert saved.get("refresh_token"), "the refresh lost the refresh token"


def _feature_scopes(host: Host, account_type: str) -> tuple[set[str], set[str]]:
    """``(scopes only mail needs, scopes only the calendar needs)``; skips unless the provider has both."""
    mail = host.registry.mail_provider(account_type)
    calendar = host.registry.calendar_provider(account_type)
    if mail is None or calendar is None:
        pytest.skip(f"{account_type} does not offer both mail and calendar")
    identity = set(host.registry.account_type(account_type).oauth.identity_scopes)
    mail_only = set(mail.scopes) - set(calendar.scopes) - identity
    calendar_only = set(calendar.scopes) - set(mail.scopes) - identity
    if not mail_only or not calendar_only:
        pytest.skip(f"{account_type}'s mail and calendar share their scopes: neither can be declined alone")
    return mail_only, calendar_only

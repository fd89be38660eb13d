"""The admin policy (promise 6): off by default per plan type, enabled per group, locked, and not
available to Zoom for Government; read over HTTP from the emulator, and shown by the host."""

from __future__ import annotations

import pytest

from host.accounts import Accounts
from host.model.account import Feature
from zoom_workplace import plugin as zoom_workplace_plugin
from zoom_workplace.policy import SECTION, FeaturePolicy, PlanCategory, decide, is_government, plan_category
from zoom_workplace.profile import ZoomUser

BO, CARLA = "bo.business@business.example.com", "carla.biz@business.example.com"


def user(**fields) -> ZoomUser:
    return ZoomUser(
        **{"id": "u1", "email": "u@example.com", "display_name": "U", "account_id": "a", "plan_type": 2, **fields}
    )


@pytest.mark.parametrize(
    ("email", "mail", "plan"),
    [
        ("bea.basic@example.org", True, "Basic"),
        ("alex.morgan@example.com", True, "Pro"),
        (BO, False, "Business"),
        ("eve.edu@school.example.edu", False, "Education"),
        ("hana.health@clinic.example.org", False, "Healthcare"),
    ],
)
async def test_default_per_plan_type(zoom_sign_in, store, email, mail, plan) -> None:
    policy = (await zoom_sign_in(email, store)).policy
    assert (policy.mail, policy.calendar) == (mail, mail)
    assert not policy.locked
    if not mail:
        assert policy.reason == f"off by default for {plan} accounts until your Zoom admin enables it"
        assert [f for f, _ in policy.withheld()] == [Feature.MAIL, Feature.CALENDAR]


async def test_enabled_for_one_group_only(zoom_sign_in, emulator, store) -> None:
    emulator.state.groups["grp-biz-sales"].settings[SECTION] = {"mail_client": True, "calendar_client": True}
    assert (await zoom_sign_in(BO, store)).policy == FeaturePolicy(True, True)

    from host.secrets import MemorySecretStore

    carla = (await zoom_sign_in(CARLA, MemorySecretStore())).policy
    assert not carla.mail and not carla.calendar, "Engineering was not enabled"


async def test_account_enables_mail_only_and_a_group_turns_the_calendar_on(zoom_sign_in, emulator, store) -> None:
    emulator.state.accounts["acc-biz"].settings[SECTION] = {"mail_client": True}
    emulator.state.groups["grp-biz-sales"].settings[SECTION] = {"calendar_client": True}
    assert (await zoom_sign_in(BO, store)).policy == FeaturePolicy(True, True)


async def test_a_locked_account_setting_beats_the_group(zoom_sign_in, emulator, store) -> None:
    account = emulator.state.accounts["acc-biz"]
    account.settings[SECTION] = {"mail_client": False, "calendar_client": True}
    account.lock_settings[SECTION] = {"mail_client": True, "calendar_client": True}
    emulator.state.groups["grp-biz-sales"].settings[SECTION] = {"mail_client": True, "calendar_client": False}
    policy = (await zoom_sign_in(BO, store)).policy
    assert (policy.mail, policy.calendar, policy.locked) == (False, True, True)
    assert policy.reason == "turned off by your Zoom admin for the account (locked for the whole account)"


async def test_a_group_may_turn_off_what_the_account_enabled(zoom_sign_in, emulator, store) -> None:
    emulator.state.accounts["acc-pro"].settings[SECTION] = {"mail_client": True, "calendar_client": True}
    emulator.state.users["alex.morgan@example.com"].group_ids = ("grp-pro-legal",)
    from zoom_workplace.emulator.state import ZoomGroupRecord

    emulator.state.groups["grp-pro-legal"] = ZoomGroupRecord(
        "grp-pro-legal", "acc-pro", "Legal", settings={SECTION: {"calendar_client": False}}
    )
    policy = (await zoom_sign_in("alex.morgan@example.com", store)).policy
    assert (policy.mail, policy.calendar) == (True, False)
    assert policy.reason == "turned off by your Zoom admin for your group"


async def test_government_accounts_never_get_the_clients(zoom_sign_in, emulator, store) -> None:
    emulator.state.accounts["acc-gov"].settings[SECTION] = {"mail_client": True, "calendar_client": True}
    policy = (await zoom_sign_in("gus.gov@agency.example.gov", store)).policy
    assert policy == FeaturePolicy(
        False, False, True, "zoomclient's mail and calendar are not available to Zoom for Government accounts"
    )
    assert not emulator.log.find("GET", "/settings"), "a government account's settings are not even asked"


def test_plan_and_government_from_the_specs_fields() -> None:
    assert plan_category(user(plan_type=1)) is PlanCategory.BASIC
    assert plan_category(user(zoom_one_type=4398046511104)) is PlanCategory.PRO
    assert plan_category(user(zoom_one_type=16)) is PlanCategory.BUSINESS
    assert plan_category(user(zoom_one_type=8)) is PlanCategory.ENTERPRISE
    assert plan_category(user(zoom_one_type=8, plan_category="healthcare")) is PlanCategory.HEALTHCARE
    assert plan_category(user(plan_category="unknown-vertical")) is PlanCategory.PRO
    assert is_government(user(), "https://api.zoomgov.com/v2")
    assert is_government(user(cluster="gov01"), "https://api.zoom.us/v2")
    assert not is_government(user(cluster="us05"), "https://api.zoom.us/v2")
    assert not is_government(user(), "https://api.zoomgov.com.evil.example/v2")


def test_decide_ignores_switches_it_does_not_know() -> None:
    policy = decide(
        user(zoom_one_type=4),
        government=False,
        account={SECTION: {"mail_client": None, "video_client": True}},
        locks={},
        groups=[{SECTION: "not a section"}],
    )
    assert policy == FeaturePolicy(
        False, False, False, "off by default for Enterprise accounts until your Zoom admin enables it"
    )


async def test_the_host_keeps_restricted_features_off_and_says_why(make_host, zoom_sign_in, store) -> None:
    """The hook answers from the policy saved at sign-in; Accounts.open leaves those features off."""
    await zoom_sign_in(BO, store)
    host = make_host(zoom_workplace_plugin)
    restrictions = Accounts(host, store).restrictions()
    assert [(r.feature, str(r)) for r in restrictions] == [
        (Feature.MAIL, "Mail is off: off by default for Business accounts until your Zoom admin enables it."),
        (
            Feature.CALENDAR,
            "The calendar is off: off by default for Business accounts until your Zoom admin enables it.",
        ),
    ]

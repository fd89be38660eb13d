"""The admin policy is read anew in the background each time the account opens (the app's start) and at
sign-in: opening never waits for Zoom, the saved policy holds until the fresh one is saved, and a read
that fails keeps the last one and says why. Real emulators over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from testprovider import plugin as testmail_plugin

from host.accounts import Accounts
from host.auth import headless_browser
from host.model.account import Feature
from zoom_workplace import plugin as zoom_workplace_plugin
from zoom_workplace.background import POLICY_READS
from zoom_workplace.session import saved_check, saved_policy

BEA = "bea.basic@example.org"  # Basic: both clients on by default


@pytest.fixture
async def accounts(make_host, store, zoom_sign_in, testmail_url) -> AsyncIterator[Accounts]:
    """Bea signed in to Zoom (the policy read then) beside a TestMail mail account."""
    await zoom_sign_in(BEA, store)
    accounts = Accounts(make_host(testmail_plugin, zoom_workplace_plugin), store)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    await POLICY_READS.running(store)  # the read the sign-in started
    yield accounts
    if (read := POLICY_READS.running(store)) is not None:
        await read  # the last open's read: let it end before the test's loop does


async def test_opening_does_not_wait_for_zoom_and_the_fresh_policy_follows(accounts, store, emulator) -> None:
    emulator.state.accounts["acc-basic"].settings = {"zoom_mail_calendar": {"calendar_client": False}}
    # Zoom answers nothing while the test holds the emulator's lock: the open must not need it.
    with emulator.state.lock:
        session = await accounts.open()
        read = POLICY_READS.running(store)
        assert read is not None and not read.done()
        assert Feature.CALENDAR in session.account.features, "the saved policy holds until the fresh one"
        assert saved_policy(store).calendar
    await session.aclose()
    checked = await read

    assert checked.policy.mail and not checked.policy.calendar and not checked.error
    assert saved_check(store) == checked
    reopened = await accounts.open()
    try:
        assert reopened.account.features == {Feature.MAIL}
        (restriction,) = reopened.restrictions
        assert str(restriction) == "The calendar is off: turned off by your Zoom admin for the account."
    finally:
        await reopened.aclose()


async def test_a_failed_read_keeps_the_last_policy_and_says_why(accounts, store, emulator) -> None:
    before = saved_check(store)
    emulator.oauth.revoke_all(BEA)  # e.g. the password changed: Zoom refuses the token

    session = await accounts.open()
    await session.aclose()
    checked = await POLICY_READS.running(store)

    assert checked.policy == before.policy and checked.read_at == before.read_at
    assert checked.error.startswith("Zoom refused the sign-in") and checked.failed_at >= before.read_at
    assert saved_check(store) == checked
    assert saved_policy(store) == before.policy


async def test_nobody_signed_in_to_zoom_reads_nothing(make_host, store, testmail_url) -> None:
    accounts = Accounts(make_host(testmail_plugin, zoom_workplace_plugin), store)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    session = await accounts.open()
    await session.aclose()
    assert POLICY_READS.running(store) is None and saved_check(store) is None


def test_without_a_running_loop_the_read_waits_for_the_next_open(store, caplog, emulator) -> None:
    import asyncio

    from host.auth import headless_browser as browser
    from host.sandbox.runner import ServerThread
    from zoom_workplace.session import sign_in

    with ServerThread(emulator, name="zoom") as server:
        asyncio.run(sign_in(store, sandbox_url=server.url, open_browser=browser, login_hint=BEA, timeout=20))
    assert POLICY_READS.start(store) is None
    assert "read anew at the next account open" in caplog.text

"""A Zoom Mail user signs in once: the mail account's token carries the Zoom platform's scopes, and the
Zoom Mail emulator's origin serves the Zoom platform with the same sign-in (one OAuth server, as
zoom.us/oauth is for every api.zoom.us API). Against the real emulator over loopback."""

from __future__ import annotations

import datetime as dt

import pytest

from host.accounts import Accounts
from host.auth import headless_browser
from host.model.calendar import Event
from host.secrets import load_token
from provider_zoommail import plugin as zoommail_plugin
from provider_zoommail.account import ACCOUNT_TYPE as ZOOM_MAIL
from zoom_workplace import plugin as zoom_workplace_plugin
from zoom_workplace.account import SCOPES
from zoom_workplace.background import POLICY_READS
from zoom_workplace.session import RECORD_NAME, saved_check, zoom_account

ALEX = "alex.morgan@example.com"  # the Zoom Mail emulator's user, on the Pro account acc-pro
MEETINGS = "zoomclient-zoom-meetings"


def test_the_zoom_mail_sign_in_asks_for_every_scope_the_zoom_plugins_need() -> None:
    """provider_zoommail keeps its own copy (it must install without this plugin): the two must agree."""
    assert set(SCOPES) <= set(ZOOM_MAIL.oauth.identity_scopes)


async def test_a_zoom_mail_user_creates_a_zoom_meeting_without_a_second_sign_in(
    make_host, store, zoommail, zoommail_url
) -> None:
    meetings = pytest.importorskip("zoom_meetings.plugin")
    from zoom_meetings.scheduling import add_meeting

    plugin = meetings.ZoomMeetingsPlugin()
    host = make_host(zoommail_plugin, zoom_workplace_plugin, (MEETINGS, plugin), trusted=[MEETINGS])
    plugin.bind(host, store)
    accounts = Accounts(host, store)
    signed_in = await accounts.add("zoommail", sandbox_url=zoommail_url, open_browser=headless_browser, timeout=20)

    granted = set(load_token(store, signed_in.account)["scope"].split())
    assert set(SCOPES) <= granted, "the one token carries the Zoom plugins' scopes"
    assert store.get(RECORD_NAME) is None, "no Zoom sign-in of its own"
    assert zoom_account(store, host)[1] == signed_in.account
    read_at_sign_in = await POLICY_READS.running(store)
    assert read_at_sign_in.email == ALEX and read_at_sign_in.policy.mail and read_at_sign_in.policy.calendar

    session = await accounts.open()
    try:
        await POLICY_READS.running(store)  # the open reads it anew too
        assert saved_check(store).read_at >= read_at_sign_in.read_at
        cache = session.require_calendars()
        await cache.load()
        start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
        event = Event(
            id="",
            calendar_id="primary",
            title="Design review",
            start=start,
            end=start + dt.timedelta(minutes=30),
            time_zone="Europe/Berlin",
        )
        (conferencing,) = host.registry.conferencing
        scheduled = await add_meeting(conferencing, cache, event, cache.calendar("primary"))
    finally:
        await session.aclose()

    platform = zoommail.platform.state
    (stored,) = platform.meetings.values()
    assert stored["host_email"] == ALEX and stored["topic"] == "Design review"
    assert scheduled.event.id and scheduled.event.location == stored["join_url"]
    # The meeting went to the Zoom Mail emulator's origin with the mail account's token; the event is in
    # Zoom Calendar there, with the join URL and never the start URL.
    (created,) = zoommail.log.find("POST", "/v2/users/me/meetings")
    assert created.status == 201
    (written,) = [r for r in zoommail.log.find("POST", "/v2/calendars/primary/events") if r.status == 200]
    assert stored["join_url"] in written.text and "start_url" not in written.text
    assert [r for r in zoommail.log.entries if r.path.startswith("/oauth/token")][-1].status == 200


async def test_the_zoom_mail_users_policy_goes_with_its_account(
    make_host, store, zoommail, zoommail_url, testmail_url
) -> None:
    """An admin's policy read through a Zoom Mail sign-in holds for it, and not for the next account."""
    from testprovider import plugin as testmail_plugin

    zoommail.platform.state.accounts["acc-pro"].settings = {"zoom_mail_calendar": {"calendar_client": False}}
    accounts = Accounts(make_host(zoommail_plugin, testmail_plugin, zoom_workplace_plugin), store)
    await accounts.add("zoommail", sandbox_url=zoommail_url, open_browser=headless_browser, timeout=20)
    await POLICY_READS.running(store)
    (restriction,) = accounts.restrictions()
    assert str(restriction) == "The calendar is off: turned off by your Zoom admin for the account."

    await accounts.remove()
    assert saved_check(store) is None, "the policy went with the account"
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    assert accounts.restrictions() == [], "nobody is signed in to Zoom now"


async def test_the_mail_and_the_zoom_clients_take_turns_to_refresh_the_one_token(
    make_host, store, zoommail, zoommail_url
) -> None:
    """Zoom's refresh tokens are single-use: when the token has expired by the time the app opens the
    account, the policy read's client and the mail provider's must not both spend the same one."""
    import asyncio
    import json

    accounts = Accounts(make_host(zoommail_plugin, zoom_workplace_plugin), store)
    signed_in = await accounts.add("zoommail", sandbox_url=zoommail_url, open_browser=headless_browser, timeout=20)
    await POLICY_READS.running(store)
    expired = {**load_token(store, signed_in.account), "expires_at": 1}
    store.set(f"{signed_in.account.key}/oauth-token", json.dumps(expired))

    session = await accounts.open()  # starts the policy read, whose client refreshes
    try:
        folders, checked = await asyncio.gather(session.mail.list_folders(), POLICY_READS.running(store))
    finally:
        await session.aclose()

    assert folders and not checked.error
    refreshes = [r for r in zoommail.log.find("POST", "/oauth/token") if "grant_type=refresh_token" in r.text]
    assert [r.status for r in refreshes] == [200], "one refresh, its new token taken by the other client"

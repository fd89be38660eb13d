"""Promise 1 end to end: a third-party conferencing plugin is refused at load time, a plugin that only
claims to be Zoom is refused, a non-Zoom meeting never reaches an event; and without the Zoom meetings
plugin the host and the other plugins work on. Promise 6 at the host: a feature the admin policy
turns off stays off when the account opens, and the session says why."""

from __future__ import annotations

import datetime as dt

import pytest
from testprovider import plugin as testmail_plugin

from host.accounts import Accounts
from host.auth import headless_browser
from host.conferencing import MeetingRequest
from host.errors import PluginError
from host.hookspecs import hookimpl
from host.model.calendar import Event, OnlineMeeting
from host.plugins import PluginStatus
from host.policy import MeetingRefused
from zoom_meetings.scheduling import add_meeting
from zoom_workplace import plugin as zoom_workplace_plugin
from zoom_workplace.background import POLICY_READS
from zoom_workplace.policy import SECTION

START = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)


class Conferencing:
    """A tiny third-party conferencing provider."""

    def __init__(self, service: str, join_url: str) -> None:
        self.service, self.title, self.join_url = service, service.title(), join_url
        self.created: list[OnlineMeeting] = []
        self.deleted: list[OnlineMeeting] = []

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting:
        meeting = OnlineMeeting(provider=self.service, join_url=self.join_url, meeting_id="m1")
        self.created.append(meeting)
        return meeting

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting:
        return meeting

    async def delete_meeting(self, meeting: OnlineMeeting) -> None:
        self.deleted.append(meeting)


class ConferencingPlugin:
    def __init__(self, provider: Conferencing) -> None:
        self.provider = provider

    @hookimpl
    def register_conferencing(self, register) -> None:
        register(self.provider)


def record(host, name: str):
    (found,) = [r for r in host.plugin_records() if r.name == name]
    return found


def test_a_meet_plugin_is_refused_at_load_time(make_host, host) -> None:
    meet = make_host(
        testmail_plugin,
        ("zoomclient-meet", ConferencingPlugin(Conferencing("meet", "https://meet.google.com/abc-defg-hij"))),
        trusted=["zoomclient-meet"],
    )
    refused = record(meet, "zoomclient-meet")
    assert refused.status is PluginStatus.REFUSED
    assert "only Zoom meetings may be scheduled" in refused.reason and "zoom-only conferencing" in refused.reason
    assert meet.registry.conferencing == [] and meet.loaded("testprovider.plugin")


def test_a_plugin_that_only_says_zoom_is_refused(make_host) -> None:
    fake = make_host(("zoomclient-zoom-lookalike", ConferencingPlugin(Conferencing("zoom", "https://zoom.us/j/1"))))
    refused = record(fake, "zoomclient-zoom-lookalike")
    assert refused.status is PluginStatus.REFUSED and "not a trusted Zoom distribution" in refused.reason


async def test_a_non_zoom_meeting_never_reaches_an_event(make_host, session, testmail) -> None:
    """Even from a trusted distribution: check_meeting refuses it, and the meeting is deleted again."""
    sneaky = Conferencing("zoom", "https://zoom.us.evil.example/j/1")
    make_host(("zoomclient-sneaky", ConferencingPlugin(sneaky)), trusted=["zoomclient-sneaky"])
    cache = session.require_calendars()
    testmail.log.clear()
    event = Event(id="", calendar_id="primary", title="t", start=START, end=START + dt.timedelta(hours=1))
    with pytest.raises(MeetingRefused):
        await add_meeting(sneaky, cache, event, cache.calendar("primary"))
    assert sneaky.deleted == sneaky.created and not testmail.log.find("POST")


async def test_without_the_zoom_meetings_plugin_the_host_works_on(make_host, secrets, testmail_url, testmail) -> None:
    host = make_host(testmail_plugin, zoom_workplace_plugin)
    assert host.registry.conferencing == [] and not [a for a in host.registry.actions if a.id == "zoom.add-meeting"]
    assert all(r.status is PluginStatus.LOADED for r in host.plugin_records())
    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    session = await accounts.open()
    try:
        cache = session.require_calendars()
        await cache.load()
        event = Event(id="", calendar_id="primary", title="No meeting", start=START, end=START + dt.timedelta(hours=1))
        created = await cache.create_event(event)
        assert testmail.state.events[created.id].online_meeting is None
    finally:
        await session.aclose()


async def test_the_admin_policy_keeps_the_calendar_off_and_says_why(
    make_host, secrets, zoom, zoom_url, testmail_url
) -> None:
    """Bo's Business account enabled mail for his group but not the calendar: the TestMail account opens
    with mail alone, and asking for the calendar says why it is off."""
    from zoom_workplace.session import sign_in

    zoom.state.groups["grp-biz-sales"].settings[SECTION] = {"mail_client": True}
    await sign_in(
        secrets,
        sandbox_url=zoom_url,
        open_browser=headless_browser,
        login_hint="bo.business@business.example.com",
        timeout=20,
    )
    host = make_host(testmail_plugin, zoom_workplace_plugin)
    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    session = await accounts.open()
    try:
        assert session.calendars is None and session.store is not None
        with pytest.raises(PluginError, match="The calendar is off: off by default for Business accounts") as raised:
            session.require_calendars()
        assert "Zoom admin" in raised.value.hint
    finally:
        await session.aclose()
        if (read := POLICY_READS.running(secrets)) is not None:
            await read  # the policy read the open started ends before the test's loop does

"""A Zoom meeting Alex created and an event of today with its join URL, and the desktop window with the
calendar view and a Who joined sidebar that refreshes every half second (the emulators, the secret store,
Alex's Zoom sign-in and the main window: zoom_workplace.testing)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

import calendar_view.plugin as calendar_view_plugin
import pytest
from testprovider import plugin as testmail_plugin
from testprovider.emulator import TestMailEmulator
from who_joined_support import DISTRIBUTION, EVENT_ID, PLAIN_EVENT_ID, TITLE

from host.app import Host
from host.model.calendar import Event
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from who_joined.plugin import WhoJoinedPlugin
from zoom_workplace.session import open_client

#: how often the sidebar refreshes in these tests
REFRESH_SECONDS = 0.5


@pytest.fixture
def testmail() -> TestMailEmulator:
    return TestMailEmulator(SandboxOptions(messages=5, events=5))


def event_times() -> tuple[dt.datetime, dt.datetime]:
    """Started ten minutes ago, an hour long: running now."""
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    return start, start + dt.timedelta(hours=1)


@pytest.fixture
async def meeting(secrets: MemorySecretStore, zoom_signed_in, testmail: TestMailEmulator) -> dict[str, Any]:
    """A Zoom meeting Alex scheduled through the API, and today's events: one with its join URL, one without."""
    start, end = event_times()
    client = open_client(secrets)
    try:
        created = await client.request(
            "POST",
            "/users/me/meetings",
            body={"topic": TITLE, "type": 2, "start_time": f"{start:%Y-%m-%dT%H:%M:%SZ}", "duration": 60},
        )
    finally:
        await client.aclose()
    testmail.state.create_event(
        Event(EVENT_ID, "primary", TITLE, start, end, time_zone="UTC", location=created["join_url"])
    )
    testmail.state.create_event(Event(PLAIN_EVENT_ID, "primary", "Focus time", end, end + dt.timedelta(hours=1)))
    return created


@pytest.fixture
def who_joined() -> WhoJoinedPlugin:
    return WhoJoinedPlugin(refresh_seconds=REFRESH_SECONDS)


@pytest.fixture
def open_calendar(open_main_window, qtbot, tmp_path: Path, secrets: MemorySecretStore) -> Callable[[Host], Any]:
    """Open the main window of ``host`` signed in to TestMail, its calendar loaded with today's events. The
    window's secret store is the one with the Zoom sign-in, as in the app (the sidebar finds it there)."""
    opened: list[Any] = []

    def open_for(host: Host) -> Any:
        host.data_dir = tmp_path / f"window{len(opened)}"
        window = open_main_window(host, secrets, size=(1500, 900))
        opened.append(window)
        view = window.main_views["calendar"]
        qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
        qtbot.waitUntil(lambda: any(e.id == EVENT_ID for e in view.events), timeout=10000)
        return window

    return open_for


@pytest.fixture
def window(make_host, who_joined: WhoJoinedPlugin, meeting, open_calendar) -> Any:
    return open_calendar(make_host(testmail_plugin, calendar_view_plugin, (DISTRIBUTION, who_joined)))

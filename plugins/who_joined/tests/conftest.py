"""Two emulators on 127.0.0.1 (Zoom, and TestMail for the calendar), Alex signed in to both, a Zoom
meeting Alex created and an event of today with its join URL, and the desktop window with the calendar
view and a Who joined sidebar that refreshes every half second."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))
sys.path.insert(0, str(Path(__file__).parent))

import calendar_view.plugin as calendar_view_plugin  # noqa: E402
import pytest  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402
from who_joined_support import ALEX, DISTRIBUTION, EVENT_ID, PLAIN_EVENT_ID, TITLE  # noqa: E402

from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.model.calendar import Event  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from host.sync import SyncSettings  # noqa: E402
from host.ui.loop import LoopThread  # noqa: E402
from who_joined.plugin import WhoJoinedPlugin  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402

#: how often the sidebar refreshes in these tests
REFRESH_SECONDS = 0.5


@pytest.fixture
def zoom() -> ZoomEmulator:
    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    return TestMailEmulator(SandboxOptions(messages=5, events=5))


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def zoom_secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
async def zoom_signed_in(zoom_url: str, zoom_secrets: MemorySecretStore) -> None:
    await sign_in(zoom_secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=ALEX, timeout=20)


def event_times() -> tuple[dt.datetime, dt.datetime]:
    """Started ten minutes ago, an hour long: running now."""
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    return start, start + dt.timedelta(hours=1)


@pytest.fixture
async def meeting(zoom_secrets: MemorySecretStore, zoom_signed_in, testmail: TestMailEmulator) -> dict[str, Any]:
    """A Zoom meeting Alex scheduled through the API, and today's events: one with its join URL, one without."""
    start, end = event_times()
    client = open_client(zoom_secrets)
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
def loop() -> Iterator[LoopThread]:
    thread = LoopThread().start()
    yield thread
    thread.stop()


@pytest.fixture
def open_calendar(
    qtbot, loop: LoopThread, testmail_url: str, tmp_path: Path, zoom_secrets: MemorySecretStore
) -> Iterator[Callable[[Host], Any]]:
    """Open the main window of ``host`` signed in to TestMail, its calendar loaded with today's events. The
    window's secret store is the one with the Zoom sign-in, as in the app (the sidebar finds it there)."""
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    windows = []

    def open_for(host: Host) -> Any:
        host.data_dir = tmp_path / f"window{len(windows)}"
        window = open_window(
            host,
            zoom_secrets,
            loop=loop,
            settings=QSettings(str(tmp_path / f"layout{len(windows)}.ini"), QSettings.Format.IniFormat),
            sync_settings=SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600),
            sandbox_urls={names.ACCOUNT_TYPE: testmail_url},
            sign_in=names.ACCOUNT_TYPE,
        )
        windows.append(window)
        qtbot.addWidget(window)
        window.resize(1500, 900)
        view = window.main_views["calendar"]
        qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
        qtbot.waitUntil(lambda: any(e.id == EVENT_ID for e in view.events), timeout=10000)
        return window

    yield open_for
    for window in windows:
        window.close()
    # The shell's "mail changed" timer (250 ms) may still run after close: let it fire while the window lives.
    qtbot.wait(300)


@pytest.fixture
def window(make_host, who_joined: WhoJoinedPlugin, meeting, open_calendar) -> Any:
    return open_calendar(make_host(testmail_plugin, calendar_view_plugin, (DISTRIBUTION, who_joined)))

"""Two emulators on 127.0.0.1 (Zoom, and TestMail for the calendar), Alex signed in to both, and a host
with TestMail and a participant chat plugin whose Zoom client comes from Alex's Zoom sign-in."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))
sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402
from chat_support import ALEX, COLLEAGUES, DISTRIBUTION, EVENT_ID, colleague, event_start, team_event  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.accounts import Accounts, AccountSession  # noqa: E402
from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from host.sync import SyncSettings  # noqa: E402
from host.ui.loop import LoopThread  # noqa: E402
from participant_chat.plugin import ParticipantChatPlugin  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.emulator.state import ZoomUserRecord  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402


@pytest.fixture
def zoom() -> ZoomEmulator:
    emulator = ZoomEmulator(SandboxOptions())
    for n in range(1, COLLEAGUES + 1):
        address = colleague(n)
        emulator.state.users[address.email] = ZoomUserRecord(
            f"u{100 + n}colleague", address.email, "Colleague", f"{n:02d}", "acc-pro", pmi=5551000000 + n
        )
    return emulator


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=5))
    emulator.state.create_event(team_event(event_start()))
    return emulator


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def zoom_secrets() -> MemorySecretStore:
    """Where the Zoom sign-in lives (the desktop window keeps the mail account in a store of its own)."""
    return MemorySecretStore()


@pytest.fixture
async def zoom_signed_in(zoom_url: str, zoom_secrets: MemorySecretStore) -> None:
    await sign_in(zoom_secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=ALEX.email, timeout=20)


@pytest.fixture
def chat_plugin(zoom_secrets: MemorySecretStore) -> ParticipantChatPlugin:
    return ParticipantChatPlugin(connect=lambda host: open_client(zoom_secrets, host))


@pytest.fixture
def host(make_host, chat_plugin: ParticipantChatPlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, chat_plugin))


@pytest.fixture
async def session(
    host: Host, zoom_secrets: MemorySecretStore, testmail_url: str, zoom_signed_in
) -> AsyncIterator[AccountSession]:
    accounts = Accounts(host, zoom_secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    await opened.require_calendars().load()
    yield opened
    await opened.aclose()


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread().start()
    yield thread
    thread.stop()


@pytest.fixture
def open_calendar(qtbot, loop: LoopThread, testmail_url: str, tmp_path: Path) -> Iterator[Callable[[Host], Any]]:
    """Open the main window of ``host`` signed in to TestMail; returns it with its calendar view loaded."""
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    windows = []

    def open_for(host: Host) -> Any:
        host.data_dir = tmp_path / f"window{len(windows)}"
        window = open_window(
            host,
            MemorySecretStore(),
            loop=loop,
            settings=QSettings(str(tmp_path / f"layout{len(windows)}.ini"), QSettings.Format.IniFormat),
            sync_settings=SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600),
            sandbox_urls={names.ACCOUNT_TYPE: testmail_url},
            sign_in=names.ACCOUNT_TYPE,
        )
        windows.append(window)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        view = window.main_views["calendar"]
        qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
        view.go_to(event_start().date())
        qtbot.waitUntil(lambda: view.loading == 0 and any(e.id == EVENT_ID for e in view.events), timeout=10000)
        return window

    yield open_for
    for window in windows:
        window.close()
    # The shell's "mail changed" timer (250 ms) may still run after close: let it fire while the window lives.
    qtbot.wait(300)

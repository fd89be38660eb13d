"""Two emulators on 127.0.0.1 (Zoom, and TestMail for mail and calendar), Alex signed in to both in one
secret store, and a host with TestMail, the mail and calendar views and a contact card plugin whose Zoom
client comes from Alex's Zoom sign-in.

TestMail's inbox holds a mail from Lena (Zoom: Director, in a meeting, a phone number) with Ana (Zoom: Away,
Product, no phone) and Chris (not in Zoom) on copy; this week's calendar holds an event Lena organises
with Ana and Alex invited.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
_ROOT = Path(__file__).resolve().parents[3]
for helpers in (_ROOT / "tests" / "testprovider", _ROOT / "tests" / "ui", Path(__file__).parent):
    if str(helpers) not in sys.path:
        sys.path.insert(0, str(helpers))

import calendar_view.plugin as calendar_view_plugin  # noqa: E402
import mail_view.plugin as mail_view_plugin  # noqa: E402
import pytest  # noqa: E402
from contact_support import ALEX, ANA, DISTRIBUTION, EVENT_TITLE, LENA, lenas_mail  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from contact_card.plugin import ContactCardPlugin  # noqa: E402
from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.model.calendar import Attendee, Event, ResponseStatus  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from host.sync import SyncSettings  # noqa: E402
from host.ui.loop import LoopThread  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402


@pytest.fixture
def zoom() -> ZoomEmulator:
    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def secrets() -> MemorySecretStore:
    """The one secret store: the mail account's sign-in and the Zoom sign-in side by side."""
    return MemorySecretStore()


@pytest.fixture
async def zoom_signed_in(zoom_url: str, secrets: MemorySecretStore) -> None:
    await sign_in(secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=ALEX.email, timeout=20)


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
def plugin(secrets: MemorySecretStore, now: dt.datetime) -> ContactCardPlugin:
    return ContactCardPlugin(connect=lambda host: open_client(secrets, host), now=lambda: now)


@pytest.fixture
def extra_plugins(plugin: ContactCardPlugin) -> tuple[object, ...]:
    """The plugins beside TestMail and the two views (a test module overrides this: the plugin missing)."""
    return ((DISTRIBUTION, plugin),)


@pytest.fixture
def host(make_host: Callable[..., Host], tmp_path: Path, extra_plugins: tuple[object, ...]) -> Host:
    built = make_host(testmail_plugin, mail_view_plugin, calendar_view_plugin, *extra_plugins)
    built.data_dir = tmp_path / "data"
    return built


@pytest.fixture
def meeting_start(now: dt.datetime) -> dt.datetime:
    return (now + dt.timedelta(hours=2)).replace(minute=0, second=0)


@pytest.fixture
def testmail(meeting_start: dt.datetime) -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=5))
    emulator.state.add_message(lenas_mail(), date=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    emulator.state.create_event(
        Event(
            id="roadmap-review",
            calendar_id="primary",
            title=EVENT_TITLE,
            start=meeting_start,
            end=meeting_start + dt.timedelta(hours=1),
            organizer=LENA,
            attendees=(
                Attendee(LENA, ResponseStatus.ACCEPTED, organizer=True),
                Attendee(ANA, ResponseStatus.TENTATIVE),
                Attendee(ALEX, ResponseStatus.NEEDS_ACTION),
            ),
        )
    )
    return emulator


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread().start()
    yield thread
    thread.stop()


@pytest.fixture
def window(qtbot, host: Host, loop: LoopThread, secrets: MemorySecretStore, testmail_url: str, tmp_path: Path):
    """The main window signed in to TestMail (the Zoom sign-in, when a test asks for it, in the same store),
    with the inbox listed and the calendars loaded."""
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    window = open_window(
        host,
        secrets,
        loop=loop,
        settings=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat),
        sync_settings=SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600),
        sandbox_urls={names.ACCOUNT_TYPE: testmail_url},
        sign_in=names.ACCOUNT_TYPE,
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    mail, calendar = window.main_views["mail"], window.main_views["calendar"]
    qtbot.waitUntil(
        lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0 and bool(calendar.calendars),
        timeout=20000,
    )
    yield window
    window.close()
    qtbot.wait(300)  # the shell's "mail changed" timer fires while the window still lives

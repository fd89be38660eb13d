"""A host with TestMail, the mail and calendar views and a contact card plugin whose Zoom client comes from
Alex's Zoom sign-in, in the one secret store the mail account uses too (the emulators, the store, the sign-in
and the main window: zoom_workplace.testing).

TestMail's inbox holds a mail from Lena (Zoom: Director, in a meeting, a phone number) with Ana (Zoom: Away,
Product, no phone) and Chris (not in Zoom) on copy; this week's calendar holds an event Lena organises
with Ana and Alex invited.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
_ROOT = Path(__file__).resolve().parents[3]
for helpers in (_ROOT / "tests" / "ui", Path(__file__).parent):
    if str(helpers) not in sys.path:
        sys.path.insert(0, str(helpers))

import calendar_view.plugin as calendar_view_plugin  # noqa: E402
import mail_view.plugin as mail_view_plugin  # noqa: E402
import pytest  # noqa: E402
from contact_support import ALEX, ANA, DISTRIBUTION, EVENT_TITLE, LENA, lenas_mail  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from contact_card.plugin import ContactCardPlugin  # noqa: E402
from host.app import Host  # noqa: E402
from host.model.calendar import Attendee, Event, ResponseStatus  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from zoom_workplace.session import open_client  # noqa: E402


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
    # Noon today where the calendar shows it: in the week on screen at any time of the day or week.
    return dt.datetime.combine(now.astimezone().date(), dt.time(12)).astimezone()


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
def window(qtbot, open_main_window, host: Host, secrets: MemorySecretStore):
    """The main window signed in to TestMail (the Zoom sign-in, when a test asks for it, in the same store),
    with the inbox listed and the calendars loaded."""
    window = open_main_window(host, secrets, size=(1280, 800))
    mail, calendar = window.main_views["mail"], window.main_views["calendar"]
    qtbot.waitUntil(
        lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0 and bool(calendar.calendars),
        timeout=20000,
    )
    return window

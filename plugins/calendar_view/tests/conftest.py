"""The calendar view against the TestMail emulator: real widgets (offscreen), real loopback HTTP.

``window`` is the main window signed in to the emulator (unattended consent) with the calendar view
loaded; ``week`` is the Monday of the current week in :data:`ZONE` (the user's zone in these tests),
and the emulator holds the events of :data:`SEEDED` in that week.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# The TestMail emulator lives with the host's tests (as tests/conftest.py makes it importable there).
_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))
sys.path.insert(0, str(Path(__file__).parent))

import calendar_view.plugin as calendar_view_plugin  # noqa: E402
import pytest  # noqa: E402
from calendar_support import LATER_WEEKS, ZONE, at, seeded, shared_invitation, this_monday  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.app import Host  # noqa: E402
from host.model.calendar import Event  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from host.sync import SyncSettings  # noqa: E402
from host.ui.loop import LoopThread  # noqa: E402


@pytest.fixture
def week() -> dt.date:
    return this_monday()


@pytest.fixture
def emulator(week: dt.date) -> TestMailEmulator:
    # Only the seeded events: generated ones are placed by today's date, and would land in a slot a test
    # sweeps over on some weekday.
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=0))
    for event in seeded(week, emulator.state.owner):
        emulator.state.create_event(event)
    # The emulator refuses to write into a read-only calendar: this one is put there as its owner would.
    shared = shared_invitation(week, emulator.state.owner)
    with emulator.state.lock:
        emulator.state.events[shared.id] = shared
    later = week + dt.timedelta(weeks=LATER_WEEKS, days=2)
    emulator.state.create_event(
        Event("later", "primary", "Far ahead", at(later, 13), at(later, 14), time_zone="Europe/Berlin")
    )
    return emulator


@pytest.fixture
def server(emulator: TestMailEmulator) -> Iterator[ServerThread]:
    with ServerThread(emulator, name="testmail") as running:
        yield running


@pytest.fixture
def extra_plugins() -> tuple[object, ...]:
    """More plugins for the host (a test module overrides this to add its own)."""
    return ()


@pytest.fixture
def host(make_host: Callable[..., Host], tmp_path: Path, extra_plugins: tuple[object, ...]) -> Host:
    built = make_host(testmail_plugin, calendar_view_plugin, *extra_plugins)
    built.data_dir = tmp_path / "data"
    return built


@pytest.fixture
def layout_file(tmp_path: Path) -> Path:
    return tmp_path / "layout.ini"


@pytest.fixture
def window(qtbot, host: Host, loop: LoopThread, server: ServerThread, layout_file: Path) -> Iterator[Any]:
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    window = open_window(
        host,
        MemorySecretStore(),
        loop=loop,
        settings=QSettings(str(layout_file), QSettings.Format.IniFormat),
        sync_settings=SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600),
        sandbox_urls={names.ACCOUNT_TYPE: server.url},
        sign_in=names.ACCOUNT_TYPE,
    )
    qtbot.addWidget(window)
    window.resize(1400, 900)
    view = window.main_views["calendar"]
    qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
    yield window
    window.close()
    # The shell's "mail changed" timer (250 ms) may still be running after close: let it fire while the
    # window lives, or it fires into a deleted window during a later test.
    qtbot.wait(300)


@pytest.fixture
def view(window, qtbot, week: dt.date) -> Any:
    """The calendar view in the week of the seeded events, times shown in :data:`ZONE`."""
    from calendar_view.days import Mode

    view = window.main_views["calendar"]
    view.zone = ZONE
    view.first_weekday = 0  # whatever the machine's locale says
    view.mode = Mode.WEEK
    view.go_to(week + dt.timedelta(days=2))
    qtbot.waitUntil(lambda: view.loading == 0 and any(e.title == "Standup" for e in view.events), timeout=10000)
    return view

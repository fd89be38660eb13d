"""The desktop app against the TestMail emulator: real widgets (offscreen), real loopback HTTP, real stores.

``window`` is the main window signed in to the emulator (unattended consent) with the inbox listed.
The emulator's inbox also holds a hostile HTML mail (a script, a remote tracker image served by a
counting server of our own, a ``cid:`` image) and an invitation whose event no calendar has.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mail_view.plugin as mail_view_plugin
import pytest
from testprovider import names
from testprovider import plugin as testmail_plugin
from testprovider.emulator import TestMailEmulator

from host.app import Host
from host.model.calendar import Attendee, Event, ResponseStatus
from host.model.mail import Address
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from host.sync import SyncSettings
from host.ui.loop import LoopThread

sys.path.insert(0, str(Path(__file__).parent))
from ui_support import KNOWN_EVENT_ID, KNOWN_INVITE_SUBJECT, Tracker, hostile_mail, invitation_mail


@pytest.fixture
def tracker() -> Iterator[tuple[Tracker, str]]:
    app = Tracker()
    with ServerThread(app, name="tracker") as server:
        yield app, server.url


@pytest.fixture
def emulator(tracker: tuple[Tracker, str]) -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=40, events=10))
    now = dt.datetime.now(dt.UTC)
    emulator.state.add_message(invitation_mail(), date=now - dt.timedelta(minutes=2))
    start = (now + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    emulator.state.create_event(
        Event(
            id=KNOWN_EVENT_ID,
            calendar_id="primary",
            title="Design sync",
            start=start,
            end=start + dt.timedelta(hours=1),
            organizer=Address("priya.sharma@example.in", "Priya Sharma"),
            attendees=(
                Attendee(Address("priya.sharma@example.in", "Priya Sharma"), ResponseStatus.ACCEPTED, organizer=True),
                Attendee(emulator.state.owner, ResponseStatus.NEEDS_ACTION),
            ),
        )
    )
    emulator.state.add_message(
        invitation_mail(KNOWN_INVITE_SUBJECT, f"{KNOWN_EVENT_ID}@example.in", start), date=now - dt.timedelta(minutes=3)
    )
    emulator.state.add_message(hostile_mail(tracker[1]), date=now - dt.timedelta(minutes=1))
    return emulator


@pytest.fixture
def server(emulator: TestMailEmulator) -> Iterator[ServerThread]:
    with ServerThread(emulator, name="testmail") as running:
        yield running


@pytest.fixture
def host(make_host: Callable[..., Host], tmp_path: Path) -> Host:
    built = make_host(testmail_plugin, mail_view_plugin)
    built.data_dir = tmp_path / "data"
    return built


@pytest.fixture
def sync_settings() -> SyncSettings:
    return SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600)


@pytest.fixture
def open_app(qtbot, host: Host, loop: LoopThread, server: ServerThread, sync_settings: SyncSettings, tmp_path: Path):
    """Open a main window signed in to the emulator; returns it once the inbox is listed."""
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    windows = []

    def open_() -> Any:
        window = open_window(
            host,
            MemorySecretStore(),
            loop=loop,
            settings=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat),
            sync_settings=sync_settings,
            sandbox_urls={names.ACCOUNT_TYPE: server.url},
            sign_in=names.ACCOUNT_TYPE,
        )
        qtbot.addWidget(window)
        windows.append(window)
        mail = window.main_views["mail"]
        qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0, timeout=20000)
        return window

    yield open_
    for window in windows:
        window.close()


@pytest.fixture
def window(open_app):
    return open_app()


@pytest.fixture
def mail(window):
    return window.main_views["mail"]

"""A host with TestMail and a participant chat plugin whose Zoom client comes from Alex's Zoom sign-in (the
emulators, the secret store, the sign-in, the opened session and the main window: zoom_workplace.testing).

Zoom knows Alex's colleagues (``chat_support.COLLEAGUES`` of them) and TestMail's calendar holds the team
event they are invited to."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

import pytest
from chat_support import COLLEAGUES, DISTRIBUTION, EVENT_ID, colleague, event_start, team_event
from testprovider import plugin as testmail_plugin
from testprovider.emulator import TestMailEmulator

from host.app import Host
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from participant_chat.plugin import ParticipantChatPlugin
from zoom_workplace.emulator.app import ZoomEmulator
from zoom_workplace.emulator.state import ZoomUserRecord
from zoom_workplace.session import open_client


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
def testmail() -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=5))
    emulator.state.create_event(team_event(event_start()))
    return emulator


@pytest.fixture
def chat_plugin(secrets: MemorySecretStore) -> ParticipantChatPlugin:
    return ParticipantChatPlugin(connect=lambda host: open_client(secrets, host))


@pytest.fixture
def host(make_host, chat_plugin: ParticipantChatPlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, chat_plugin))


@pytest.fixture
def open_calendar(open_main_window, qtbot, tmp_path: Path) -> Callable[[Host], Any]:
    """Open the main window of ``host`` signed in to TestMail (in a store of its own: the plugin's connect has
    the Zoom sign-in); returns it with its calendar view on the team event."""
    opened: list[Any] = []

    def open_for(host: Host) -> Any:
        host.data_dir = tmp_path / f"window{len(opened)}"
        window = open_main_window(host)
        opened.append(window)
        view = window.main_views["calendar"]
        qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
        view.go_to(event_start().date())
        qtbot.waitUntil(lambda: view.loading == 0 and any(e.id == EVENT_ID for e in view.events), timeout=10000)
        return window

    return open_for

"""The calendar view's event editor with the plugin, real widgets offscreen: the action's button, Zoom's
numbers asked for in the desktop's dialog, the number in the editor's fields and then in the calendar
emulator; and the editor without the plugin."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from testprovider import names
from testprovider import plugin as testmail_plugin

from host.auth import headless_browser
from host.secrets import MemorySecretStore
from host.sync import SyncSettings
from host.ui.loop import LoopThread
from zoom_phone.plugin import ZoomPhonePlugin
from zoom_workplace.session import sign_in

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ARTIFACTS = Path(__file__).parent / "artifacts"
ZONE = ZoneInfo("Europe/Berlin")
MUNICH_TEL = "tel:+498999887766;ext=1001"


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    thread = LoopThread().start()
    yield thread
    thread.stop()


@pytest.fixture
def with_plugin() -> bool:
    return True


@pytest.fixture
def window(qtbot, make_host, tmp_path, loop, zoom_url, testmail_url, with_plugin: bool) -> Iterator[Any]:
    import calendar_view.plugin as calendar_view_plugin

    from host.ui.app import open_window
    from host.ui.qt import QSettings

    secrets = MemorySecretStore()
    asyncio.run(
        sign_in(secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint="alex.morgan@example.com")
    )
    # As installed (no connect): account_signed_in hands it the window's store, where Zoom is signed in.
    phone = ("zoomclient-zoom-phone", ZoomPhonePlugin())
    host = make_host(testmail_plugin, calendar_view_plugin, *([phone] if with_plugin else []))
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
    window.resize(1400, 900)
    view = window.main_views["calendar"]
    qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
    yield window
    window.close()
    qtbot.wait(300)  # the shell's 250 ms timer fires while the window lives


def in_dialog(kind: type, act: Callable[[Any], None]) -> None:
    """Run ``act(dialog)`` once the modal dialog of ``kind`` is up (it runs its own event loop)."""
    from host.ui.qt import QApplication, QTimer

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)


def tomorrow_at(hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.datetime.now(ZONE).date() + dt.timedelta(days=1), dt.time(hour), ZONE)


def test_the_editor_offers_the_action_and_shows_the_chosen_number(window, qtbot, testmail) -> None:
    from host.ui.qt import QInputDialog, Qt

    editor = window.main_views["calendar"].new_event(tomorrow_at(15))
    editor.title.setText("Supplier call")
    editor.location.setText("Room 4.2")
    button = editor.action_buttons["zoom.phone-number"]
    assert button.text() == "Add Zoom Phone number"
    offered: list[list[str]] = []

    def choose(dialog: QInputDialog) -> None:
        offered.append(dialog.comboBoxItems())
        dialog.setTextValue("+498999887766, extension 1001")
        dialog.accept()

    in_dialog(QInputDialog, choose)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: MUNICH_TEL in editor.location.text(), timeout=10000)
    assert offered == [["+49 30 1234 5601, extension 1001", "+498999887766, extension 1001"]]
    assert editor.location.text() == f"Room 4.2 · {MUNICH_TEL}"
    assert "Call: +498999887766, extension 1001" in editor.description.toPlainText()
    assert editor.title.text() == "Supplier call", "what the user typed stays"
    ARTIFACTS.mkdir(exist_ok=True)
    editor.grab().save(str(ARTIFACTS / "editor_with_zoom_phone.png"))

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with testmail.state.lock:
            return next((e for e in testmail.state.events.values() if e.title == "Supplier call"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    assert stored().location == f"Room 4.2 · {MUNICH_TEL}" and MUNICH_TEL in stored().description


@pytest.mark.parametrize("with_plugin", [False])
def test_without_the_plugin_the_editor_has_no_such_action(window, qtbot) -> None:
    editor = window.main_views["calendar"].new_event(tomorrow_at(9))
    assert editor is not None and editor.isVisible()
    assert "zoom.phone-number" not in editor.action_buttons
    editor.reject()

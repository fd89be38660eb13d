"""The calendar view's event editor with the plugin, real widgets offscreen: the action's button, Zoom's
numbers asked for in the desktop's dialog, the number in the editor's fields and then in the calendar
emulator; and the editor without the plugin."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from testprovider import plugin as testmail_plugin

from zoom_phone.plugin import ZoomPhonePlugin

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ARTIFACTS = Path(__file__).parent / "artifacts"
ZONE = ZoneInfo("Europe/Berlin")
MUNICH_TEL = "tel:+498999887766;ext=1001"


@pytest.fixture
def with_plugin() -> bool:
    return True


@pytest.fixture
def window(qtbot, make_host, secrets, zoom_signed_in, open_main_window, with_plugin: bool) -> Any:
    import calendar_view.plugin as calendar_view_plugin

    # As installed (no connect): account_signed_in hands it the window's store, where Zoom is signed in.
    phone = ("zoomclient-zoom-phone", ZoomPhonePlugin())
    window = open_main_window(
        make_host(testmail_plugin, calendar_view_plugin, *([phone] if with_plugin else [])), secrets
    )
    view = window.main_views["calendar"]
    qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
    return window


def tomorrow_at(hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.datetime.now(ZONE).date() + dt.timedelta(days=1), dt.time(hour), ZONE)


def test_the_editor_offers_the_action_and_shows_the_chosen_number(window, qtbot, testmail) -> None:
    from host.ui.qt import QInputDialog, Qt
    from host.ui.testing import in_dialog

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

"""The calendar view's event editor with the plugin, real widgets offscreen: the action's button, the range
asked in the desktop's dialog, the recording picked in the searchable picker, the share link and passcode
in the editor's description and then in the calendar emulator; and the editor without the plugin."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from testprovider import plugin as testmail_plugin

from zoom_recordings.plugin import ZoomRecordingsPlugin

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ARTIFACTS = Path(__file__).parent / "artifacts"
ZONE = ZoneInfo("Europe/Berlin")
SHARE_LINK = "https://zoom.us/rec/share/emu84011112222?pwd=emuPlay84011112222x8Qz"


@pytest.fixture
def with_plugin() -> bool:
    return True


@pytest.fixture
def window(qtbot, make_host, secrets, zoom_signed_in, open_main_window, with_plugin: bool) -> Any:
    import calendar_view.plugin as calendar_view_plugin

    # As installed (no connect): account_signed_in hands it the window's store, where Zoom is signed in.
    plugin = ("zoomclient-zoom-recordings", ZoomRecordingsPlugin())
    window = open_main_window(
        make_host(testmail_plugin, calendar_view_plugin, *([plugin] if with_plugin else [])), secrets
    )
    view = window.main_views["calendar"]
    qtbot.waitUntil(lambda: bool(view.calendars) and view.loading == 0, timeout=20000)
    return window


def tomorrow_at(hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.datetime.now(ZONE).date() + dt.timedelta(days=1), dt.time(hour), ZONE)


def test_the_editor_offers_the_action_and_shows_the_picked_recording(window, qtbot, testmail) -> None:
    from host.ui.action_dialogs import PickDialog
    from host.ui.qt import QInputDialog, Qt
    from host.ui.testing import in_dialog

    editor = window.main_views["calendar"].new_event(tomorrow_at(10))
    editor.title.setText("Follow-up with Müller GmbH")
    editor.description.setPlainText("What we agreed last time.")
    button = editor.action_buttons["zoom.attach-recording"]
    assert button.text() == "Attach cloud recording"
    ranges: list[list[str]] = []
    shown: list[list[str]] = []

    def choose_range(dialog: QInputDialog) -> None:
        ranges.append(dialog.comboBoxItems())
        dialog.setTextValue("Last 3 months")
        dialog.accept()
        in_dialog(PickDialog, pick)

    def pick(dialog: PickDialog) -> None:
        qtbot.waitUntil(lambda: dialog.results.count() == 4, timeout=10000)
        shown.append([dialog.results.item(n).text() for n in range(dialog.results.count())])
        qtbot.keyClicks(dialog.field, "kunden")  # QTest aborts on keys beyond ASCII; the scripted test types "müller"
        qtbot.waitUntil(lambda: dialog.results.count() == 1 and "1 found" in dialog.status.text(), timeout=10000)
        ARTIFACTS.mkdir(exist_ok=True)
        dialog.grab().save(str(ARTIFACTS / "recording_picker.png"))
        dialog.field.returnPressed.emit()

    in_dialog(QInputDialog, choose_range)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: SHARE_LINK in editor.description.toPlainText(), timeout=15000)
    assert ranges == [["Last 30 days", "Last 3 months", "Last 12 months"]]
    assert [row.split("\n")[0] for row in shown[0]] == [
        "Roadmap review",
        "Kundengespräch Müller GmbH",
        "Design critique",
        "All hands — Q3",
    ]
    text = editor.description.toPlainText()
    assert text.startswith("What we agreed last time.\n\n") and "Passcode: Kd3!mU9z" in text
    assert editor.title.text() == "Follow-up with Müller GmbH", "what the user typed stays"
    editor.grab().save(str(ARTIFACTS / "editor_with_recording.png"))

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with testmail.state.lock:
            return next((e for e in testmail.state.events.values() if e.title == "Follow-up with Müller GmbH"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    assert SHARE_LINK in stored().description and "Passcode: Kd3!mU9z" in stored().description


@pytest.mark.parametrize("with_plugin", [False])
def test_without_the_plugin_the_editor_has_no_such_action(window, qtbot) -> None:
    editor = window.main_views["calendar"].new_event(tomorrow_at(9))
    assert editor is not None and editor.isVisible()
    assert "zoom.attach-recording" not in editor.action_buttons
    editor.reject()

"""The action in the desktop app: in the calendar's event menu, asking with the shell's real dialog,
its result in the window's message bar; and the calendar without the plugin."""

from __future__ import annotations

import calendar_view.plugin as calendar_view_plugin
from chat_support import COLLEAGUES, DISTRIBUTION, EVENT_ID, TITLE, channel_of, screenshot
from testprovider import plugin as testmail_plugin

from host.ui.qt import QMessageBox
from host.ui.testing import in_dialog

ACTION_TITLE = "Chat with the event's participants"


def menu_texts(view, event) -> list[str]:
    return [action.text() for action in view.event_menu(event).actions()]


def test_the_event_menu_starts_the_chat_after_asking(
    qtbot, make_host, chat_plugin, zoom, zoom_signed_in, open_calendar
):
    host = make_host(testmail_plugin, calendar_view_plugin, (DISTRIBUTION, chat_plugin))
    window = open_calendar(host)
    view = window.main_views["calendar"]
    event = next(e for e in view.events if e.id == EVENT_ID)
    menu = view.event_menu(event)
    (entry,) = [a for a in menu.actions() if a.text() == ACTION_TITLE]
    asked: list[str] = []

    def answer(box: QMessageBox) -> None:
        asked.append(box.text())
        screenshot(box, "confirm_participant_chat")
        box.button(QMessageBox.StandardButton.Yes).click()

    in_dialog(QMessageBox, answer)
    entry.trigger()
    qtbot.waitUntil(lambda: any(c["name"] == TITLE for c in zoom.state.channels), timeout=20000)
    qtbot.waitUntil(lambda: "Started the group chat" in window.message_bar.message(), timeout=10000)
    assert f"with {COLLEAGUES} attendees?\n\nLeft out (no Zoom account): Priya Sharma" in asked[0]
    assert "Left out (no Zoom account): Priya Sharma" in window.message_bar.message()
    assert len(channel_of(zoom, TITLE)["members"]) == COLLEAGUES + 1
    assert not window.message_bar.is_error
    qtbot.waitUntil(lambda: view.loading == 0, timeout=10000)
    screenshot(window, "participant_chat_result")


def test_without_the_plugin_the_calendar_and_its_menu_are_unaffected(make_host, open_calendar) -> None:
    host = make_host(testmail_plugin, calendar_view_plugin)
    window = open_calendar(host)
    view = window.main_views["calendar"]
    event = next(e for e in view.events if e.id == EVENT_ID)
    texts = menu_texts(view, event)
    assert "Open" in texts and ACTION_TITLE not in texts
    assert not window.message_bar.is_error

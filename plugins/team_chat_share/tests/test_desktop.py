"""The action in the desktop app: real widgets offscreen, the mail view's toolbar and context menu, the
shell's picker and preview dialogs, the Zoom and TestMail emulators over loopback. Screenshots of the
picker and the preview over the window go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mail_view.plugin as mail_view_plugin
import pytest
from share_support import ANA, DISTRIBUTION, SHARED_SUBJECT, screenshot
from testprovider import plugin as testmail_plugin

from host.secrets import MemorySecretStore
from host.ui.qt import QApplication, QPainter, QPoint, Qt, QTimer
from team_chat_share.plugin import EML_OPTION, TeamChatSharePlugin

TITLE = "Share to Team Chat"


def open_mail(qtbot, open_main_window: Callable[..., Any], host, secrets: MemorySecretStore) -> Any:
    """The main window (zoom_workplace.testing) with the inbox synced and listed."""
    window = open_main_window(host, secrets, size=(1400, 860))
    mail = window.main_views["mail"]
    qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0, timeout=20000)
    return window


def select_shared(qtbot, mail) -> None:
    row = next(r for r in range(mail.model.rowCount()) if mail.model.row_at(r).subject == SHARED_SUBJECT)
    mail.table.selectRow(row)
    qtbot.waitUntil(lambda: mail.reader.message is not None and mail.reader.message.subject == SHARED_SUBJECT)


def over_window(window, dialog) -> Any:
    """The window's picture with the dialog drawn where it stands: what the user sees."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.grab())
    painter.end()
    return picture


class DialogDriver:
    """Answers the modal dialogs from a timer (their exec() runs its own event loop): ``steps`` are
    functions of the open dialog that return True when they are done with it."""

    def __init__(self, steps: list[Callable[[Any], bool]]) -> None:
        self.steps = steps
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not self.steps:
            return
        if self.steps[0](dialog):
            self.steps.pop(0)
        if not self.steps:
            self.timer.stop()


@pytest.fixture
def desktop_host(make_host, share_plugin: TeamChatSharePlugin):
    return make_host(testmail_plugin, mail_view_plugin, (DISTRIBUTION, share_plugin))


def test_sharing_from_the_mail_view_through_the_picker_and_the_preview(
    qtbot, desktop_host, secrets, zoom_signed_in, zoom, testmail, open_main_window
) -> None:
    from host.ui.action_dialogs import PickDialog, PreviewDialog

    window = open_mail(qtbot, open_main_window, desktop_host, secrets)
    mail = window.main_views["mail"]
    (share,) = [a for a in mail.toolbar.actions() if a.text() == TITLE]
    assert not share.isEnabled(), "nothing to share before a message is open"
    select_shared(qtbot, mail)
    assert share.isEnabled()
    seen: dict[str, Any] = {}

    def search_ana(dialog: Any) -> bool:
        assert isinstance(dialog, PickDialog)
        labels = [dialog.results.item(i).text() for i in range(dialog.results.count())]
        if "opening" not in seen:
            if labels:  # the opening search (the user's channels) has come back: type a name
                seen["opening"] = labels
                screenshot(over_window(window, dialog), "pick_opening")
                qtbot.keyClicks(dialog.field, "ana")
            return False
        if not any(ANA in label for label in labels):
            return False
        seen["found"] = labels
        screenshot(over_window(window, dialog), "pick_contact")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
        return True

    def tick_eml_and_send(dialog: Any) -> bool:
        assert isinstance(dialog, PreviewDialog)
        (box,) = dialog.boxes
        assert box.text() == EML_OPTION and not box.isChecked(), "the .eml goes only when asked for"
        seen["preview"] = dialog.text.toPlainText()
        box.setChecked(True)
        screenshot(over_window(window, dialog), "preview")
        (send,) = [b for b in dialog.buttons.buttons() if b.text() == "Send"]
        send.click()
        return True

    driver = DialogDriver([search_ana, tick_eml_and_send])
    share.trigger()
    qtbot.waitUntil(lambda: len(zoom.state.chat_files) == 1 and "Shared" in window.message_bar.message(), timeout=20000)
    assert driver.steps == []

    assert seen["opening"] == ["Product\nTeam Chat public channel"]
    assert seen["found"] == [f"Ana Müller <{ANA}>\nContact · Away · Product"]
    assert seen["preview"].startswith(f"To: Ana Müller <{ANA}> (Contact · Away · Product)\n\nEmail: {SHARED_SUBJECT}")
    text, attached = zoom.state.chat_messages
    assert text["to_contact"] == ANA and attached["reply_main_message_id"] == text["id"]
    (stored,) = zoom.state.chat_files.values()
    message = mail.reader.message
    assert stored["data"] == testmail.state.raw(message.id)
    assert window.message_bar.message().startswith(f"Shared “{SHARED_SUBJECT}” with Ana Müller in Team Chat, with")
    screenshot(window.grab(), "shared")


def test_the_context_menu_offers_the_action_beside_the_mail_views_own(
    qtbot, desktop_host, secrets, zoom_signed_in, open_main_window, monkeypatch
) -> None:
    from host.ui.qt import QMenu

    window = open_mail(qtbot, open_main_window, desktop_host, secrets)
    mail = window.main_views["mail"]
    select_shared(qtbot, mail)
    shown: list[list[str]] = []
    monkeypatch.setattr(QMenu, "exec", lambda menu, *args: shown.append([a.text() for a in menu.actions()]))

    mail._context_menu(QPoint(10, 10))

    (items,) = shown
    assert items[-1] == TITLE and "Reply" in items and items[-2] == "", "after a separator, at the end"
    screenshot(window.grab(), "toolbar")


def test_without_the_plugin_the_mail_view_has_no_such_action_and_works(
    qtbot, make_host, secrets, open_main_window
) -> None:
    host = make_host(testmail_plugin, mail_view_plugin)
    window = open_mail(qtbot, open_main_window, host, secrets)
    mail = window.main_views["mail"]
    select_shared(qtbot, mail)

    assert TITLE not in [a.text() for a in mail.toolbar.actions()]
    assert mail.actions_by_name["reply"].isEnabled() and mail.reader.message.subject == SHARED_SUBJECT


def test_not_signed_in_to_zoom_the_window_says_how_to_sign_in(qtbot, desktop_host, secrets, open_main_window) -> None:
    window = open_mail(qtbot, open_main_window, desktop_host, secrets)
    mail = window.main_views["mail"]
    select_shared(qtbot, mail)
    (share,) = [a for a in mail.toolbar.actions() if a.text() == TITLE]

    share.trigger()

    qtbot.waitUntil(lambda: window.message_bar.is_error, timeout=10000)
    assert "Nobody is signed in to Zoom." in window.message_bar.message()
    assert "Sign in on the Zoom page of File → Settings…" in window.message_bar.message()
    assert QApplication.activeModalWidget() is None, "no dialog opens before there is a Zoom client"
    screenshot(window.grab(), "not_signed_in")

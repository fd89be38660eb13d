"""The shell: Qt stays out of the core, the task runner, the message bar, settings, sign-out, layout memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from testprovider import names
from ui_support import HOSTILE_SUBJECT, screenshot, select_subject

from host.errors import ZoomclientError
from host.model.mail import AutoReplyMode
from host.ui.qt import QMessageBox, QSettings


def test_the_core_never_loads_qt() -> None:
    core = [
        "host.app",
        "host.accounts",
        "host.store",
        "host.sync",
        "host.mime",
        "host.html",
        "host.calendar",
        "host.cli.main",
        "host.default_plugins",
        "host.default_plugins.demo_command",
        "mail_view.plugin",
    ]
    code = f"import sys; import {', '.join(core)}; print(sorted(m for m in sys.modules if m.startswith('PyQt')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_qt_import_of_the_shell_and_the_mail_view_goes_through_host_ui_qt() -> None:
    root = Path(__file__).parents[2]
    sources = [*root.joinpath("host/ui").glob("*.py"), *root.joinpath("plugins/mail_view/mail_view").glob("*.py")]
    offenders = [
        str(path.relative_to(root))
        for path in sources
        if path.name != "qt.py" and ("from PyQt6" in path.read_text() or "import PyQt6" in path.read_text())
    ]
    assert sources and offenders == []


def test_the_mail_view_uses_only_the_shells_public_api() -> None:
    root = Path(__file__).parents[2] / "plugins/mail_view/mail_view"
    allowed = {"host.ui.qt", "host.ui.context"}
    used = set()
    for path in root.glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) > 1 and words[0] in ("from", "import") and words[1].startswith("host.ui"):
                used.add(words[1])
    assert used <= allowed and "host.ui.qt" in used


def test_a_failing_task_shows_what_happened_and_what_to_do(qtbot, window) -> None:
    async def fail() -> None:
        raise ZoomclientError("The server refused the change.", hint="Try again in a minute.")

    window.tasks.run(fail())

    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible())
    assert bar.is_error
    assert bar.message() == "The server refused the change.\nTry again in a minute."


def test_task_results_come_back_on_the_gui_thread(qtbot, window) -> None:
    import threading

    seen = []

    async def where() -> str:
        return threading.current_thread().name

    window.tasks.run(where(), lambda name: seen.append((name, threading.current_thread() is threading.main_thread())))

    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("zoomclient-core", True)]


def test_a_closed_settings_dialog_is_deleted_with_its_pages(qtbot, window) -> None:
    from host.ui.qt import QCoreApplication, QEvent
    from host.ui.settings import SettingsDialog
    from host.ui.testing import in_dialog

    for _ in range(2):
        in_dialog(SettingsDialog, lambda dialog: dialog.reject())
        window.open_settings()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(SettingsDialog) == []


def test_the_settings_dialog_hosts_the_mail_views_pages(qtbot, window, emulator) -> None:
    from host.ui.settings import SettingsDialog

    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    assert [v.id for v in dialog.views] == ["mail.rules", "mail.auto-reply", "mail.signatures"]

    rules = dialog.page("mail.rules")
    rules.name.setText("Receipts")
    rules.from_contains.setText("shop@example.com")
    rules.action.setCurrentIndex(rules.action.findText("Mark as read"))
    rules.add_button.click()
    qtbot.waitUntil(lambda: any(r.name == "Receipts" for r in emulator.state.rules.values()), timeout=10000)
    qtbot.waitUntil(lambda: rules.list.count() == len(emulator.state.rules))
    screenshot(dialog, "settings-rules")
    rule = next(r for r in emulator.state.rules.values() if r.name == "Receipts")
    assert rule.conditions.from_contains == ("shop@example.com",) and rule.actions.mark_read

    auto = dialog.page("mail.auto-reply")
    auto.mode.setCurrentIndex(auto.mode.findData(AutoReplyMode.ALWAYS))
    auto.subject.setText("Away")
    auto.message.setPlainText("Back on Monday.")
    auto.save_button.click()
    qtbot.waitUntil(lambda: emulator.state.auto_reply.mode is AutoReplyMode.ALWAYS, timeout=10000)
    assert emulator.state.auto_reply.subject == "Away"
    screenshot(dialog, "settings-auto-reply")

    signatures = dialog.page("mail.signatures")
    qtbot.waitUntil(lambda: "Work" in signatures.note.text())  # the provider's own, listed
    signatures.name.setText("Short")
    signatures.text.setPlainText("— A.")
    signatures.save_button.click()
    qtbot.waitUntil(lambda: [s.name for s in window.session.store.signatures()] == ["Short"])
    qtbot.waitUntil(lambda: signatures.list.count() == 1)
    dialog.close()


def test_sign_out_says_what_is_wiped_and_leaves_nothing(qtbot, window, host, monkeypatch) -> None:
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    account = window.session.account

    window.ask_sign_out()

    assert account.email in asked[0]
    assert "mail database" in asked[0] and "token" in asked[0] and "stays on the server" in asked[0]
    qtbot.waitUntil(lambda: window.session is None and window.accounts.current() is None, timeout=10000)
    assert window.pages.currentWidget() is window.sign_in_page
    assert [f for f in host.data_dir.rglob("*") if f.is_file()] == []
    assert window.main_views["mail"].model.rowCount() == 0
    qtbot.waitUntil(lambda: f"Signed out of {account.email}" in window.message_bar.message())
    assert [b.text() for b in window.sign_in_page.buttons] == ["Sign in with TestMail (sandbox)"]
    screenshot(window, "signed-out")


def test_the_window_remembers_its_layout_and_nothing_else(qtbot, window, tmp_path) -> None:
    window.resize(900, 640)
    mail = window.main_views["mail"]
    mail.splitter.setSizes([150, 400, 350])
    mail._save_layout()

    window.close()

    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    assert sorted(settings.allKeys()) == ["views/mail/splitter", "window/geometry", "window/state"]
    text = (tmp_path / "layout.ini").read_bytes()
    assert b"@example" not in text and b"invoice" not in text.lower()


@pytest.mark.parametrize("wanted", [None, names.ACCOUNT_TYPE])
def test_the_demo_picks_an_account_type_with_an_emulator_and_mail(host, wanted) -> None:
    from host.ui.demo import demo_account_type

    assert demo_account_type(host, wanted) == names.ACCOUNT_TYPE


def test_the_demo_refuses_an_account_type_it_cannot_emulate(host) -> None:
    from host.errors import UsageError
    from host.ui.demo import demo_account_type

    with pytest.raises(UsageError, match="emulator") as raised:
        demo_account_type(host, "nonesuch")
    assert names.ACCOUNT_TYPE in raised.value.hint


def test_a_change_the_server_refuses_is_a_non_modal_error_saying_what_to_do(qtbot, window, emulator) -> None:
    from host.ui.settings import SettingsDialog

    emulator.faults.queue_status(403, count=10, path="/rules", method="POST")
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    rules = dialog.page("mail.rules")
    rules.name.setText("Receipts")
    rules.from_contains.setText("shop@example.com")

    rules.add_button.click()

    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.is_error, timeout=10000)
    what, _, todo = bar.message().partition("\n")
    assert what and todo, "both what happened and what to do are shown"
    assert "refused" in what and "Try again" in todo
    assert not emulator.state.rules
    dialog.close()


def test_every_control_a_keyboard_can_reach_has_a_name(qtbot, window, mail) -> None:
    from host.ui.qt import QAbstractButton, QLineEdit, Qt, QWidget

    composer = window.compose(None)
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    nameless = []
    for top in (window, composer):
        for widget in top.findChildren(QWidget):
            if not widget.isVisibleTo(top) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if widget.parent() is not None and widget.parent().inherits("QAbstractScrollArea"):
                continue  # a scroll area's viewport speaks for its area
            text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
            if isinstance(widget, QLineEdit):
                text = ""  # a field's content is not its name
            if not (widget.accessibleName() or text):
                nameless.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parent()).__name__}")
    assert nameless == []


def test_the_sign_in_button_signs_in_again_after_sign_out(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.ask_sign_out()
    qtbot.waitUntil(lambda: window.sign_in_page.buttons and window.sign_in_page.buttons[0].isEnabled(), timeout=10000)

    window.sign_in_page.buttons[0].click()

    mail = window.main_views["mail"]
    qtbot.waitUntil(lambda: window.session is not None and mail.model.rowCount() > 0, timeout=20000)
    assert window.pages.currentWidget() is window.views


def test_closing_the_window_cancels_running_tasks_and_calls_nobody_back(qtbot, window) -> None:
    import asyncio

    called = []
    running = window.tasks.pending  # the sync engine's loop runs as a task too
    future = window.tasks.run(asyncio.sleep(30), called.append, called.append)
    assert window.tasks.pending == running + 1

    window.close()

    qtbot.waitUntil(future.done)
    assert future.cancelled()
    qtbot.wait(50)
    assert called == [] and window.tasks.pending == 0

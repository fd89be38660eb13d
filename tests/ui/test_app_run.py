"""``zoomclient app``'s run: the host starts before the window (plugins hear ``host_started``, which the
Zoom meetings plugin needs) and stops when the window closes. Real window, offscreen."""

from __future__ import annotations

from host.hookspecs import hookimpl
from host.secrets import MemorySecretStore


def test_run_starts_the_host_and_stops_it_when_the_window_closes(qapp, make_host, tmp_path) -> None:
    from host.ui.app import run
    from host.ui.qt import QApplication, QSettings, QTimer

    heard: list[str] = []

    class Lifecycle:
        @hookimpl
        def host_started(self, host) -> None:
            heard.append("started")

        @hookimpl
        def host_stopping(self, host) -> None:
            heard.append("stopping")

    host = make_host(("fixture-lifecycle", Lifecycle()), start=False)
    QTimer.singleShot(300, QApplication.closeAllWindows)
    layout = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    status = run(host, MemorySecretStore(), settings=layout)

    assert status == 0
    assert heard == ["started", "stopping"] and not host.started


def test_reopening_the_account_keeps_an_open_composers_draft(qtbot, window, mail) -> None:
    """What an administrator turned off since goes off when the shell reopens the account
    (``context.reopen_account()``); a message being written is kept as a draft, as at exit."""
    composer = window.compose()
    qtbot.waitExposed(composer)
    composer.subject.setText("Half a thought")
    composer.body.setPlainText("to be finished after the reopen")
    first = window.session

    window.context.reopen_account()

    qtbot.waitUntil(lambda: window.session is not None and window.session is not first, timeout=20000)
    assert not window.composers
    assert [d.message.subject for d in window.session.store.drafts()] == ["Half a thought"]
    qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0, timeout=20000)

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

"""`zoomclient demo` end to end on the TestMail emulator: signed in unattended, nothing real touched."""

from __future__ import annotations

import time
from pathlib import Path

import keyring

from host.ui.demo import run_demo
from host.ui.qt import QApplication, QTimer
from host.ui.window import MainWindow


def test_the_demo_opens_a_full_mailbox_and_leaves_nothing_behind(qtbot, host, monkeypatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the demo touched the keyring")

    monkeypatch.setattr(keyring, "set_password", refuse)
    monkeypatch.setattr(keyring, "get_password", refuse)
    seen: dict[str, object] = {}
    deadline = time.monotonic() + 30

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                mail = widget.main_views["mail"]
                done = widget.sync_label.text() == "Up to date" and mail.model.rowCount() > 0
                if done or time.monotonic() > deadline:
                    seen.update(
                        rows=mail.model.rowCount(),
                        account=widget.session.account if widget.session else None,
                        data_dir=Path(host.data_dir),
                        files=[p for p in Path(host.data_dir).rglob("*") if p.is_file()],
                    )
                    widget.close()
                    return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    status = run_demo(host, messages=30, events=5)

    assert status == 0
    assert seen["rows"] > 0
    assert seen["account"].sandbox_url is not None
    assert seen["files"], "the demo's mailbox lived in its temporary data dir"
    assert not seen["data_dir"].exists(), "and that dir is gone"

"""``zoomclient demo`` on Zoom Mail with the Zoom platform plugin: one unattended sign-in to the Zoom Mail
emulator is the Zoom sign-in too (the status bar says so once the policy is read), and the Zoom emulator
is handed to the window for a Zoom sign-in of its own (what a Gmail user's Zoom page signs in to)."""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import mail_view.plugin as mail_view_plugin

from host.ui.demo import run_demo
from provider_zoommail import plugin as zoommail_plugin
from zoom_workplace import plugin as zoom_workplace_plugin


def test_the_zoom_mail_demo_is_signed_in_to_zoom_once(qtbot, make_host) -> None:
    from host.ui.qt import QApplication, QTimer
    from host.ui.window import MainWindow
    from zoom_workplace.status_widget import ZoomStatus

    host = make_host(zoommail_plugin, zoom_workplace_plugin, mail_view_plugin, start=False)
    seen: dict[str, object] = {}
    deadline = time.monotonic() + 30

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                status = widget.findChild(ZoomStatus)
                read = "Zoom Mail sign-in" in status.text() and "Read from" in status.toolTip()
                # Closed once the sync is idle too: a sync cut off mid-request leaves its sockets to warn later.
                if (read and widget.sync_label.text() == "Up to date") or time.monotonic() > deadline:
                    seen.update(status=status.text(), zoom_url=widget.sign_in_target("zoom")[1])
                    seen["zoommail_url"] = widget.session.account.sandbox_url if widget.session else None
                    widget.close()
                    return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    assert run_demo(host, messages=10, events=5, account_type="zoommail") == 0

    assert seen["status"] == "Zoom: Alex Morgan (your Zoom Mail sign-in)"
    assert seen["zoom_url"] and seen["zoom_url"].startswith("http://127.0.0.1:")
    assert seen["zoom_url"] != seen["zoommail_url"], "the platform's own emulator, for a Zoom sign-in of its own"

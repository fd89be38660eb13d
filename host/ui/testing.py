"""Helpers for desktop tests of the host and its plugins (real widgets, offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.ui.qt import QApplication, QTimer


def in_dialog(kind: type, act: Callable[[Any], None]) -> None:
    """Run ``act(dialog)`` once the modal dialog of ``kind`` is up. The dialog's ``exec()`` runs its own
    event loop, so a test calls this before the click that opens it and answers it from a timer."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)

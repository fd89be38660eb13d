"""Opening a URL with the system's handler (the phone app for ``tel:``) from the core's loop: Qt's
QDesktopServices must be called on the GUI thread, so the call crosses over through a queued signal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from host.ui.qt import QApplication, QDesktopServices, QObject, QUrl, pyqtSignal


class DesktopOpener(QObject):
    """``await opener.open(url)`` on any asyncio loop: True when a handler took the URL."""

    _asked = pyqtSignal(str, object)

    def __init__(self) -> None:
        super().__init__()
        app = QApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())  # made on the loop thread, it answers on the GUI thread
        self._asked.connect(self._open)

    async def open(self, url: str) -> bool:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bool] = loop.create_future()
        self._asked.emit(url, lambda ok: loop.call_soon_threadsafe(_settle, answer, ok))
        return await answer

    def _open(self, url: str, reply: Callable[[bool], None]) -> None:
        reply(QDesktopServices.openUrl(QUrl(url)))


def _settle(answer: asyncio.Future[bool], ok: bool) -> None:
    if not answer.done():
        answer.set_result(ok)

"""ActionUI for the desktop: an action on the core's loop asks the user through Qt dialogs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from host.actions import Choice, Search
from host.ui.action_dialogs import PickDialog, PreviewDialog
from host.ui.context import MessageSink
from host.ui.qt import QDialog, QInputDialog, QMessageBox, QObject, QWidget, pyqtSignal


class _Bridge(QObject):
    """Lives on the GUI thread; the loop thread asks it to run a dialog there."""

    ask = pyqtSignal(object)

    def __init__(self) -> None:
        super().__init__()
        # A bound method of a QObject: Qt queues the call into this object's (the GUI) thread.
        self.ask.connect(self._call)

    def _call(self, call: Callable[[], None]) -> None:
        call()


class QtActionUI:
    """Implements :class:`host.actions.ActionUI`. Its questions are awaited on the core's
    loop; the dialog runs on the GUI thread and its answer comes back through the loop's future."""

    def __init__(self, parent: QWidget | None, messages: MessageSink) -> None:
        self.parent = parent
        self.messages = messages
        self._bridge = _Bridge()

    async def _on_gui(self, dialog: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()

        def call() -> None:
            try:
                value = dialog()
            except Exception as error:
                loop.call_soon_threadsafe(_settle, answer, None, error)
            else:
                loop.call_soon_threadsafe(_settle, answer, value, None)

        self._bridge.ask.emit(call)
        return await answer

    async def choose(self, title: str, options: Sequence[str]) -> int | None:
        def dialog() -> int | None:
            item, ok = QInputDialog.getItem(self.parent, title, title, list(options), 0, False)
            return list(options).index(item) if ok and item in options else None

        return await self._on_gui(dialog)

    async def confirm(self, text: str) -> bool:
        def dialog() -> bool:
            buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
            return QMessageBox.question(self.parent, "Please confirm", text, buttons) == QMessageBox.StandardButton.Yes

        return bool(await self._on_gui(dialog))

    async def ask_text(self, title: str, label: str, *, text: str = "", multiline: bool = False) -> str | None:
        def dialog() -> str | None:
            if multiline:
                answer, ok = QInputDialog.getMultiLineText(self.parent, title, label, text)
            else:
                answer, ok = QInputDialog.getText(self.parent, title, label, text=text)
            return answer if ok else None

        return await self._on_gui(dialog)

    async def pick(self, title: str, search: Search, *, prompt: str = "Search") -> Choice | None:
        loop = asyncio.get_running_loop()

        def dialog() -> Choice | None:
            picker = PickDialog(self.parent, title, search, loop, prompt)
            return picker.picked if picker.exec() == QDialog.DialogCode.Accepted else None

        return await self._on_gui(dialog)

    async def preview(
        self, title: str, text: str, *, options: Sequence[str] = (), accept: str = "OK"
    ) -> frozenset[str] | None:
        def dialog() -> frozenset[str] | None:
            shown = PreviewDialog(self.parent, title, text, options, accept)
            return shown.ticked() if shown.exec() == QDialog.DialogCode.Accepted else None

        return await self._on_gui(dialog)

    def notify(self, text: str) -> None:
        self._bridge.ask.emit(lambda: self.messages.show_info(text))


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)

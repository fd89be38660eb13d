"""The dialogs behind :class:`host.ui.actionui.QtActionUI`'s ``pick`` and ``preview``.

Both run modally on the GUI thread while the action that asked waits on the core's loop; the picker's
searches go back to that loop, so a slow search never freezes the dialog.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future
from typing import Any

from host.actions import Choice, Search
from host.ui.context import describe_error
from host.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QPlainTextEdit,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)

#: How long typing must pause before the picker searches: one request a word, not one a key.
SEARCH_DELAY_MS = 250


class _Results(QObject):
    """Carries a finished search from the loop thread to the GUI thread."""

    arrived = pyqtSignal(int, object, object)


class PickDialog(QDialog):
    """A search field over a list of choices; Enter or a double click picks the selected one."""

    def __init__(
        self, parent: QWidget | None, title: str, search: Search, loop: asyncio.AbstractEventLoop, prompt: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._search = search
        self._loop = loop
        self._generation = 0
        self._pending: Future[Sequence[Choice]] | None = None
        self.picked: Choice | None = None

        self.field = QLineEdit(self)
        self.field.setPlaceholderText(prompt)
        self.field.setAccessibleName(prompt)
        self.results = QListWidget(self)
        self.results.setAccessibleName(f"{title}: results")
        self.status = QLabel("Searching…", self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._start_search)
        self._carrier = _Results(self)
        self._carrier.arrived.connect(self._show_results)
        self.field.textChanged.connect(lambda _: self._timer.start())
        self.field.returnPressed.connect(self._accept_current)
        self.results.itemDoubleClicked.connect(lambda _: self._accept_current())
        self.results.currentRowChanged.connect(
            lambda row: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(row >= 0)
        )
        self.buttons.accepted.connect(self._accept_current)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(lambda _: self._cancel_pending())
        self._start_search()

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _start_search(self) -> None:
        self._cancel_pending()
        self._generation += 1
        generation = self._generation
        self.status.setText("Searching…")
        future = asyncio.run_coroutine_threadsafe(self._run_search(self.field.text().strip()), self._loop)
        self._pending = future

        def done(finished: Future[Sequence[Choice]]) -> None:
            try:
                value: Any = finished.result()
                error: BaseException | None = None
            except CancelledError:
                return
            except Exception as raised:
                value, error = None, raised
            # RuntimeError: the dialog is gone; nobody is left to show the answer to.
            with contextlib.suppress(RuntimeError):
                self._carrier.arrived.emit(generation, value, error)

        future.add_done_callback(done)

    async def _run_search(self, text: str) -> Sequence[Choice]:
        return list(await self._search(text))

    def _show_results(self, generation: int, choices: Sequence[Choice] | None, error: BaseException | None) -> None:
        if generation != self._generation:
            return  # the user typed on: an older answer
        self._pending = None
        self.results.clear()
        if error is not None:
            what, todo = describe_error(error)
            self.status.setText(f"{what} {todo}")
            return
        for choice in choices or ():
            item = QListWidgetItem(f"{choice.label}\n{choice.detail}" if choice.detail else choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setToolTip(choice.detail or choice.label)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
            self.status.setText(f"{self.results.count()} found.")
        else:
            self.status.setText("Nothing found. Try other words.")

    def _accept_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.picked = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


class PreviewDialog(QDialog):
    """What is about to happen, read-only, with the action's check boxes and its accept button."""

    def __init__(self, parent: QWidget | None, title: str, text: str, options: Sequence[str], accept: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(460, 320)
        self.text = QPlainTextEdit(self)
        self.text.setPlainText(text)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(f"{title}: preview")
        self.boxes = [QCheckBox(option, self) for option in options]
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        for box in self.boxes:
            layout.addWidget(box)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def ticked(self) -> frozenset[str]:
        return frozenset(box.text() for box in self.boxes if box.isChecked())

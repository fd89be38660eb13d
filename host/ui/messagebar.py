"""The window's non-modal message bar: what happened, what to do, and an optional button (Undo)."""

from __future__ import annotations

from collections.abc import Callable

from host.ui.context import MessageSink, describe_error
from host.ui.qt import QFrame, QHBoxLayout, QLabel, QPalette, QPushButton, Qt, QTimer, QWidget


class MessageBar(QFrame, MessageSink):
    """One message at a time; an info message hides itself after a while, an error stays until closed."""

    INFO_SECONDS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Message bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Message")
        layout.addWidget(self.text, 1)
        self.action_button = QPushButton()
        self.action_button.hide()
        layout.addWidget(self.action_button)
        close = QPushButton("Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.is_error = False
        self.hide()

    def show_error(self, error: BaseException | str, *, hint: str | None = None) -> None:
        what, todo = describe_error(error, hint)
        self._show(f"<b>{_escape(what)}</b>" + (f"<br>{_escape(todo)}" if todo else ""), error=True, action=None)

    def show_info(self, text: str, *, action: tuple[str, Callable[[], None]] | None = None) -> None:
        self._show(_escape(text), error=False, action=action)

    def _show(self, html: str, *, error: bool, action: tuple[str, Callable[[], None]] | None) -> None:
        self.is_error = error
        self.text.setText(html)
        palette = self.palette()
        role = QPalette.ColorRole.Window
        # The system palette's own colours: an error stands out without fighting a dark theme.
        base = self.window().palette() if self.window() is not None else palette
        colour = base.color(QPalette.ColorRole.Highlight if error else QPalette.ColorRole.AlternateBase)
        if error:
            colour.setAlpha(90)
        palette.setColor(role, colour)
        self.setPalette(palette)
        self._action = action[1] if action else None
        self.action_button.setVisible(action is not None)
        if action:
            self.action_button.setText(action[0])
            self.action_button.setAccessibleName(action[0])
        self.show()
        if error:
            self._timer.stop()
        else:
            self._timer.start(self.INFO_SECONDS * 1000)

    def _run_action(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()

    def message(self) -> str:
        """The text shown, without markup (for tests and screen readers)."""
        from host.ui.qt import QTextDocument

        document = QTextDocument()
        document.setHtml(self.text.text())
        return document.toPlainText()


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace("\n", "<br>")

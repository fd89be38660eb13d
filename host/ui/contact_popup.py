"""The card the shell pops up for a person a view shows (:meth:`host.ui.context.ViewContext.show_contact`).

The card holds every view of :attr:`~host.views.ViewArea.CONTACT` (each widget's ``show_item(contact)`` is
called), or, with none installed, a plain card with the name and address. Below them are the shell's own
"Write email" and "Copy address" and a button for each :attr:`~host.actions.ActionPlace.CONTACT` action.

Opened by a click or a key the card is a ``Qt.Popup``: it has the keyboard (Tab between its buttons, Esc
closes it) and a click outside closes it. Opened by hovering it takes nothing from the user: it shows
after :data:`HOVER_DELAY_MS` if the pointer is still on the person, stays while the pointer is on the
person or on the card, and closes soon after the pointer has left both; a click on it pins it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from host.actions import Action, ActionPlace
from host.model.mail import Address, OutgoingMessage
from host.ui.qt import (
    QApplication,
    QCloseEvent,
    QCursor,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLayout,
    QMouseEvent,
    QObject,
    QPoint,
    QPushButton,
    QRect,
    QResizeEvent,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from host.views import ViewArea

if TYPE_CHECKING:
    from host.model.contact import Contact
    from host.ui.context import ViewContext

#: How long the pointer rests on a person before the card shows.
HOVER_DELAY_MS = 500
#: How often a hover card checks where the pointer is, and how long it may be off person and card.
POLL_MS = 100
LEAVE_GRACE_MS = 300


class ContactPopup(QFrame):
    """One person's card; see the module docstring. ``pinned`` cards stay until closed."""

    closed = pyqtSignal()

    def __init__(
        self, context: ViewContext, contact: Contact, anchor: QWidget, *, pinned: bool, at: QPoint | None = None
    ) -> None:
        # A hover card is a tool-tip window: it is never activated, so hovering never takes the keyboard.
        kind = Qt.WindowType.Popup if pinned else Qt.WindowType.ToolTip
        super().__init__(anchor.window(), kind | Qt.WindowType.FramelessWindowHint)
        self.context = context
        self.contact = contact
        self.anchor = anchor
        self.pinned = pinned
        self.at = at
        #: the pointer left the person (``end_contact_hover``): only the card itself keeps it open now
        self.released = False
        self._away_ms = 0
        self._below: QRect | None = None  # the person's place on the screen, once shown
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not pinned)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName(f"Contact card: {contact.name or contact.email}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # the card follows what its views show

        views = context.views(ViewArea.CONTACT)
        self.views = [context.create_view(view) for view in views]
        for widget in self.views or [_plain_card(contact)]:
            layout.addWidget(widget)
        context.show_item(self.views, contact)

        row = QHBoxLayout()
        row.setContentsMargins(0, 6, 0, 0)
        self.buttons: list[QPushButton] = []
        for action in self._actions():
            name = f"{action.title}: {contact.name or contact.email}"
            self._add_button(row, action.title, name, self._runner(action))
        self._add_button(row, "Write &email", "Write an email to " + contact.email, self._write)
        self._add_button(row, "&Copy address", "Copy the address " + contact.email, self._copy)
        row.addStretch(1)
        layout.addLayout(row)

        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check_pointer)
        if not pinned:
            self._poll.start()

    # -- the buttons ---------------------------------------------------------------------------

    def _add_button(self, row: QHBoxLayout, text: str, name: str, slot: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(True)  # Enter on a focused button presses it
        button.clicked.connect(lambda _=False: slot())
        row.addWidget(button)
        self.buttons.append(button)

    def _actions(self) -> list[Action]:
        found = []
        for action in self.context.actions(ActionPlace.CONTACT):
            try:
                if action.available(self.context.action_context(ActionPlace.CONTACT, contact=self.contact)):
                    found.append(action)
            except Exception as error:  # a broken check hides its action, and says so
                self.context.show_error(f"The action {action.title!r} could not check itself: {error}")
        return found

    def _runner(self, action: Action) -> Callable[[], None]:
        def run() -> None:
            parent = self.parentWidget()  # the anchor's window
            self.close()  # the action's own dialogs take over
            self.context.run_action(action, ActionPlace.CONTACT, parent=parent, contact=self.contact)

        return run

    def _write(self) -> None:
        self.close()
        self.context.compose(OutgoingMessage(to=(Address(self.contact.email, self.contact.name),), subject=""))

    def _copy(self) -> None:
        QApplication.clipboard().setText(str(Address(self.contact.email, self.contact.name)))
        self.context.show_info(f"Copied {self.contact.email}.")
        self.close()

    # -- placing and showing -------------------------------------------------------------------

    def open(self) -> None:
        """Show the card below ``at``, else below the pointer (when it is on the anchor), else below the anchor."""
        self.adjustSize()
        cursor = QCursor.pos()
        if self.at is not None:
            self._below = QRect(self.at, self.at)
        elif self.anchor.rect().contains(self.anchor.mapFromGlobal(cursor)):
            self._below = QRect(cursor - QPoint(8, 8), cursor + QPoint(8, 16))
        else:
            self._below = QRect(self.anchor.mapToGlobal(QPoint(0, 0)), self.anchor.size())
        self._place()
        self.show()
        if self.pinned:
            self._focus_first()

    def _focus_first(self) -> None:
        """The keyboard to the first button: a CONTACT view's own, else the row's."""
        found = [b for view in self.views for b in view.findChildren(QPushButton) if b.isEnabled()]
        self.activateWindow()
        (found or self.buttons)[0].setFocus(Qt.FocusReason.PopupFocusReason)

    def _place(self) -> None:
        """Under the person, kept on the screen: above the person when there is no room below."""
        if self._below is None:
            return
        screen = (self.anchor.screen() or QApplication.primaryScreen()).availableGeometry()
        # A window larger than its screen (or partly off it) still gets the card beside the person.
        screen = screen.united(self.anchor.window().geometry())
        size = self.size()
        x = min(max(self._below.left(), screen.left()), screen.right() - size.width())
        y = self._below.bottom() + 2
        if y + size.height() > screen.bottom():
            y = max(screen.top(), self._below.top() - size.height() - 2)
        self.move(x, y)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()  # a view filled in (the lookup answered): still on the screen

    # -- hovering and pinning ------------------------------------------------------------------

    def hovered_again(self) -> None:
        """The pointer is back on the person."""
        self.released = False
        self._away_ms = 0

    def pin(self) -> None:
        """A click on a hover card: it becomes the popup a click on the person opens, where it is."""
        self.pinned = True
        self._poll.stop()
        self.setWindowFlags(Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.show()  # changed flags hide a window
        self._focus_first()

    def _pointer_on(self, widget: QWidget) -> bool:
        return widget.isVisible() and widget.rect().contains(widget.mapFromGlobal(QCursor.pos()))

    def _check_pointer(self) -> None:
        try:
            on_person = not self.released and self._pointer_on(self.anchor)
        except RuntimeError:  # the anchor was deleted (its view went): only the card is left to point at
            on_person = False
        if on_person or self._pointer_on(self):
            self._away_ms = 0
            return
        self._away_ms += POLL_MS
        if self._away_ms >= LEAVE_GRACE_MS:
            self.close()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.pinned:
            self.pin()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._poll.stop()
        self.closed.emit()
        super().closeEvent(event)


class ContactCards(QObject):
    """The one card a window shows at a time, and the hover delay before it (the context holds one)."""

    def __init__(self, context: ViewContext) -> None:
        super().__init__(context.signals)  # goes with the window, and its hover delay with it
        self.context = context
        #: the card on screen, or None
        self.current: ContactPopup | None = None
        self._pending: tuple[Contact, QWidget, QPoint | None] | None = None
        self._delay = QTimer(self, singleShot=True, interval=HOVER_DELAY_MS)
        self._delay.timeout.connect(self._show_pending)
        # A card shows what the account's views showed: it goes with a sign-out (or another account).
        context.signals.account_changed.connect(lambda _: self.close())

    def show(self, contact: Contact, anchor: QWidget, *, hover: bool, at: QPoint | None = None) -> None:
        current = self.current
        if hover:
            if current is not None and current.contact == contact and current.anchor is anchor:
                current.hovered_again()
            elif current is None or not current.pinned:  # a card the user opened stays until closed
                self._pending = (contact, anchor, at)
                self._delay.start()
            return
        self.end_hover()
        self._open(contact, anchor, pinned=True, at=at)

    def end_hover(self) -> None:
        self._delay.stop()
        self._pending = None
        if self.current is not None and not self.current.pinned:
            self.current.released = True

    def close(self) -> None:
        """No card on screen, and none coming."""
        self.end_hover()
        if self.current is not None:
            self.current.close()

    def _show_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        contact, anchor, at = pending
        try:
            still_there = anchor.isVisible() and anchor.rect().contains(anchor.mapFromGlobal(QCursor.pos()))
        except RuntimeError:  # the anchor was deleted during the delay (its message or editor went)
            return
        if still_there:
            self._open(contact, anchor, pinned=False, at=at)

    def _open(self, contact: Contact, anchor: QWidget, *, pinned: bool, at: QPoint | None) -> None:
        if self.current is not None:
            self.current.close()
        card = ContactPopup(self.context, contact, anchor, pinned=pinned, at=at)
        card.closed.connect(lambda: self._closed(card))
        self.current = card
        card.open()

    def _closed(self, card: ContactPopup) -> None:
        if self.current is card:
            self.current = None


def _plain_card(contact: Contact) -> QWidget:
    """The card without any CONTACT view: who it is, and the address to copy."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(f"{contact.name}\n{contact.email}" if contact.name else contact.email)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName("Name and address")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label

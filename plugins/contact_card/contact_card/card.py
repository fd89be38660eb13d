"""The Zoom part of the shell's contact card (a ViewArea.CONTACT view): name, presence with a coloured dot,
job title, department, phone numbers and address, looked up through ``context.tasks`` so the card opens
at once and fills in when Zoom answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from host.errors import AuthError, UsageError
from host.model.contact import Contact, Presence
from host.ui.context import describe_error
from host.ui.qt import QFont, QGridLayout, QHBoxLayout, QLabel, QPalette, Qt, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from contact_card.directory import ZoomDirectory
    from host.ui.context import ViewContext

#: How each presence reads, and its dot's colour (Zoom's own: green, amber, red, grey).
PRESENCE = {
    Presence.AVAILABLE: ("Available", "#2da44e"),
    Presence.AWAY: ("Away", "#e3a008"),
    Presence.DO_NOT_DISTURB: ("Do not disturb", "#d1242f"),
    Presence.IN_MEETING: ("In a meeting", "#d1242f"),
    Presence.IN_CALL: ("On a call", "#d1242f"),
    Presence.OFFLINE: ("Offline", "#8c959f"),
    Presence.UNKNOWN: ("Presence unknown", "#8c959f"),
}
WIDTH = 300


def _label(name: str, *, selectable: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # names and titles come from other people: never markup
    label.setWordWrap(True)
    label.setAccessibleName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _fit(label: QLabel) -> None:
    """A wrapped label as tall as its text needs at the card's width (the card sizes itself by its parts)."""
    label.setMinimumHeight(label.heightForWidth(WIDTH) if label.text() else 0)


class ZoomCard(QWidget):
    """Shows one person; ``show_item(contact)`` (the shell calls it) starts the lookup."""

    def __init__(self, context: ViewContext, directory: ZoomDirectory) -> None:
        super().__init__()
        self.context = context
        self.directory = directory
        self.contact: Contact | None = None
        #: what Zoom said: the contact, or None when the address is not a Zoom contact
        self.found: Contact | None = None
        # The card may close before Zoom answers (the user pressed Chat): the answer then finds nobody.
        self._alive = alive = [True]
        self.destroyed.connect(lambda *_: alive.clear())
        self.setAccessibleName("Zoom contact card")
        self.setFixedWidth(WIDTH)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        top = QHBoxLayout()
        self.dot = _label("Presence")
        self.dot.setFixedWidth(self.fontMetrics().horizontalAdvance("●") + 4)
        self.name = _label("Name", selectable=True)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.name.setFont(font)
        top.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.name, 1)
        layout.addLayout(top)

        self.presence = _label("Presence")
        self.role = _label("Job title and department", selectable=True)
        self.state = _label("Zoom")
        dim = QPalette(self.palette())
        dim.setColor(QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText))
        self.state.setPalette(dim)
        for widget in (self.presence, self.role, self.state):
            layout.addWidget(widget)

        details = QGridLayout()
        details.setContentsMargins(0, 4, 0, 0)
        details.setHorizontalSpacing(8)
        self.phone = _label("Phone", selectable=True)
        self.email = _label("Email", selectable=True)
        self._rows = []
        for row, (caption, value) in enumerate((("Phone", self.phone), ("Email", self.email))):
            title = QLabel(caption)
            title.setPalette(dim)
            details.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            details.addWidget(value, row, 1)
            self._rows.append((title, value))
        details.setColumnStretch(1, 1)
        layout.addLayout(details)

    # -- showing -------------------------------------------------------------------------------

    def show_item(self, contact: Contact | None) -> None:
        self.contact, self.found = contact, None
        if contact is None:
            return
        self._show_person(contact)
        self._say(f"Looking {contact.name or contact.email} up in Zoom…")
        self.context.tasks.run(
            self.directory.lookup(contact.email),
            lambda found: self._answered(contact, found),
            lambda error: self._failed(contact, error),
        )

    def _show_person(self, contact: Contact) -> None:
        text, colour = PRESENCE[contact.presence]
        self.name.setText(contact.name or contact.email)
        _fit(self.name)
        self.dot.setText("●")
        self.dot.setStyleSheet(f"color: {colour}")
        self.dot.setAccessibleName(f"Presence: {text}")
        self.presence.setText(text)
        self.presence.setVisible(contact.presence is not Presence.UNKNOWN)
        self.role.setText(" · ".join(part for part in (contact.title, contact.department) if part))
        self.role.setVisible(bool(self.role.text()))
        _fit(self.role)
        self.phone.setText("\n".join(contact.phone_numbers))
        self.email.setText(contact.email)
        for title, value in self._rows:
            title.setVisible(bool(value.text()))
            value.setVisible(bool(value.text()))

    def _say(self, text: str) -> None:
        self.state.setText(text)
        self.state.setVisible(bool(text))
        _fit(self.state)

    def _answered(self, asked: Contact, found: Contact | None) -> None:
        if not self._alive or asked != self.contact:
            return  # the card closed, or moved on to someone else
        self.found = found
        if found is None:
            self._say("Not a Zoom contact: this address is not in your Zoom account's directory.")
            return
        self._show_person(found)
        self._say("")

    def _failed(self, asked: Contact, error: BaseException) -> None:
        if not self._alive or asked != self.contact:
            return
        what, todo = describe_error(error)
        if isinstance(error, UsageError | AuthError):  # nobody is signed in to Zoom, or Zoom refused the sign-in
            self._say(f"{what} {todo} Then this card shows {asked.name or asked.email}'s presence and details.")
        else:
            self._say(f"Zoom could not be asked: {what} {todo}")

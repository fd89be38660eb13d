"""The list of calendars beside the grid: grouped by kind, each with its colour and a checkbox."""

from __future__ import annotations

from collections.abc import Sequence

from host.model.calendar import Calendar, CalendarKind
from host.ui.qt import QColor, QIcon, QPixmap, Qt, QTreeWidget, QTreeWidgetItem, pyqtSignal

GROUPS = (
    (CalendarKind.OWN, "My calendars"),
    (CalendarKind.SHARED, "Shared with me"),
    (CalendarKind.RESOURCE, "Rooms and resources"),
    (CalendarKind.DELEGATED, "Calendars I manage"),
)
ID_ROLE = Qt.ItemDataRole.UserRole


def colour_of(calendar: Calendar) -> QColor:
    colour = QColor(calendar.color or "")
    return colour if colour.isValid() else QColor("#4285f4")


def swatch(colour: QColor, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(colour)
    return QIcon(pixmap)


class CalendarList(QTreeWidget):
    """Every calendar of the account; unchecking one hides its events (in this window only)."""

    #: the set of hidden calendar ids changed
    visibility_changed = pyqtSignal()

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setAccessibleName("Calendars")
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.hidden_ids: set[str] = set()
        self._filling = False
        self.itemChanged.connect(self._changed)

    def load(self, calendars: Sequence[Calendar]) -> None:
        self._filling = True
        self.clear()
        present = {c.id for c in calendars}
        self.hidden_ids &= present
        for kind, title in GROUPS:
            members = sorted((c for c in calendars if c.kind is kind), key=lambda c: (not c.primary, c.name.lower()))
            if not members:
                continue
            group = QTreeWidgetItem(self, [title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for calendar in members:
                item = QTreeWidgetItem(group, [calendar.name])
                item.setData(0, ID_ROLE, calendar.id)
                item.setIcon(0, swatch(colour_of(calendar)))
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                item.setFlags(flags)
                hidden = calendar.id in self.hidden_ids
                item.setCheckState(0, Qt.CheckState.Unchecked if hidden else Qt.CheckState.Checked)
                access = "you can edit" if calendar.writable else "read only"
                owner = f", {calendar.owner.email}" if calendar.owner and kind is not CalendarKind.OWN else ""
                item.setToolTip(0, f"{calendar.name} ({access}{owner})")
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{calendar.name}, {title}, {access}")
        self.expandAll()
        self._filling = False

    def item_for(self, calendar_id: str) -> QTreeWidgetItem | None:
        for group in range(self.topLevelItemCount()):
            parent = self.topLevelItem(group)
            for index in range(parent.childCount()):
                if parent.child(index).data(0, ID_ROLE) == calendar_id:
                    return parent.child(index)
        return None

    def set_shown(self, calendar_id: str, shown: bool) -> None:
        item = self.item_for(calendar_id)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        calendar_id = item.data(0, ID_ROLE)
        if self._filling or calendar_id is None:
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            self.hidden_ids.discard(calendar_id)
        else:
            self.hidden_ids.add(calendar_id)
        self.visibility_changed.emit()

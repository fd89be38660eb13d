"""The message list's model: keyset pages from the store, fetched only as the view scrolls to them.

Qt's ``canFetchMore``/``fetchMore`` protocol asks for the next page when the last loaded row comes
into view, so a folder of 100,000 messages opens with one page read; each page continues after the
``(date, id)`` of the previous page's last row, so a page costs the same wherever it is. The reads
run on the GUI thread: one page is one indexed range read of a few milliseconds (see
``benchmarks/ui_bench.py``), which is less than a trip through the core's loop would cost.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Sequence
from typing import Any

from host.model.mail import MessageSummary, Thread
from host.ui.qt import QAbstractTableModel, QApplication, QFont, QModelIndex, QObject, QPalette, QStyle, Qt, pyqtSignal

Row = MessageSummary | Thread
Before = tuple[dt.datetime, str] | None
Pager = Callable[[Before, int], Sequence[Row]]

PAGE_SIZE = 100
#: Sorting other than newest first reads the whole list; above this many rows it is refused.
SORT_LIMIT = 20_000


class Column(enum.IntEnum):
    FLAGS = 0
    FROM = 1
    SUBJECT = 2
    DATE = 3


HEADERS = {Column.FLAGS: "", Column.FROM: "From", Column.SUBJECT: "Subject", Column.DATE: "Date"}

#: A role that hands the view the row object itself (a MessageSummary or a Thread).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _key(row: Row) -> tuple[dt.datetime, str]:
    if isinstance(row, Thread):
        return row.last_date, row.id
    return row.date, row.id


class MessageListModel(QAbstractTableModel):
    sort_refused = pyqtSignal(str)

    """Rows are :class:`MessageSummary` (messages) or :class:`Thread` (conversations), newest first.

    ``set_source(pager)`` points the model at a folder, a search or a folder's threads; a pager is
    ``pager(before, limit)``, i.e. one of the store's ``list_messages``/``search``/``list_threads``.
    """

    def __init__(self, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.rows: list[Row] = []
        self._pager: Pager | None = None
        self._exhausted = True
        self._bold = QFont()
        self._bold.setBold(True)
        self._ids: dict[str, int] = {}
        self._sort: tuple[Column, Qt.SortOrder] | None = None  # None: the store's newest first
        self._attachment_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    # -- sources -------------------------------------------------------------------------------

    def set_source(self, pager: Pager | None) -> None:
        """Show what ``pager`` lists, from its first page; None empties the list."""
        self.beginResetModel()
        self._pager = pager
        self._sort = None
        self.rows = []
        self._ids = {}
        self._exhausted = pager is None
        self.endResetModel()
        if pager is not None:
            self.fetchMore(QModelIndex())

    def reload(self) -> None:
        """Read again as many rows as are loaded (after a sync or a change); the view keeps its place."""
        if self._pager is None:
            return
        wanted = max(len(self.rows), self.page_size)
        rows = self._sorted(list(self._pager(None, wanted)))
        if [_key(r) for r in rows] == [_key(r) for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(Column) - 1))
            return
        self._exhausted = len(rows) < wanted
        self._replace_rows(rows)

    def _replace_rows(self, rows: list[Row]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_rows, self.rows = self.rows, rows
        self._ids = {self._row_id(r): i for i, r in enumerate(rows)}
        # Persistent indexes (the selection, the current row) follow their message to its new row.
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            if index.row() < len(old_rows):
                new_row = self._ids.get(self._row_id(old_rows[index.row()]))
                moved_from.append(index)
                moved_to.append(self.index(new_row, index.column()) if new_row is not None else QModelIndex())
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    # -- sorting -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Newest first is the store's own order and pages lazily. Any other order needs every row, so
        it is offered up to :data:`SORT_LIMIT` rows (read page by page) and refused above that."""
        wanted = None if (column, order) == (Column.DATE, Qt.SortOrder.DescendingOrder) else (Column(column), order)
        if wanted == self._sort:
            return
        if wanted is not None and column == Column.FLAGS:
            return
        if wanted is not None:
            while not self._exhausted and len(self.rows) <= SORT_LIMIT:
                self.fetchMore(QModelIndex())
            if not self._exhausted:
                self.sort_refused.emit(
                    f"This list has more than {SORT_LIMIT:,} messages, too many to sort here; it stays newest first."
                )
                return
        self._sort = wanted
        if wanted is None:
            self._replace_rows(sorted(self.rows, key=_key, reverse=True))
        else:
            self._replace_rows(self._sorted(self.rows))

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if self._sort is None:
            return rows
        column, order = self._sort
        return sorted(rows, key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    # -- Qt's model protocol -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: QModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex) -> None:
        if parent.isValid() or self._exhausted or self._pager is None:
            return
        before = _key(self.rows[-1]) if self.rows else None
        page = list(self._pager(before, self.page_size))
        self._exhausted = len(page) < self.page_size
        # A row that moved up meanwhile can show up again on a later page: keep its first place.
        page = [row for row in page if self._row_id(row) not in self._ids]
        if not page:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for offset, row in enumerate(page):
            self._ids[self._row_id(row)] = first + offset
        self.rows.extend(page)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = Column(index.column())
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.FLAGS and _has_attachments(row):
            return self._attachment_icon
        if role == Qt.ItemDataRole.FontRole and _unread(row):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.SUBJECT and isinstance(row, MessageSummary):
            return row.snippet or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _accessible(row)
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.DATE:
            return QPalette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        return None

    # -- lookups -------------------------------------------------------------------------------

    @staticmethod
    def _row_id(row: Row) -> str:
        return row.id

    def row_of(self, row_id: str) -> int | None:
        return self._ids.get(row_id)

    def row_at(self, row: int) -> Row | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs)\s*:\s*)+", re.IGNORECASE)


def _sender_key(row: Row) -> str:
    first = (row.participants[0] if row.participants else None) if isinstance(row, Thread) else row.sender
    return (first.name or first.email).casefold() if first else ""


def _subject_key(row: Row) -> str:
    return _REPLY_PREFIX.sub("", row.subject or "").casefold()


_SORT_KEYS = {Column.FROM: _sender_key, Column.SUBJECT: _subject_key, Column.DATE: _key}


def _has_attachments(row: Row) -> bool:
    return isinstance(row, MessageSummary) and row.has_attachments


def _unread(row: Row) -> bool:
    return row.unread_count > 0 if isinstance(row, Thread) else row.unread


def _display(row: Row, column: Column) -> str:
    if isinstance(row, Thread):
        match column:
            case Column.FLAGS:
                return "●" if row.unread_count else ""
            case Column.FROM:
                names = [a.name.split()[0] if a.name else a.email for a in row.participants[:3]]
                return ", ".join(names)
            case Column.SUBJECT:
                count = len(row.message_ids)
                return f"{row.subject or '(no subject)'}" + (f"  ({count})" if count > 1 else "")
            case Column.DATE:
                return _when(row.last_date)
    match column:
        case Column.FLAGS:
            return ("★" if row.flagged else "") + ("●" if row.unread else "")
        case Column.FROM:
            if row.sender is None:
                return "(unknown sender)"
            return row.sender.name or row.sender.email
        case Column.SUBJECT:
            return row.subject or "(no subject)"
        case Column.DATE:
            return _when(row.date)
    return ""


def _accessible(row: Row) -> str:
    if isinstance(row, Thread):
        return f"Conversation {row.subject}, {len(row.message_ids)} messages, {row.unread_count} unread"
    sender = row.sender.name or row.sender.email if row.sender else "unknown sender"
    state = ", unread" if row.unread else ""
    state += ", starred" if row.flagged else ""
    state += ", with attachments" if row.has_attachments else ""
    return f"From {sender}, {row.subject}, {_when(row.date)}{state}"


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone()
    now = dt.datetime.now().astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d %b")
    return local.strftime("%d %b %Y")

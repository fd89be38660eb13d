"""The folder pane: the account, its folders and labels with unread counts."""

from __future__ import annotations

from host.model.mail import Folder, FolderKind
from host.store import MailStore
from host.ui.qt import QFont, Qt, QTreeWidget, QTreeWidgetItem

FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1

#: System folders first, in the order people look for them; labels after, as the server lists them.
_ORDER = [
    FolderKind.INBOX,
    FolderKind.STARRED,
    FolderKind.IMPORTANT,
    FolderKind.DRAFTS,
    FolderKind.OUTBOX,
    FolderKind.SENT,
    FolderKind.ARCHIVE,
    FolderKind.SPAM,
    FolderKind.TRASH,
]


class FolderTree(QTreeWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setAccessibleName("Folders and labels")
        self.setUniformRowHeights(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._folders: list[Folder] = []

    def load(self, store: MailStore | None) -> None:
        """Rebuild when the folder list changed, else update the counts; keeps the current folder."""
        folders = [f for f in store.folders() if not f.hidden] if store is not None else []
        if [(f.id, f.name, f.parent_id) for f in folders] != [(f.id, f.name, f.parent_id) for f in self._folders]:
            current = self.current_folder_id()
            self._folders = folders
            self._rebuild(folders)
            if current in self._items:
                self.setCurrentItem(self._items[current])
        if store is not None:
            for folder in folders:
                _, unread = store.count(folder.id)
                self._show_count(self._items[folder.id], folder, unread)

    def _rebuild(self, folders: list[Folder]) -> None:
        self.clear()
        self._items = {}

        def rank(folder: Folder) -> tuple[int, int]:
            kind_rank = _ORDER.index(folder.kind) if folder.kind in _ORDER else len(_ORDER)
            return (kind_rank, 0)

        for folder in sorted(folders, key=rank):  # sorted() is stable: labels keep the server's order
            item = QTreeWidgetItem([folder.name])
            item.setData(0, FOLDER_ROLE, folder.id)
            self._items[folder.id] = item
        for folder in sorted(folders, key=rank):
            item = self._items[folder.id]
            parent = self._items.get(folder.parent_id or "")
            if parent is not None:
                parent.addChild(item)
            else:
                self.addTopLevelItem(item)
        self.expandAll()

    def _show_count(self, item: QTreeWidgetItem, folder: Folder, unread: int) -> None:
        counts = folder.kind not in (FolderKind.SENT, FolderKind.TRASH, FolderKind.SPAM, FolderKind.DRAFTS)
        item.setText(0, f"{folder.name} ({unread:,})" if unread and counts else folder.name)
        font = QFont(self.font())
        font.setBold(bool(unread and counts))
        item.setFont(0, font)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{folder.name}, {unread} unread")

    def current_folder_id(self) -> str | None:
        item = self.currentItem()
        return item.data(0, FOLDER_ROLE) if item is not None else None

    def select(self, folder_id: str) -> None:
        if folder_id in self._items:
            self.setCurrentItem(self._items[folder_id])

    def folders(self) -> list[Folder]:
        return list(self._folders)

"""The settings dialog: a frame whose pages are the ViewArea.SETTINGS views plugins register."""

from __future__ import annotations

from typing import TYPE_CHECKING

from host.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from host.views import View, ViewArea

if TYPE_CHECKING:
    from host.ui.context import ViewContext


class SettingsDialog(QDialog):
    """Pages are built the first time they are shown: a page may read from the server when it opens."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(820, 560)
        self.views: list[View] = context.views(ViewArea.SETTINGS)
        self.pages: dict[str, QWidget] = {}
        self.list = QListWidget()
        self.list.setAccessibleName("Settings pages")
        self.list.setMaximumWidth(200)
        self.stack = QStackedWidget()
        for view in self.views:
            self.list.addItem(view.title)
            placeholder = QWidget()
            placeholder.setAccessibleName(view.title)
            self.stack.addWidget(placeholder)
        if not self.views:
            self.stack.addWidget(QLabel("No installed plugin has settings."))
        self.list.currentRowChanged.connect(self.show_page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        if self.views:
            self.list.setCurrentRow(0)

    def show_page(self, row: int) -> None:
        if not 0 <= row < len(self.views):
            return
        view = self.views[row]
        if view.id not in self.pages:
            page = self.context.create_view(view)
            page.setAccessibleName(view.title)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[view.id] = page
        self.stack.setCurrentIndex(row)

    def page(self, view_id: str) -> QWidget:
        """The page of ``view_id``, built if it was not shown yet."""
        row = next(i for i, v in enumerate(self.views) if v.id == view_id)
        self.list.setCurrentRow(row)
        self.show_page(row)
        return self.pages[view_id]

"""The mail view: folders, the message list, the reader, and what the user does to messages.

Built only from the shell's public API (:class:`host.ui.context.ViewContext`), like any plugin's view.
Local changes go through the sync engine (in the store at once, on the server soon) and come with an
undo in the message bar.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from host.actions import ActionPlace
from host.errors import ZoomclientError
from host.mime import forward, parse_message, reply_to
from host.model.mail import Draft, Folder, FolderKind, Message, MessageSummary, OutgoingAttachment, Thread
from host.sync import SyncPhase, SyncProgress
from host.ui.qt import (
    QAbstractItemView,
    QAction,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QModelIndex,
    QPoint,
    QShortcut,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from host.views import ViewArea
from mail_view.folders import FolderTree
from mail_view.listmodel import Column, MessageListModel, Row
from mail_view.reader import Reader

if TYPE_CHECKING:
    from host.accounts import AccountSession
    from host.store import MailStore
    from host.sync import SyncEngine
    from host.ui.context import ViewContext

SEARCH_DELAY_MS = 200
SEARCH_HELP = "Search: words, from: to: subject: has:attachment before: after: in: is:unread"


class MessageTable(QTableView):
    """The message list: fixed row height (so Qt never measures rows), whole-row multi-selection."""

    def __init__(self, model: MessageListModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setAccessibleName("Messages")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(Column.FLAGS, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
        # Newest first is the store's order; the header shows it and offers the others (see the model).
        columns.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.setSortingEnabled(True)
        self.setColumnWidth(Column.FLAGS, 52)
        self.setColumnWidth(Column.FROM, 140)
        self.setColumnWidth(Column.DATE, 92)


class MailView(QWidget):
    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        self.context = context
        self.setAccessibleName("Mail")
        self.folder_id: str | None = None
        self._message_actions: list[tuple[Any, QAction]] = []
        self._newest_inbox: dt.datetime | None = None
        self._open_task: Any = None

        self.account_label = QLabel()
        self.account_label.setAccessibleName("Account")
        self.folders = FolderTree()
        self.folders.currentItemChanged.connect(lambda *_: self._folder_chosen())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        left_layout.addWidget(self.account_label)
        left_layout.addWidget(self.folders, 1)

        self.search = QLineEdit()
        self.search.setPlaceholderText(SEARCH_HELP)
        self.search.setAccessibleName("Search mail")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_source)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._focus_list)
        self.threads = QCheckBox("Conversations")
        self.threads.setAccessibleName("Group by conversation")
        self.threads.toggled.connect(lambda _: self._apply_source())
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.threads)

        self.model = MessageListModel(self)
        self.table = MessageTable(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._row_chosen(current))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.model.sort_refused.connect(self._sort_refused)
        self.table.activated.connect(lambda _: self.open_draft())
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Message count")
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 4, 0, 0)
        middle_layout.addLayout(top)
        middle_layout.addWidget(self.table, 1)
        middle_layout.addWidget(self.count_label)

        self.conversation = QComboBox()
        self.conversation.setAccessibleName("Messages of the conversation")
        self.conversation.currentIndexChanged.connect(self._conversation_chosen)
        self.conversation.hide()
        self.reader = Reader(context)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 4, 4, 0)
        right_layout.addWidget(self.conversation)
        right_layout.addWidget(self.reader, 1)
        self._thread_messages: list[Message] = []

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mailSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        # Plugins' panes beside the message (who joined, a contact card), told which message is in front.
        self.sidebars = [context.create_view(view) for view in context.views(ViewArea.SIDEBAR)]
        if self.sidebars:
            self.sidebar_tabs = QTabWidget()
            self.sidebar_tabs.setAccessibleName("Sidebars")
            for view, widget in zip(context.views(ViewArea.SIDEBAR), self.sidebars, strict=True):
                self.sidebar_tabs.addTab(widget, view.title)
            self.splitter.addWidget(self.sidebar_tabs)
        self.splitter.setSizes([200, 460, 540])
        self.splitter.setStretchFactor(2, 1)
        self.splitter.splitterMoved.connect(lambda *_: self._save_layout())

        self.toolbar = QToolBar("Message")
        self.toolbar.setAccessibleName("Message actions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self._build_actions()
        self._restore_layout()

        context.signals.account_changed.connect(self._account_changed)
        context.signals.mail_changed.connect(self.refresh)
        context.signals.sync_progress.connect(self._sync_progress)
        self._account_changed(context.session)

    # -- layout --------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        state = self.context.layout.value(self.context.settings_group("mail") + "/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def _save_layout(self) -> None:
        self.context.layout.setValue(self.context.settings_group("mail") + "/splitter", self.splitter.saveState())

    # -- actions and shortcuts -----------------------------------------------------------------

    def _build_actions(self) -> None:
        def act(text: str, slot: Callable[[], None], key: str | None, *, selection: bool = True) -> QAction:
            action = QAction(text, self)
            action.triggered.connect(lambda _=False: slot())
            if key:
                action.setToolTip(f"{text} ({key})")
                self._shortcut(key, slot)
            action.setProperty("needs_selection", selection)
            return action

        self.shortcuts: dict[str, QShortcut] = {}
        self.actions_by_name = {
            "compose": act("Compose", self.compose, "c", selection=False),
            "reply": act("Reply", lambda: self.reply(reply_all=False), "r"),
            "reply_all": act("Reply all", lambda: self.reply(reply_all=True), "a"),
            "forward": act("Forward", self.forward, "f"),
            "archive": act("Archive", self.archive, "e"),
            "delete": act("Delete", self.delete, "#"),
            "star": act("Star", self.toggle_star, "s"),
            "read": act("Mark read/unread", self.toggle_read, "Shift+U"),
        }
        for name in ("compose", "reply", "reply_all", "forward", "archive", "delete", "star", "read"):
            self.toolbar.addAction(self.actions_by_name[name])
        self.move_menu = QMenu("Move to", self)
        self.label_menu = QMenu("Label", self)
        self.move_menu.aboutToShow.connect(lambda: self._fill_folder_menu(self.move_menu, self.move_to))
        self.label_menu.aboutToShow.connect(
            lambda: self._fill_folder_menu(self.label_menu, self.add_label, labels=True)
        )
        self.toolbar.addAction(self.move_menu.menuAction())
        self.toolbar.addAction(self.label_menu.menuAction())
        plugin_actions = self.context.actions(ActionPlace.MESSAGE)
        if plugin_actions:
            self.toolbar.addSeparator()
        for plugin_action in plugin_actions:
            qaction = act(
                plugin_action.title, lambda a=plugin_action: self.run_plugin_action(a), plugin_action.shortcut
            )
            self._message_actions.append((plugin_action, qaction))
            self.toolbar.addAction(qaction)
        for key, slot in (
            ("j", lambda: self._step(1)),
            ("k", lambda: self._step(-1)),
            ("/", self._focus_search),
            ("u", self._focus_list),
            ("F6", lambda: self._cycle_panes(1)),
            ("Shift+F6", lambda: self._cycle_panes(-1)),
        ):
            self._shortcut(key, slot)
        self._update_actions()

    def _shortcut(self, key: str, slot: Callable[[], None]) -> None:
        """A single-key shortcut while the mail view has focus (a text field keeps its letters).

        A symbol is typed with Shift on many layouts (``#`` on a US keyboard, ``/`` on a German one),
        and Qt then reports Shift with it: both spellings are bound."""
        spellings = [key, f"Shift+{key}"] if len(key) == 1 and not key.isalnum() else [key]
        for spelling in spellings:
            shortcut = QShortcut(QKeySequence(spelling), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[spelling] = shortcut

    def _update_actions(self) -> None:
        has_selection = bool(self.selected_rows())
        for action in self.actions_by_name.values():
            if action.property("needs_selection"):
                action.setEnabled(has_selection and self.context.session is not None)
        self.actions_by_name["compose"].setEnabled(self.context.session is not None)
        self.move_menu.setEnabled(has_selection)
        self.label_menu.setEnabled(has_selection and self._has_labels())
        message = self.reader.message
        for plugin_action, qaction in self._message_actions:
            available = message is not None
            if available:
                try:
                    context = self.context.action_context(ActionPlace.MESSAGE, parent=self, message=message)
                    available = plugin_action.available(context)
                except Exception:  # a broken availability check hides the action, nothing more
                    available = False
            qaction.setEnabled(available)

    def _context_menu(self, position: QPoint) -> None:
        if not self.selected_rows():
            return
        menu = QMenu(self)
        for name in ("reply", "reply_all", "forward", "archive", "delete", "star", "read"):
            menu.addAction(self.actions_by_name[name])
        menu.addMenu(self.move_menu)
        if self._has_labels():
            menu.addMenu(self.label_menu)
        if self._message_actions:
            menu.addSeparator()
            for _, qaction in self._message_actions:
                menu.addAction(qaction)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _fill_folder_menu(self, menu: QMenu, use: Callable[[Folder], None], *, labels: bool = False) -> None:
        menu.clear()
        for folder in self.folders.folders():
            if folder.id == self.folder_id:
                continue
            if labels and (folder.exclusive or folder.kind not in (FolderKind.CUSTOM, FolderKind.CATEGORY)):
                continue
            menu.addAction(folder.name, lambda f=folder: use(f))

    def _has_labels(self) -> bool:
        return any(not f.exclusive and f.kind is FolderKind.CUSTOM for f in self.folders.folders())

    # -- account and sync ----------------------------------------------------------------------

    def _account_changed(self, session: AccountSession | None) -> None:
        self._show(None)
        self.search.clear()
        if session is None or session.store is None:
            self.account_label.setText("Not signed in" if session is None else "Mail is off for this account")
            self.folders.load(None)
            self.folder_id = None
            self.model.set_source(None)
            self._newest_inbox = None
        else:
            self.account_label.setText(f"<b>{session.account.email}</b>")
            self.folders.load(session.store)
            inbox = session.store.folder_by_kind(FolderKind.INBOX)
            if inbox is not None:
                self.folders.select(inbox.id)
            self._apply_source()
            self._newest_inbox = self._inbox_newest()
        self._update_actions()

    def _sync_progress(self, progress: SyncProgress) -> None:
        if progress.phase is SyncPhase.FOLDERS or (self.folder_id is None and progress.phase is SyncPhase.RECENT):
            self.refresh()

    def refresh(self) -> None:
        """Reload counts and the loaded rows after the store changed; notify of new inbox mail."""
        store = self._store()
        if store is None:
            return
        self.folders.load(store)
        if self.folder_id is None:
            inbox = store.folder_by_kind(FolderKind.INBOX)
            if inbox is not None:
                self.folders.select(inbox.id)
        self._safe(self.model.reload)
        self._update_count()
        self._notify_new_mail()

    def _inbox_newest(self) -> dt.datetime | None:
        store = self._store()
        inbox = store.folder_by_kind(FolderKind.INBOX) if store else None
        if store is None or inbox is None:
            return None
        page = store.list_messages(inbox.id, limit=1)
        return page[0].date if page else None

    def _notify_new_mail(self) -> None:
        store = self._store()
        inbox = store.folder_by_kind(FolderKind.INBOX) if store else None
        if store is None or inbox is None:
            return
        if self._newest_inbox is None:
            # The first sync fills an empty store: that is not news.
            self._newest_inbox = self._inbox_newest()
            return
        fresh = [m for m in store.list_messages(inbox.id, limit=20) if m.date > self._newest_inbox and m.unread]
        if fresh:
            self._newest_inbox = max(m.date for m in fresh)
            first = fresh[0]
            sender = first.sender.name or first.sender.email if first.sender else "Someone"
            title = f"{len(fresh)} new messages" if len(fresh) > 1 else f"New mail from {sender}"
            self.context.notify_desktop(title, first.subject)

    # -- what the list shows -------------------------------------------------------------------

    def _store(self) -> MailStore | None:
        session = self.context.session
        return session.store if session is not None else None

    def _engine(self) -> SyncEngine | None:
        session = self.context.session
        return session.sync if session is not None else None

    def _folder_chosen(self) -> None:
        folder_id = self.folders.current_folder_id()
        if folder_id == self.folder_id:
            return
        self.folder_id = folder_id
        if self.search.text():
            self.search.clear()  # also applies the source, through the timer
        self._apply_source()

    def _apply_source(self) -> None:
        self._search_timer.stop()
        store = self._store()
        if store is None:
            self.model.set_source(None)
            return
        query = self.search.text().strip()
        folder_id = self.folder_id
        if query:
            pager = lambda before, limit: store.search(query, limit=limit, before=before)  # noqa: E731
        elif self.threads.isChecked():
            pager = lambda before, limit: store.list_threads(folder_id, limit=limit, before=before)  # noqa: E731
        else:
            pager = lambda before, limit: store.list_messages(folder_id, limit=limit, before=before)  # noqa: E731
        self._newest_first()
        self._safe(lambda: self.model.set_source(self._guarded(pager)))
        self._show(None)
        self.conversation.hide()
        self._update_count()
        self._update_actions()

    def _newest_first(self) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the model is told by set_source; no sort call on the way
        header.setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        header.blockSignals(False)
        header.viewport().update()

    def _sort_refused(self, text: str) -> None:
        self.context.show_info(text)
        self._newest_first()

    def _guarded(self, pager: Callable[[Any, int], Sequence[Row]]) -> Callable[[Any, int], Sequence[Row]]:
        """A page that fails (a search the store refuses, say) is an empty page and a message, never a crash:
        the model's fetchMore runs inside Qt, where an exception would end the program."""

        def page(before: Any, limit: int) -> Sequence[Row]:
            try:
                return pager(before, limit)
            except ZoomclientError as error:
                self.context.show_error(error)
            except Exception as error:
                self.context.show_error(error)
            return []

        return page

    def _safe(self, call: Callable[[], None]) -> None:
        try:
            call()
        except Exception as error:
            self.context.show_error(error)

    def _update_count(self) -> None:
        store = self._store()
        if store is None or self.search.text().strip():
            self.count_label.setText(
                f"{self.model.rowCount():,} found" + ("+" if self.model.canFetchMore(QModelIndex()) else "")
            )
            return
        total, unread = store.count(self.folder_id)
        self.count_label.setText(f"{total:,} messages, {unread:,} unread")

    # -- selection and the reader --------------------------------------------------------------

    def selected_rows(self) -> list[Row]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [row for row in (self.model.row_at(r) for r in rows) if row is not None]

    def selected_ids(self) -> list[str]:
        ids: list[str] = []
        for row in self.selected_rows():
            ids.extend(row.message_ids if isinstance(row, Thread) else [row.id])
        return list(dict.fromkeys(ids))

    def _row_chosen(self, current: QModelIndex) -> None:
        self._update_actions()
        row = self.model.row_at(current.row()) if current.isValid() else None
        store = self._store()
        if row is None or store is None:
            return
        if isinstance(row, Thread):
            load: Any = asyncio.to_thread(store.thread_messages, row.id)
        else:
            load = asyncio.to_thread(store.get_message, row.id)

        def shown(found: Message | list[Message] | None) -> None:
            current_row = self.model.row_at(self.table.currentIndex().row())
            if current_row is None or current_row.id != row.id:
                return  # the user moved on while it loaded
            messages = found if isinstance(found, list) else [found] if found is not None else []
            self._show_conversation(messages)

        self.context.tasks.run(load, shown)

    def _show_conversation(self, messages: list[Message]) -> None:
        self._thread_messages = messages
        self.conversation.blockSignals(True)
        self.conversation.clear()
        for message in messages:
            sender = message.sender.name or message.sender.email if message.sender else "?"
            self.conversation.addItem(f"{message.date.astimezone():%d %b %H:%M} — {sender}")
        self.conversation.setCurrentIndex(len(messages) - 1)
        self.conversation.blockSignals(False)
        self.conversation.setVisible(len(messages) > 1)
        self._show(messages[-1] if messages else None)

    def _conversation_chosen(self, index: int) -> None:
        if 0 <= index < len(self._thread_messages):
            self._show(self._thread_messages[index])

    def _show(self, message: Message | None) -> None:
        self.reader.show_message(message)
        self.context.show_item(self.sidebars, message)
        self._update_actions()
        engine = self._engine()
        if message is not None and message.unread and engine is not None:
            self.context.tasks.run(engine.mark_read([message.id]), lambda _: self.context.signals.mail_changed.emit())

    def _step(self, delta: int) -> None:
        """j/k: the next or previous row; with nothing chosen yet, the first."""
        current = self.table.currentIndex().row() if self.table.selectionModel().hasSelection() else -1
        target = max(0, current + delta) if current >= 0 else 0
        if target >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        if target < self.model.rowCount():
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, 0))
        self.table.setFocus()

    def _cycle_panes(self, step: int) -> None:
        """F6 / Shift+F6: folders, message list, reader, round and round."""
        panes = [self.folders, self.table, self.reader.browser]
        current = next((i for i, pane in enumerate(panes) if pane.hasFocus()), -1 if step > 0 else 0)
        panes[(current + step) % len(panes)].setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_list(self) -> None:
        self.table.setFocus()

    # -- changes with undo ---------------------------------------------------------------------

    def _change(self, ids: list[str], do: Any, undo: Callable[[], Any] | None, said: str) -> None:
        """Run ``do`` on the core's loop; then say ``said`` with an Undo that runs ``undo()``."""

        def done(_: Any) -> None:
            self.context.signals.mail_changed.emit()
            if undo is None:
                self.context.show_info(said)
                return
            self.context.show_info(
                said,
                action=(
                    "Undo",
                    lambda: self.context.tasks.run(undo(), lambda _: self.context.signals.mail_changed.emit()),
                ),
            )

        self.context.tasks.run(do, done)

    @staticmethod
    def _counted(ids: Sequence[str]) -> str:
        return f"{len(ids)} message{'s' if len(ids) != 1 else ''}"

    def archive(self) -> None:
        store, engine, ids = self._store(), self._engine(), self.selected_ids()
        if not ids or store is None or engine is None:
            return
        inbox = store.folder_by_kind(FolderKind.INBOX)
        if inbox is None:
            self.context.show_error("This account has no inbox to archive from.")
            return
        if inbox.exclusive:
            archive = store.folder_by_kind(FolderKind.ARCHIVE)
            if archive is None:
                self.context.show_error("This account has no archive folder.", hint="Move the messages instead.")
                return
            do, undo = engine.move(ids, archive.id), lambda: engine.move(ids, inbox.id)
        else:
            do, undo = engine.change_labels(ids, remove=[inbox.id]), lambda: engine.change_labels(ids, add=[inbox.id])
        self._change(ids, do, undo, f"Archived {self._counted(ids)}.")

    def delete(self) -> None:
        store, engine, ids = self._store(), self._engine(), self.selected_ids()
        if not ids or store is None or engine is None:
            return
        back = self.folder_id or (store.folder_by_kind(FolderKind.INBOX) or Folder("", "")).id
        trash = store.folder_by_kind(FolderKind.TRASH)
        if trash is not None and self.folder_id == trash.id:
            answer = QMessageBox.question(
                self,
                "Delete for good",
                f"Delete {self._counted(ids)} for good? This cannot be undone.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._change(ids, engine.delete(ids), None, f"Deleted {self._counted(ids)} for good.")
            return
        self._change(
            ids, engine.trash(ids), lambda: engine.move(ids, back), f"Moved {self._counted(ids)} to the trash."
        )

    def move_to(self, folder: Folder) -> None:
        engine, ids, back = self._engine(), self.selected_ids(), self.folder_id
        if not ids or engine is None:
            return
        undo = (lambda: engine.move(ids, back)) if back else None
        self._change(ids, engine.move(ids, folder.id), undo, f"Moved {self._counted(ids)} to {folder.name}.")

    def add_label(self, folder: Folder) -> None:
        engine, ids = self._engine(), self.selected_ids()
        if not ids or engine is None:
            return
        self._change(
            ids,
            engine.change_labels(ids, add=[folder.id]),
            lambda: engine.change_labels(ids, remove=[folder.id]),
            f"Labelled {self._counted(ids)} {folder.name}.",
        )

    def toggle_star(self) -> None:
        engine, rows = self._engine(), self.selected_rows()
        if not rows or engine is None:
            return
        star = not all(isinstance(r, MessageSummary) and r.flagged for r in rows)
        ids = self.selected_ids()
        self._change(
            ids, engine.set_flagged(ids, star), None, f"{'Starred' if star else 'Unstarred'} {self._counted(ids)}."
        )

    def toggle_read(self) -> None:
        engine, rows = self._engine(), self.selected_rows()
        if not rows or engine is None:
            return
        read = any((r.unread_count if isinstance(r, Thread) else r.unread) for r in rows)
        ids = self.selected_ids()
        self._change(
            ids, engine.mark_read(ids, read), None, f"Marked {self._counted(ids)} {'read' if read else 'unread'}."
        )

    # -- composing -----------------------------------------------------------------------------

    def compose(self) -> None:
        self.context.compose(None)

    def reply(self, *, reply_all: bool) -> None:
        message, session = self.reader.message, self.context.session
        if message is None or session is None:
            return
        me = session.account.email
        self._safe(lambda: self.context.compose(reply_to(_mime_numbered(message), reply_all=reply_all, me=me)))

    def forward(self) -> None:
        message, session = self.reader.message, self.context.session
        if message is None or session is None:
            return
        if message.raw is not None or not message.attachments or session.mail is None:
            self._safe(lambda: self.context.compose(forward(_mime_numbered(message))))
            return
        # No raw message to take the attachments from: fetch them first, then forward.
        mail = session.mail

        async def fetch() -> tuple[OutgoingAttachment, ...]:
            parts = [(a, await mail.fetch_attachment(message.id, a.id)) for a in message.attachments]
            return tuple(
                OutgoingAttachment(a.filename, a.content_type, data, a.content_id if a.inline else None)
                for a, data in parts
            )

        self.context.tasks.run(fetch(), lambda found: self.context.compose(forward(message, attachments=found)))

    def open_draft(self) -> None:
        """Enter or a double click on a message of the drafts folder opens it in the composer again."""
        store, session = self._store(), self.context.session
        rows = self.selected_rows()
        drafts = store.folder_by_kind(FolderKind.DRAFTS) if store is not None else None
        if session is None or session.mail is None or drafts is None or self.folder_id != drafts.id or not rows:
            return
        wanted = rows[0].id

        def found(listed: list[Draft]) -> None:
            draft = next((d for d in listed if wanted in (d.message_id, d.id)), None)
            if draft is None:
                self.context.show_error("This draft is not on the server any more.", hint="Sync, then open it again.")
                return
            self.context.compose(draft=draft)

        kept = [d for d in store.drafts() if wanted in (d.message_id, d.id)]
        if kept:
            found(kept)
        else:
            self.context.tasks.run(session.mail.list_drafts(), found)

    def run_plugin_action(self, action: Any) -> None:
        message = self.reader.message
        if message is not None:
            self.context.run_action(action, ActionPlace.MESSAGE, parent=self, message=message)


def _mime_numbered(message: Message) -> Message:
    """The message with its parts numbered as :mod:`host.mime` numbers them (reply and forward take
    parts from the raw message by that number); a provider may have numbered them its own way."""
    if message.raw is None:
        return message
    parsed = parse_message(message.raw, id=message.id, thread_id=message.thread_id, folder_ids=message.folder_ids)
    return attrs.evolve(message, attachments=parsed.attachments)

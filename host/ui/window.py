"""The main window: hosts the views plugins register, opens the account, runs its sync, signs in and out."""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.errors import ZoomclientError
from host.sync import SyncPhase, SyncProgress
from host.ui.actionui import QtActionUI
from host.ui.context import ShellSignals, ViewContext
from host.ui.loop import LoopThread
from host.ui.messagebar import MessageBar
from host.ui.qt import (
    QAction,
    QApplication,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSettings,
    QStackedWidget,
    QStyle,
    QSystemTrayIcon,
    Qt,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    pyqtSignal,
)
from host.ui.tasks import TaskRunner
from host.views import ViewArea

if TYPE_CHECKING:
    from concurrent.futures import Future

    from host.accounts import Accounts, AccountSession
    from host.app import Host
    from host.model.mail import Draft, OutgoingMessage
    from host.sync import SyncSettings
    from host.ui.composer import Composer

log = logging.getLogger(__name__)

#: Phases after which the store holds new mail worth redrawing lists for.
_STORE_CHANGED = frozenset(
    {SyncPhase.RECENT, SyncPhase.BACKFILL, SyncPhase.INCREMENTAL, SyncPhase.IDLE, SyncPhase.PUSH}
)


class MainWindow(QMainWindow):
    """The shell. ``sandbox_urls`` maps an account type to its emulator (the demo signs in there)."""

    _progress = pyqtSignal(object)  # from the loop thread, queued into the GUI thread

    def __init__(
        self,
        host: Host,
        accounts: Accounts,
        loop: LoopThread,
        *,
        settings: QSettings | None = None,
        sync_settings: SyncSettings | None = None,
        sandbox_urls: dict[str, str] | None = None,
        open_browser: Callable[[str], object] = webbrowser.open,
    ) -> None:
        super().__init__()
        self.host = host
        self.accounts = accounts
        self.loop = loop
        self.qsettings = settings or QSettings("zoomclient", "zoomclient")
        self.sync_settings = sync_settings
        self.sandbox_urls = dict(sandbox_urls or {})
        self.open_browser = open_browser
        self.session: AccountSession | None = None
        self._sync_task: Future[Any] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.composers: list[Composer] = []
        self.setWindowTitle("zoomclient")
        self.setAccessibleName("zoomclient main window")

        self.message_bar = MessageBar()
        self.tasks = TaskRunner(loop, self.message_bar.show_error, self)
        self.signals = ShellSignals(self)
        self.context = ViewContext(
            host=host,
            tasks=self.tasks,
            signals=self.signals,
            messages=self.message_bar,
            action_ui=lambda parent: QtActionUI(parent or self, self.message_bar),
            compose=self.compose,
            add_status_widget=lambda widget: self.statusBar().addPermanentWidget(widget),
            show_view=self.show_view,
            notify_desktop=self.notify_desktop,
            layout=self.qsettings,
            secrets=accounts.secrets,
            sign_in_target=self.sign_in_target,
            reopen_account=self.reopen_account,
            main_views=lambda: self.main_views,
        )
        self._progress.connect(self._on_progress)
        self._mail_changed_soon = QTimer(self, singleShot=True, interval=250)
        # A bound method, not the signal's emit: the connection then goes when the window goes.
        self._mail_changed_soon.timeout.connect(self._emit_mail_changed)

        self._build_status_bar()
        self.pages = QStackedWidget()
        self.sign_in_page = SignInPage(self)
        self.views = QTabWidget()
        self.views.setAccessibleName("Views")
        self.views.tabBar().setAccessibleName("Choose a view")
        self.views.setDocumentMode(True)
        self.pages.addWidget(self.sign_in_page)
        self.pages.addWidget(self.views)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.main_views: dict[str, QWidget] = {}
        for view in self.context.views(ViewArea.MAIN):
            widget = self.context.create_view(view)
            widget.setAccessibleName(view.title)
            self.main_views[view.id] = widget
            self.views.addTab(widget, view.title)
        for view in self.context.views(ViewArea.STATUS):
            self.context.add_status_widget(self.context.create_view(view))
        self._build_menus()
        self.tray = self._make_tray()
        self._restore_layout()
        self._show_page()

    # -- building ------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.sync_label = QLabel("Not signed in")
        self.sync_label.setAccessibleName("Sync status")
        self.sync_bar = QProgressBar()
        self.sync_bar.setAccessibleName("Sync progress")
        self.sync_bar.setMaximumWidth(160)
        self.sync_bar.setTextVisible(False)
        self.sync_bar.hide()
        bar.addWidget(self.sync_label)
        bar.addWidget(self.sync_bar)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file = menus.addMenu("&File")
        self.settings_action = _action(self, "&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([QKeySequence("Ctrl+,")])
        file.addAction(_action(self, "&New message", lambda: self.compose(None), QKeySequence.StandardKey.New))
        self.drafts_menu = file.addMenu("&Drafts")
        self.drafts_menu.aboutToShow.connect(self._fill_drafts)
        file.addAction(self.settings_action)
        file.addSeparator()
        file.addAction(_action(self, "&Quit", self.close, QKeySequence.StandardKey.Quit))
        account = menus.addMenu("&Account")
        self.sign_out_action = _action(self, "Sign &out…", self.ask_sign_out)
        account.addAction(self.sign_out_action)
        view_menu = menus.addMenu("&View")
        for index, (view_id, widget) in enumerate(self.main_views.items()):
            title = self.views.tabText(index)
            shortcut = next((v.shortcut for v in self.host.registry.views if v.id == view_id), None)
            item = _action(self, title, lambda w=widget: self.views.setCurrentWidget(w))
            item.setShortcut(QKeySequence(shortcut or f"Ctrl+{index + 1}"))
            view_menu.addAction(item)

    def _make_tray(self) -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None  # no tray (offscreen, some desktops): notifications are skipped, nothing else
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        tray = QSystemTrayIcon(QIcon(icon), self)
        tray.setToolTip("zoomclient")
        tray.show()
        return tray

    def show_view(self, view_id: str) -> bool:
        widget = self.main_views.get(view_id)
        if widget is not None:
            self.views.setCurrentWidget(widget)
        return widget is not None

    def notify_desktop(self, title: str, text: str) -> None:
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    # -- layout memory: geometry and splitters only, never content ---------------------------------

    def _restore_layout(self) -> None:
        geometry = self.qsettings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self.qsettings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _save_layout(self) -> None:
        self.qsettings.setValue("window/geometry", self.saveGeometry())
        self.qsettings.setValue("window/state", self.saveState())
        self.qsettings.sync()

    # -- the account ---------------------------------------------------------------------------

    def _show_page(self) -> None:
        signed_in = self.session is not None
        self.pages.setCurrentWidget(self.views if signed_in else self.sign_in_page)
        self.sign_out_action.setEnabled(signed_in)
        if signed_in:
            self.setWindowTitle(f"zoomclient — {self.session.account.email}")
        else:
            self.setWindowTitle("zoomclient")
            self.sync_label.setText("Not signed in")
            self.sign_in_page.refresh()

    def open_account(self, on_open: Callable[[AccountSession], None] | None = None) -> None:
        """Open the signed-in account (if any) and start its sync; the views hear ``account_changed``."""
        if self.accounts.current() is None:
            self._show_page()
            return
        self.sync_label.setText("Opening the mailbox…")

        def opened(session: AccountSession) -> None:
            self._set_session(session)
            if on_open is not None:
                on_open(session)

        def failed(error: BaseException) -> None:
            self.sync_label.setText("The mailbox could not be opened")
            self.message_bar.show_error(error)

        self.tasks.run(self.accounts.open(settings=self.sync_settings), opened, failed)

    def reopen_account(self) -> None:
        """Close the account and open it again: what an administrator turned off since goes off. Open
        composers keep their drafts in the store (File > Drafts) and close, as at exit."""
        if self.session is None:
            return
        for composer in list(self.composers):
            composer.keep_local_draft()
            composer.abandon()
        session = self._stop_sync()
        self.signals.account_changed.emit(None)  # views let go of the store before it closes
        self.sync_label.setText("Reopening the mailbox…")

        def closing_failed(error: BaseException) -> None:
            self.message_bar.show_error(error)
            self.open_account()

        self.tasks.run(session.aclose(), lambda _: self.open_account(), closing_failed)

    def _set_session(self, session: AccountSession | None) -> None:
        self.session = session
        if session is not None and session.sync is not None:
            self._unsubscribe = session.sync.subscribe(self._progress.emit)
            self._sync_task = self.tasks.run(session.sync.run(), on_error=self._sync_stopped)
            self.sync_label.setText("Syncing…")
        elif session is not None:
            self.sync_label.setText("Mail is off for this account")
        self.signals.account_changed.emit(session)
        self._show_page()

    def _sync_stopped(self, error: BaseException) -> None:
        self.sync_label.setText("Sync stopped")
        self.sync_bar.hide()
        self.message_bar.show_error(
            error,
            hint=error.hint if isinstance(error, ZoomclientError) and error.hint else "Sign out and in again.",
        )

    def _emit_mail_changed(self) -> None:
        self.signals.mail_changed.emit()

    def _on_progress(self, progress: SyncProgress) -> None:
        self.signals.sync_progress.emit(progress)
        phase = progress.phase
        settled = phase in (SyncPhase.PUSH, SyncPhase.OUTBOX) and progress.total and progress.done >= progress.total
        if phase is SyncPhase.IDLE or settled:
            self.sync_label.setText("Up to date")
            self.sync_bar.hide()
        elif phase is SyncPhase.FAILED:
            self.sync_label.setText("Sync trouble; retrying")
            self.sync_bar.hide()
            if progress.message:
                self.message_bar.show_error(progress.message, hint="zoomclient tries again by itself.")
        else:
            label = {
                SyncPhase.FOLDERS: "Reading folders",
                SyncPhase.RECENT: "Fetching recent mail",
                SyncPhase.BACKFILL: "Fetching older mail",
                SyncPhase.CATCH_UP: "Catching up",
                SyncPhase.INCREMENTAL: "Checking for new mail",
                SyncPhase.RESYNC: "Resyncing",
                SyncPhase.PUSH: "Saving changes",
                SyncPhase.OUTBOX: "Sending",
            }.get(phase, phase.value)
            if progress.total:
                self.sync_label.setText(f"{label}: {progress.done:,} of {progress.total:,}")
                self.sync_bar.setRange(0, progress.total)
                self.sync_bar.setValue(min(progress.done, progress.total))
            else:
                self.sync_label.setText(f"{label}…" if not progress.done else f"{label}: {progress.done:,}")
                self.sync_bar.setRange(0, 0)
            self.sync_bar.show()
        if phase in _STORE_CHANGED and not self._mail_changed_soon.isActive():
            self._mail_changed_soon.start()

    def sign_in_target(self, account_type: str) -> tuple[Callable[[str], object], str | None]:
        """How a sign-in to ``account_type`` gets consent: ``(open_browser, sandbox_url)``, the system browser
        or, against an emulator (the demo), its unattended consent."""
        from host.auth import headless_browser

        sandbox_url = self.sandbox_urls.get(account_type)
        return (headless_browser if sandbox_url else self.open_browser), sandbox_url

    def sign_in(self, account_type: str) -> None:
        """Sign in with the system browser (against an emulator: its unattended consent)."""
        browser, sandbox_url = self.sign_in_target(account_type)
        self.sign_in_page.busy(True)
        if not sandbox_url:
            self.message_bar.show_info("Your browser opens to sign in; come back here when you have allowed access.")

        def done(result: Any) -> None:
            self.sign_in_page.busy(False)
            for notice in result.notices:
                self.message_bar.show_info(notice)
            self.open_account()

        def failed(error: BaseException) -> None:
            self.sign_in_page.busy(False)
            self.message_bar.show_error(error)

        self.tasks.run(self.accounts.add(account_type, sandbox_url=sandbox_url, open_browser=browser), done, failed)

    def ask_sign_out(self) -> None:
        account = self.accounts.current()
        if account is None:
            return
        answer = QMessageBox.question(
            self,
            "Sign out",
            f"Sign out of {account.email}?\n\nThis deletes from this computer: its mail database (every "
            "message, draft and unsent message in the outbox), its attachment cache, its sign-in token and "
            "its database key. The mail stays on the server.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sign_out()

    def sign_out(self, on_done: Callable[[], None] | None = None) -> None:
        session = self._stop_sync()
        for composer in list(self.composers):
            composer.abandon()  # what it holds is about to be wiped with the account
        # Views let go of the store before sign-out closes and deletes it.
        self.signals.account_changed.emit(None)
        self._show_page()
        self.sign_in_page.busy(True, "Signing out and deleting the account's data…")

        def done(account: Any) -> None:
            self.sign_in_page.busy(False)
            self._show_page()
            if account is not None:
                self.message_bar.show_info(f"Signed out of {account.email}; its data is deleted from this computer.")
            if on_done is not None:
                on_done()

        self.tasks.run(self.accounts.remove(session), done)

    def _stop_sync(self) -> AccountSession | None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._sync_task is not None:
            self._sync_task.cancel()
            self._sync_task = None
        session, self.session = self.session, None
        return session

    # -- composer and settings -----------------------------------------------------------------

    def compose(self, message: OutgoingMessage | None = None, *, draft: Draft | None = None) -> Composer | None:
        if self.session is None or self.session.sync is None:
            self.message_bar.show_error(
                "There is no mailbox to send from.", hint="Sign in to an account with mail first."
            )
            return None
        from host.ui.composer import Composer

        composer = Composer(self.context, self.session, message, draft=draft)
        self.composers.append(composer)
        composer.destroyed.connect(lambda *_: self.composers.remove(composer) if composer in self.composers else None)
        composer.show()
        return composer

    def _fill_drafts(self) -> None:
        """The drafts kept in the store, newest first, each reopening in a composer."""
        self.drafts_menu.clear()
        store = self.session.store if self.session is not None else None
        drafts = store.drafts() if store is not None else []
        for draft in drafts[:30]:
            title = draft.message.subject or "(no subject)"
            self.drafts_menu.addAction(title, lambda d=draft: self.compose(draft=d))
        if not drafts:
            self.drafts_menu.addAction("No drafts").setEnabled(False)

    def open_settings(self) -> None:
        from host.ui.settings import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        dialog.exec()
        # Parented to the window, a closed dialog would otherwise live (pages, tasks' callbacks) until exit.
        dialog.deleteLater()

    # -- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_layout()
        self._mail_changed_soon.stop()
        for composer in list(self.composers):
            composer.keep_local_draft()
            composer.abandon()
        session = self._stop_sync()
        self.tasks.shutdown()
        if session is not None:
            self.signals.account_changed.emit(None)  # views let go of the store before it closes
        if session is not None and self.loop.running:
            try:
                # Shut-down may wait: the store folds its WAL back in and the HTTP client closes.
                self.loop.call(session.aclose(), timeout=10)
            except Exception:  # closing goes on; the store recovers from its WAL next time
                log.exception("closing the account session failed")
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)


class SignInPage(QWidget):
    """Shown while signed out: a button per account type that has a mail or calendar provider."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setAccessibleName("Sign in")
        column = QWidget()
        column.setFixedWidth(420)
        layout = QVBoxLayout(column)
        title = QLabel("<h2>Welcome to zoomclient</h2><p>Sign in to your mail and calendar account.</p>")
        title.setWordWrap(True)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.buttons_row = QVBoxLayout()
        layout.addLayout(self.buttons_row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.note)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.buttons: list[QPushButton] = []

    def refresh(self) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        registry = self.window_.host.registry
        for account_type in registry.account_types:
            name = account_type.name
            if registry.mail_provider(name) is None and registry.calendar_provider(name) is None:
                continue
            button = QPushButton(f"Sign in with {account_type.title}")
            button.setAccessibleName(f"Sign in with {account_type.title}")
            button.clicked.connect(lambda _=False, name=account_type.name: self.window_.sign_in(name))
            self.buttons_row.addWidget(button)
            self.buttons.append(button)
        self.note.setText(
            ""
            if self.buttons
            else "No provider plugin is installed. Install one (zoomclient-gmail, say) and start zoomclient again."
        )

    def busy(self, busy: bool, note: str = "Waiting for you to allow access in the browser…") -> None:
        for button in self.buttons:
            button.setEnabled(not busy)
        self.note.setText(note if busy else "")


def _action(parent: QWidget, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
    action = QAction(text, parent)
    action.triggered.connect(lambda _=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    return action


_application: list[QApplication] = []  # the one QApplication, kept alive for the process


def application() -> QApplication:
    """The QApplication, made once; the system's style and palette are left alone (light or dark)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
        app.setApplicationName("zoomclient")
        app.setOrganizationName("zoomclient")
        _application.append(app)
    return app

"""The composer: a window for one message — new, reply, forward or an action's draft.

Sending goes through the sync engine's outbox: the message waits there for the undo delay (an Undo
button in the status bar takes it back into a composer), or until the time chosen with "Send later".
Drafts save themselves a few seconds after each change.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import mimetypes
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from host.actions import ActionPlace, ActionResult
from host.errors import ZoomclientError
from host.model.mail import Address, Draft, OutgoingAttachment, OutgoingMessage, Signature
from host.providers.mail import MailCapability
from host.ui.messagebar import MessageBar
from host.ui.qt import (
    QCheckBox,
    QCloseEvent,
    QComboBox,
    QCompleter,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDragEnterEvent,
    QDropEvent,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QShortcut,
    QStringListModel,
    Qt,
    QTextEdit,
    QTextListFormat,
    QTimer,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from host.accounts import AccountSession
    from host.store import MailStore
    from host.store.queues import OutboxItem
    from host.ui.context import ViewContext

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
LOCAL_DRAFT = "local-"


def parse_addresses(text: str) -> tuple[Address, ...]:
    """``Ana <ana@example.com>, bo@example.com`` as addresses; a malformed one raises with what to fix."""
    found = []
    for name, mail in email.utils.getaddresses([text]):
        if not mail and not name:
            continue
        if "@" not in mail or mail.startswith("@") or mail.endswith("@") or " " in mail:
            raise ZoomclientError(
                f"“{(name + ' ' + mail).strip()}” is not an email address.", hint="Correct it and send again."
            )
        found.append(Address(mail, name))
    return tuple(found)


class AddressField(QLineEdit):
    """A recipients line that completes the word being typed from the store's known addresses."""

    def __init__(self, name: str, session: AccountSession) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.session = session
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.setWidget(self)
        self._completer.activated[str].connect(self._complete)
        self.textEdited.connect(self._suggest)

    def _current_word(self) -> str:
        return self.text()[: self.cursorPosition()].rsplit(",", 1)[-1].strip()

    def _suggest(self, _: str) -> None:
        word = self._current_word()
        if len(word) < 1 or self.session.store is None:
            self._completer.popup().hide()
            return
        # One indexed prefix read of at most ten rows: cheap enough for the GUI thread.
        suggestions = [str(a) for a in self.session.store.complete_addresses(word, limit=10)]
        self._model.setStringList(suggestions)
        if suggestions:
            self._completer.setCompletionPrefix("")
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def _complete(self, chosen: str) -> None:
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition() :]
        head = before.rsplit(",", 1)[0] + ", " if "," in before else ""
        self.setText(f"{head}{chosen}, {after.lstrip(', ')}".rstrip())
        self.setCursorPosition(len(f"{head}{chosen}, "))

    def addresses(self) -> tuple[Address, ...]:
        return parse_addresses(self.text())

    def set_addresses(self, addresses: tuple[Address, ...]) -> None:
        self.setText(", ".join(str(a) for a in addresses))


class Composer(QWidget):
    """One message being written. ``sent`` is the outbox item once sent (tests and the undo use it)."""

    #: A draft is saved this long after the last change.
    autosave_ms = 3000

    def __init__(
        self,
        context: ViewContext,
        session: AccountSession,
        message: OutgoingMessage | None = None,
        *,
        draft: Draft | None = None,
    ) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.context = context
        self.session = session
        self.sent: OutboxItem | None = None
        self.discarded = False
        # The server's draft id once saved there; the store keeps the draft under it (or a local id
        # until the server answered), so that reopening the draft replaces it instead of copying it.
        self.draft_id: str | None = None
        self.local_draft_id = f"{LOCAL_DRAFT}{uuid.uuid4().hex}"
        if draft is not None:
            self.local_draft_id = draft.id
            self.draft_id = None if draft.id.startswith(LOCAL_DRAFT) else draft.id
        self._original = message or (draft.message if draft is not None else OutgoingMessage(to=(), subject=""))
        self._inline = tuple(a for a in self._original.attachments if a.content_id)
        self.attachments: list[OutgoingAttachment] = [a for a in self._original.attachments if not a.content_id]
        self.setWindowTitle("New message")
        self.setAccessibleName("Composer")
        self.setAcceptDrops(True)
        self.resize(760, 620)

        self.message_bar = MessageBar()
        self.toolbar = QToolBar("Composer")
        self.toolbar.setAccessibleName("Composer actions")
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send")
        self.send_button.setToolTip("Send (Ctrl+Return)")
        self.send_button.clicked.connect(self.send)
        self.later_button = QPushButton("Send later…")
        self.later_button.setAccessibleName("Send later")
        self.later_button.clicked.connect(self.send_later)
        self.discard_button = QPushButton("Discard")
        self.discard_button.setAccessibleName("Discard the message")
        self.discard_button.clicked.connect(self.discard)
        self.attach_button = QPushButton("Attach…")
        self.attach_button.setAccessibleName("Attach files")
        self.attach_button.clicked.connect(self.choose_attachments)
        self.plain = QCheckBox("Plain text")
        self.plain.setAccessibleName("Write plain text")
        self.plain.toggled.connect(self._plain_toggled)
        self.signature = QComboBox()
        self.signature.setAccessibleName("Signature")
        self.signature.addItem("No signature", None)
        self.signature.activated.connect(lambda _: self._insert_signature(self.signature.currentData()))
        for widget in (self.send_button, self.later_button, self.discard_button, self.attach_button, self.signature):
            self.toolbar.addWidget(widget)
        # Formatting has a row of its own, right above the text it formats.
        self.format_bar = QToolBar("Formatting")
        self.format_bar.setAccessibleName("Formatting")
        self.format_bar.addWidget(self.plain)
        self.format_bar.addSeparator()
        self.formatting = [
            self.format_bar.addAction("Bold", self._bold),
            self.format_bar.addAction("Italic", lambda: self.body.setFontItalic(not self.body.fontItalic())),
            self.format_bar.addAction("Underline", lambda: self.body.setFontUnderline(not self.body.fontUnderline())),
            self.format_bar.addAction("• List", self._bullets),
        ]
        for action, key in zip(self.formatting, ("Ctrl+B", "Ctrl+I", "Ctrl+U", "Ctrl+Shift+8"), strict=True):
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{action.text()} ({key})")
        actions = context.actions(ActionPlace.COMPOSER)
        if actions:
            self.toolbar.addSeparator()
        for action in actions:
            self.toolbar.addAction(action.title, lambda a=action: self.run_action(a))

        self.sender = QLabel(str(Address(session.account.email, session.account.display_name)))
        self.sender.setAccessibleName("From")
        self.to = AddressField("To", session)
        self.cc = AddressField("Cc", session)
        self.bcc = AddressField("Bcc", session)
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject")
        form = QFormLayout()
        for text, field in (
            ("From", self.sender),
            ("&To", self.to),
            ("&Cc", self.cc),
            ("&Bcc", self.bcc),
            ("&Subject", self.subject),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            # Room for the whole word: Qt measures "To" kerned and clips its last letter otherwise.
            label.setMinimumWidth(label.sizeHint().width() + label.fontMetrics().averageCharWidth())
            form.addRow(label, field)

        self.body = QTextEdit()
        self.body.setAccessibleName("Message text")
        self.body.setAcceptRichText(True)
        self.attachment_list = QListWidget()
        self.attachment_list.setAccessibleName("Attachments")
        self.attachment_list.setMaximumHeight(70)
        self.attachment_list.setFlow(QListWidget.Flow.LeftToRight)
        self.attachment_list.itemDoubleClicked.connect(self._remove_attachment)
        self.attachment_list.setToolTip("Double-click an attachment to remove it; drop files here to attach them.")

        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.toolbar)
        layout.addLayout(form)
        layout.addWidget(self.format_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.attachment_list)

        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)
        self._dirty = False
        self._body_touched = False  # a default signature arriving late goes in only while this is False
        self._pushing = False
        self._save_again = False
        self._fill(self._original)
        self._load_signatures()
        self._autosave = QTimer(self, singleShot=True, interval=self.autosave_ms)
        self._autosave.timeout.connect(self.save_draft)
        for field in (self.to, self.cc, self.bcc, self.subject):
            field.textChanged.connect(self._changed)
        self.body.textChanged.connect(self._body_changed)
        (self.to if not self._original.to else self.body).setFocus()

    # -- content -------------------------------------------------------------------------------

    def _fill(self, message: OutgoingMessage) -> None:
        self.to.set_addresses(message.to)
        self.cc.set_addresses(message.cc)
        self.bcc.set_addresses(message.bcc)
        self.subject.setText(message.subject)
        if message.subject:
            self.setWindowTitle(message.subject)
        if message.body_html is not None:
            self.body.setHtml(message.body_html)
        else:
            self.plain.setChecked(bool(message.body_text))
            self.body.setPlainText(message.body_text)
        self.body.moveCursor(self.body.textCursor().MoveOperation.Start)
        self._show_attachments()

    def outgoing(self) -> OutgoingMessage:
        """The message as written; raises ZoomclientError for a malformed address."""
        plain = self.plain.isChecked()
        return OutgoingMessage(
            to=self.to.addresses(),
            cc=self.cc.addresses(),
            bcc=self.bcc.addresses(),
            subject=self.subject.text().strip(),
            body_text=self.body.toPlainText(),
            body_html=None if plain else self.body.toHtml(),
            attachments=(*self.attachments, *(() if plain else self._inline)),
            in_reply_to=self._original.in_reply_to,
            references=self._original.references,
            thread_id=self._original.thread_id,
        )

    def _plain_toggled(self, plain: bool) -> None:
        self.body.setAcceptRichText(not plain)
        for action in self.formatting:
            action.setEnabled(not plain)
        if plain:
            self.body.setPlainText(self.body.toPlainText())

    def _bold(self) -> None:
        bold = self.body.fontWeight() > QFont.Weight.Normal.value
        self.body.setFontWeight(QFont.Weight.Normal.value if bold else QFont.Weight.Bold.value)

    def _bullets(self) -> None:
        cursor = self.body.textCursor()
        if cursor.currentList() is None:
            cursor.createList(QTextListFormat.Style.ListDisc)

    # -- signatures ----------------------------------------------------------------------------

    def _load_signatures(self) -> None:
        store, mail = self.session.store, self.session.mail
        local = store.signatures() if store is not None else []
        self._add_signatures(local)
        if mail is not None and MailCapability.SIGNATURES in getattr(mail, "capabilities", frozenset()):
            self.context.tasks.run(mail.list_signatures(), self._add_signatures, lambda error: None)

    def _add_signatures(self, signatures: list[Signature]) -> None:
        for signature in signatures:
            self.signature.addItem(signature.name, signature)
        is_reply = self._original.in_reply_to is not None
        default = next(
            (s for s in signatures if (s.default_for_replies if is_reply else s.default_for_new)),
            None,
        )
        if default is not None and self.signature.currentData() is None and not self._body_touched:
            self.signature.setCurrentIndex(self.signature.findText(default.name))
            # The default signature is not the user's change: it must not make a draft by itself.
            self.body.blockSignals(True)
            self._insert_signature(default)
            self.body.blockSignals(False)

    def _insert_signature(self, signature: Signature | None) -> None:
        if signature is None:
            return
        cursor = self.body.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        if self.plain.isChecked() or not signature.html:
            cursor.insertText(f"\n\n{signature.text}\n")
        else:
            cursor.insertHtml(f"<br><br>{signature.html}<br>")
        cursor.movePosition(cursor.MoveOperation.Start)
        self.body.setTextCursor(cursor)

    # -- attachments ---------------------------------------------------------------------------

    def _show_attachments(self) -> None:
        self.attachment_list.clear()
        for attachment in self.attachments:
            item = QListWidgetItem(f"📎 {attachment.filename} ({len(attachment.data) // 1024 + 1} KB)")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Attachment {attachment.filename}")
            self.attachment_list.addItem(item)
        self.attachment_list.setVisible(bool(self.attachments))

    def attach_files(self, paths: list[Path]) -> None:
        for path in paths:
            if not path.is_file():
                continue
            if path.stat().st_size > MAX_ATTACHMENT_BYTES:
                self.message_bar.show_error(
                    f"{path.name} is larger than 25 MB, more than mail servers accept.",
                    hint="Share it through a cloud drive and send the link.",
                )
                continue
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.attachments.append(OutgoingAttachment(path.name, kind, path.read_bytes()))
        self._show_attachments()
        self._changed()

    def choose_attachments(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach files", str(Path.home()))
        self.attach_files([Path(n) for n in names])

    def _remove_attachment(self, item: QListWidgetItem) -> None:
        del self.attachments[self.attachment_list.row(item)]
        self._show_attachments()
        self._changed()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        self.attach_files(paths)
        event.acceptProposedAction()

    # -- drafts --------------------------------------------------------------------------------

    def _body_changed(self) -> None:
        self._body_touched = True
        self._changed()

    def _changed(self) -> None:
        self._dirty = True
        self.setWindowTitle(self.subject.text().strip() or "New message")
        self._autosave.start()

    def save_draft(self) -> None:
        """Keep the draft in the store and on the server (where drafts are supported), off the GUI thread.

        One save at a time: a save made before the first answered would create a second server draft,
        since only the answer says the draft's id."""
        try:
            message = self.outgoing()
        except ZoomclientError:
            return  # a half-typed address: the next change saves
        if self.session.store is None:
            return
        self._dirty = False
        if self._pushing:
            self._save_again = True
            return
        self._pushing = True
        store, mail = self.session.store, self.session.mail
        local_id, draft_id = self.local_draft_id, self.draft_id
        to_server = mail is not None and MailCapability.DRAFTS in getattr(mail, "capabilities", frozenset())

        async def save() -> Draft | None:
            now = dt.datetime.now(dt.UTC)
            await asyncio.to_thread(store.save_draft, Draft(local_id, message, updated=now))
            if not to_server:
                return None
            draft = await mail.save_draft(draft_id, message)
            if draft.id != local_id:  # from now on the store keeps it under the server's id
                await asyncio.to_thread(_rename_draft, store, local_id, Draft(draft.id, message, draft.message_id, now))
            return draft

        def settle() -> None:
            self._pushing = False
            if self._save_again and self.sent is None and not self.discarded:
                self._save_again = False
                self.save_draft()

        def saved(draft: Draft | None) -> None:
            if draft is not None:
                self.draft_id = self.local_draft_id = draft.id
            if self.sent is not None or self.discarded:  # the draft must not outlive the message
                self._discard_draft()
            settle()

        self.context.tasks.run(save(), saved, lambda error: settle())

    def keep_local_draft(self) -> None:
        """At exit: the draft into the store now (the loop is stopping), for File > Drafts next time."""
        if not self._dirty or self.sent is not None or self.discarded or self.session.store is None:
            return
        try:
            message = self.outgoing()
        except ZoomclientError:
            return
        self.session.store.save_draft(Draft(self.local_draft_id, message, updated=dt.datetime.now(dt.UTC)))
        self._dirty = False

    def _discard_draft(self) -> None:
        store, mail = self.session.store, self.session.mail
        local_id, draft_id = self.local_draft_id, self.draft_id

        async def discard() -> None:
            if store is not None:
                await asyncio.to_thread(store.delete_draft, local_id)
            if draft_id is not None and mail is not None:
                await mail.delete_draft(draft_id)

        self.context.tasks.run(discard(), None, lambda error: None)

    # -- sending -------------------------------------------------------------------------------

    def _ready(self) -> OutgoingMessage | None:
        try:
            message = self.outgoing()
        except ZoomclientError as error:
            self.message_bar.show_error(error)
            return None
        if not (message.to or message.cc or message.bcc):
            self.message_bar.show_error("The message has no recipient.", hint="Add an address in To, Cc or Bcc.")
            return None
        return message

    def send(self, *, send_at: dt.datetime | None = None) -> None:
        message = self._ready()
        engine = self.session.sync
        if message is None or engine is None:
            return
        self._autosave.stop()
        self.send_button.setEnabled(False)

        def queued(item: OutboxItem) -> None:
            self.sent = item
            self._discard_draft()
            self._dirty = False
            if send_at is None:
                UndoSend(self.context, self.session, item, message).start(engine.settings.undo_delay)
            else:
                when = send_at.astimezone().strftime("%a %d %b %H:%M")
                self.context.show_info(f"“{message.subject or '(no subject)'}” will be sent on {when}.")
            self.close()

        def failed(error: BaseException) -> None:
            self.send_button.setEnabled(True)
            self.message_bar.show_error(error)

        self.context.tasks.run(engine.send(message, send_at=send_at), queued, failed)

    def send_later(self) -> None:
        if self._ready() is None:
            return
        dialog = SendLaterDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.send(send_at=dialog.when())

    # -- actions -------------------------------------------------------------------------------

    def run_action(self, action: Any) -> None:
        message = self._ready()
        if message is None:
            return

        def done(result: ActionResult) -> None:
            if result.draft is not None:
                self._original = result.draft
                self._inline = tuple(a for a in result.draft.attachments if a.content_id)
                self.attachments = [a for a in result.draft.attachments if not a.content_id]
                self._fill(result.draft)

        self.context.run_action(action, ActionPlace.COMPOSER, parent=self, on_done=done, draft=message)

    def discard(self) -> None:
        """Throw the message away, with its draft here and on the server."""
        self._autosave.stop()
        self._discard_draft()
        self._dirty = False
        self.discarded = True
        self.close()

    def abandon(self) -> None:
        """Close without saving anything (the account is being signed out and wiped)."""
        self._autosave.stop()
        self._dirty = False
        self.discarded = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dirty and self.sent is None:
            self.save_draft()
            self.context.show_info("The message was kept as a draft.")
        self._autosave.stop()
        super().closeEvent(event)
        self.deleteLater()


class UndoSend(QWidget):
    """“Sending in 10 s — Undo” in the status bar for the undo delay; Undo takes the message back."""

    def __init__(self, context: ViewContext, session: AccountSession, item: OutboxItem, message: OutgoingMessage):
        super().__init__()
        self.context = context
        self.session = session
        self.item = item
        self.message = message
        self.setAccessibleName("Undo send")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.button = QPushButton("Undo")
        self.button.setAccessibleName("Undo send")
        self.button.clicked.connect(self.undo)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._left = 0
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._count_down)

    def start(self, delay: dt.timedelta) -> None:
        self._left = max(1, int(delay.total_seconds()))
        self._show_left()
        self.context.add_status_widget(self)
        self._tick.start()

    def _show_left(self) -> None:
        self.label.setText(f"Sending in {self._left} s")

    def _count_down(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._tick.stop()
            self.context.show_info(f"Sent “{self.message.subject or '(no subject)'}”.")
            self.deleteLater()
        else:
            self._show_left()

    def undo(self) -> None:
        engine = self.session.sync
        self._tick.stop()
        self.button.setEnabled(False)
        if engine is None:
            return

        def done(cancelled: bool) -> None:
            if cancelled:
                self.context.show_info("Sending cancelled; the message is back in a composer.")
                self.context.compose(self.message)
            else:
                self.context.show_error("Too late: the message was already on its way.", hint="")
            self.deleteLater()

        self.context.tasks.run(engine.cancel_send(self.item.id), done)


class SendLaterDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send later")
        self.setAccessibleName("Send later")
        self.picker = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.picker.setCalendarPopup(True)
        self.picker.setMinimumDateTime(QDateTime.currentDateTime().addSecs(60))
        self.picker.setAccessibleName("When to send")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Send the message on:"))
        layout.addWidget(self.picker)
        layout.addWidget(buttons)

    def when(self) -> dt.datetime:
        return self.picker.dateTime().toPyDateTime().astimezone(dt.UTC)


def _rename_draft(store: MailStore, old_id: str, draft: Draft) -> None:
    with store.transaction():
        store.delete_draft(old_id)
        store.save_draft(draft)

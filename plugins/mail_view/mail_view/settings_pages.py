"""Settings pages of the mail view: rules (server filters), auto-reply (out of office) and signatures."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from host.model.mail import (
    AutoReply,
    AutoReplyMode,
    FolderKind,
    Rule,
    RuleActions,
    RuleConditions,
    Signature,
)
from host.providers.mail import MailCapability
from host.ui.qt import (
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from host.providers.mail import MailProvider
    from host.ui.context import ViewContext


class _Page(QWidget):
    """A page that needs the signed-in mailbox, and a capability of its provider."""

    capability: MailCapability | None = None
    title = ""

    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        self.context = context
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(f"<h3>{self.title}</h3>")
        self.layout_.addWidget(heading)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.layout_.addWidget(self.note)

    def provider(self) -> MailProvider | None:
        session = self.context.session
        mail = session.mail if session is not None else None
        if mail is None:
            self.note.setText("Sign in to an account with mail to change this.")
            return None
        if self.capability is not None and self.capability not in mail.capabilities:
            self.note.setText(f"This account's provider has no {self.title.lower()} a client can change.")
            return None
        return mail


def _lines(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class RulesPage(_Page):
    capability = MailCapability.RULES
    title = "Rules"

    def __init__(self, context: ViewContext) -> None:
        super().__init__(context)
        self.rules: list[Rule] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Rules")
        self.layout_.addWidget(self.list, 1)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Rule name")
        self.from_contains = QLineEdit()
        self.from_contains.setAccessibleName("From contains")
        self.from_contains.setPlaceholderText("addresses or names, separated by commas")
        self.subject_contains = QLineEdit()
        self.subject_contains.setAccessibleName("Subject contains")
        self.action = QComboBox()
        self.action.setAccessibleName("Then")
        form.addRow("Name", self.name)
        form.addRow("When from contains", self.from_contains)
        form.addRow("and subject contains", self.subject_contains)
        form.addRow("Then", self.action)
        self.layout_.addLayout(form)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add rule")
        self.add_button.setAccessibleName("Add rule")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton("Delete rule")
        self.delete_button.setAccessibleName("Delete rule")
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self._fill_actions()
        self.load()

    def _fill_actions(self) -> None:
        self.action.clear()
        self.action.addItem("Archive", RuleActions(archive=True))
        self.action.addItem("Mark as read", RuleActions(mark_read=True))
        self.action.addItem("Star", RuleActions(mark_flagged=True))
        self.action.addItem("Delete", RuleActions(delete=True))
        session = self.context.session
        store = session.store if session is not None else None
        for folder in store.folders() if store is not None else []:
            if folder.kind is FolderKind.CUSTOM and not folder.hidden:
                verb = "Move to" if folder.exclusive else "Label"
                actions = (
                    RuleActions(move_to_folder_id=folder.id)
                    if folder.exclusive
                    else RuleActions(add_folder_ids=(folder.id,))
                )
                self.action.addItem(f"{verb} {folder.name}", actions)

    def load(self) -> None:
        mail = self.provider()
        enabled = mail is not None
        for widget in (self.add_button, self.delete_button, self.name, self.from_contains, self.subject_contains):
            widget.setEnabled(enabled)
        if mail is None:
            return
        self.context.tasks.run(mail.list_rules(), self._show)

    def _show(self, rules: list[Rule]) -> None:
        self.rules = list(rules)
        self.list.clear()
        for rule in self.rules:
            item = QListWidgetItem(f"{rule.name} — {_describe(rule)}")
            self.list.addItem(item)
        self.note.setText("" if self.rules else "No rules yet.")

    def add(self) -> None:
        mail = self.provider()
        if mail is None:
            return
        conditions = RuleConditions(
            from_contains=_lines(self.from_contains.text()), subject_contains=_lines(self.subject_contains.text())
        )
        if conditions == RuleConditions():
            self.context.show_error("A rule needs a condition.", hint="Fill in “from contains” or “subject contains”.")
            return
        rule = Rule(
            id=None, name=self.name.text().strip() or "Rule", conditions=conditions, actions=self.action.currentData()
        )

        def saved(_: Rule) -> None:
            self.name.clear()
            self.from_contains.clear()
            self.subject_contains.clear()
            self.context.show_info(f"Rule “{rule.name}” saved.")
            self.load()

        self.context.tasks.run(mail.save_rule(rule), saved)

    def delete(self) -> None:
        mail = self.provider()
        row = self.list.currentRow()
        if mail is None or not 0 <= row < len(self.rules) or self.rules[row].id is None:
            return
        rule = self.rules[row]
        self.context.tasks.run(mail.delete_rule(rule.id or ""), lambda _: self.load())


def _describe(rule: Rule) -> str:
    when = []
    if rule.conditions.from_contains:
        when.append("from " + " or ".join(rule.conditions.from_contains))
    if rule.conditions.subject_contains:
        when.append("subject has " + " or ".join(rule.conditions.subject_contains))
    if rule.conditions.query:
        when.append(f"matches {rule.conditions.query}")
    actions = rule.actions
    then = [
        text
        for flag, text in (
            (actions.archive, "archive"),
            (actions.mark_read, "mark read"),
            (actions.mark_flagged, "star"),
            (actions.delete, "delete"),
            (bool(actions.add_folder_ids), "label"),
            (bool(actions.move_to_folder_id), "move"),
            (bool(actions.forward_to), "forward"),
        )
        if flag
    ]
    return f"when {', '.join(when) or 'any message'}: {', '.join(then) or 'nothing'}"


class AutoReplyPage(_Page):
    capability = MailCapability.AUTO_REPLY
    title = "Auto-reply"

    def __init__(self, context: ViewContext) -> None:
        super().__init__(context)
        form = QFormLayout()
        self.mode = QComboBox()
        self.mode.setAccessibleName("Auto-reply")
        for text, mode in (
            ("Off", AutoReplyMode.DISABLED),
            ("On", AutoReplyMode.ALWAYS),
            ("Between", AutoReplyMode.SCHEDULED),
        ):
            self.mode.addItem(text, mode)
        self.start = QDateTimeEdit(QDateTime.currentDateTime())
        self.start.setCalendarPopup(True)
        self.start.setAccessibleName("From")
        self.end = QDateTimeEdit(QDateTime.currentDateTime().addDays(7))
        self.end.setCalendarPopup(True)
        self.end.setAccessibleName("Until")
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Auto-reply subject")
        self.message = QTextEdit()
        self.message.setAccessibleName("Auto-reply message")
        self.message.setAcceptRichText(False)
        form.addRow("Auto-reply", self.mode)
        form.addRow("From", self.start)
        form.addRow("Until", self.end)
        form.addRow("Subject", self.subject)
        form.addRow("Message", self.message)
        self.layout_.addLayout(form, 1)
        self.save_button = QPushButton("Save auto-reply")
        self.save_button.setAccessibleName("Save auto-reply")
        self.save_button.clicked.connect(self.save)
        self.layout_.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.mode.currentIndexChanged.connect(lambda _: self._enable())
        self.current = AutoReply()
        mail = self.provider()
        self.save_button.setEnabled(mail is not None)
        if mail is not None:
            self.context.tasks.run(mail.get_auto_reply(), self._show)
        self._enable()

    def _enable(self) -> None:
        scheduled = self.mode.currentData() is AutoReplyMode.SCHEDULED
        self.start.setEnabled(scheduled)
        self.end.setEnabled(scheduled)

    def _show(self, auto_reply: AutoReply) -> None:
        self.current = auto_reply
        self.mode.setCurrentIndex(self.mode.findData(auto_reply.mode))
        if auto_reply.start:
            self.start.setDateTime(QDateTime(auto_reply.start.astimezone().replace(tzinfo=None)))
        if auto_reply.end:
            self.end.setDateTime(QDateTime(auto_reply.end.astimezone().replace(tzinfo=None)))
        self.subject.setText(auto_reply.subject)
        self.message.setPlainText(auto_reply.internal_message or auto_reply.external_message)

    def value(self) -> AutoReply:
        mode: AutoReplyMode = self.mode.currentData()
        scheduled = mode is AutoReplyMode.SCHEDULED

        def moment(edit: QDateTimeEdit) -> dt.datetime:
            return edit.dateTime().toPyDateTime().astimezone(dt.UTC)

        text = self.message.toPlainText()
        return AutoReply(
            mode=mode,
            start=moment(self.start) if scheduled else None,
            end=moment(self.end) if scheduled else None,
            subject=self.subject.text(),
            internal_message=text,
            external_message=text,
            audience=self.current.audience,
        )

    def save(self) -> None:
        mail = self.provider()
        if mail is None:
            return
        value = self.value()
        scheduled = value.mode is AutoReplyMode.SCHEDULED and value.start is not None and value.end is not None
        if scheduled and value.end <= value.start:  # type: ignore[operator]
            self.context.show_error("The auto-reply ends before it starts.", hint="Choose an end after the start.")
            return

        def saved(result: AutoReply) -> None:
            self._show(result)
            self.context.show_info("Auto-reply saved.")

        self.context.tasks.run(mail.set_auto_reply(value), saved)


class SignaturesPage(_Page):
    """Signatures kept in the encrypted store (Graph has no signature API); a provider's own are listed."""

    title = "Signatures"

    def __init__(self, context: ViewContext) -> None:
        super().__init__(context)
        self.list = QListWidget()
        self.list.setAccessibleName("Signatures")
        self.list.currentRowChanged.connect(self._chosen)
        self.layout_.addWidget(self.list)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Signature name")
        self.text = QTextEdit()
        self.text.setAccessibleName("Signature text")
        self.text.setAcceptRichText(False)
        self.for_new = QCheckBox("Add to new messages")
        self.for_replies = QCheckBox("Add to replies and forwards")
        form.addRow("Name", self.name)
        form.addRow("Text", self.text)
        form.addRow("", self.for_new)
        form.addRow("", self.for_replies)
        self.layout_.addLayout(form, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New")
        self.save_button = QPushButton("Save signature")
        self.delete_button = QPushButton("Delete signature")
        for button, slot in (
            (self.new_button, self.new),
            (self.save_button, self.save),
            (self.delete_button, self.delete),
        ):
            button.setAccessibleName(button.text())
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.signatures: list[Signature] = []
        self.editing: str | None = None
        self.load()

    def _store(self) -> Any:
        session = self.context.session
        return session.store if session is not None else None

    def load(self) -> None:
        store = self._store()
        enabled = store is not None
        for widget in (self.new_button, self.save_button, self.delete_button, self.name, self.text):
            widget.setEnabled(enabled)
        if store is None:
            self.note.setText("Sign in to an account with mail to edit signatures.")
            return
        self.signatures = store.signatures()
        self.list.clear()
        for signature in self.signatures:
            self.list.addItem(signature.name)
        session = self.context.session
        mail = session.mail if session is not None else None
        if mail is not None and MailCapability.SIGNATURES in mail.capabilities:
            self.context.tasks.run(mail.list_signatures(), self._server_signatures, lambda error: None)
        self.new()

    def _server_signatures(self, signatures: list[Signature]) -> None:
        names = ", ".join(s.name for s in signatures)
        if names:
            self.note.setText(
                f"From the server (edit them in the provider's web settings): {names}. "
                "Signatures below are kept on this computer."
            )

    def _chosen(self, row: int) -> None:
        if not 0 <= row < len(self.signatures):
            return
        signature = self.signatures[row]
        self.editing = signature.id
        self.name.setText(signature.name)
        self.text.setPlainText(signature.text)
        self.for_new.setChecked(signature.default_for_new)
        self.for_replies.setChecked(signature.default_for_replies)

    def new(self) -> None:
        self.editing = None
        self.list.clearSelection()
        self.name.clear()
        self.text.clear()
        self.for_new.setChecked(True)
        self.for_replies.setChecked(True)

    def save(self) -> None:
        store = self._store()
        name = self.name.text().strip()
        if store is None:
            return
        if not name:
            self.context.show_error("A signature needs a name.", hint="Type a name, then save.")
            return
        text = self.text.toPlainText()
        import html

        signature = Signature(
            id=self.editing or f"local-{uuid.uuid4().hex[:12]}",
            name=name,
            text=text,
            html="<br>".join(html.escape(line) for line in text.splitlines()),
            default_for_new=self.for_new.isChecked(),
            default_for_replies=self.for_replies.isChecked(),
        )

        def saved(_: None) -> None:
            self.context.show_info(f"Signature “{name}” saved.")
            self.load()

        self.context.tasks.run(asyncio.to_thread(store.save_signature, signature), saved)

    def delete(self) -> None:
        store = self._store()
        if store is None or self.editing is None:
            return
        self.context.tasks.run(asyncio.to_thread(store.delete_signature, self.editing), lambda _: self.load())

"""The settings dialog's "Zoom" page: who is signed in to Zoom, the admin policy in force and why a feature
is off, signing in (system browser and a loopback listener, off the GUI thread, cancellable) and out.

A Zoom Mail user reads that the mail account is the Zoom sign-in: there is nothing more to sign in to,
and signing out is the account's own sign-out. The page reads the policy anew when it opens (joining the
read the account's open started, if one runs), so it shows the freshest the app has.
"""

from __future__ import annotations

import html
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from host.errors import UsageError
from host.ui.qt import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, Qt, QVBoxLayout, QWidget
from zoom_workplace.account import ACCOUNT_TYPE_NAME, ZOOM_MAIL_ACCOUNT_TYPE
from zoom_workplace.background import POLICY_READS
from zoom_workplace.session import PolicyCheck, ZoomSignIn, saved_check, sign_in, sign_out, zoom_account

if TYPE_CHECKING:
    import datetime as dt

    from host.model.account import Account
    from host.ui.context import ViewContext
    from zoom_workplace.policy import FeaturePolicy


def _when(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def describe_policy(policy: FeaturePolicy | None) -> str:
    """The policy as the page shows it (rich text): each client on or off, then why once."""
    if policy is None:
        return "Not read from Zoom yet."
    lines = [
        f"Mail client: <b>{'on' if policy.mail else 'off'}</b>",
        f"Calendar client: <b>{'on' if policy.calendar else 'off'}</b>",
    ]
    if policy.withheld():
        lines.append(f"Why: {html.escape(policy.reason)}.")
    if policy.locked:
        lines.append("Your Zoom admin locked this setting for the whole account.")
    return "<br>".join(lines)


def describe_read(checked: PolicyCheck | None) -> str:
    """When the policy was read."""
    if checked is None or checked.read_at is None:
        return ""
    return f"Read from your Zoom account on {_when(checked.read_at)}."


def describe_failure(checked: PolicyCheck | None) -> str:
    """What went wrong the last time the policy was read anew, and what holds meanwhile."""
    if checked is None or not checked.error or checked.failed_at is None:
        return ""
    kept = " The policy read before stays in force." if checked.policy is not None else ""
    return f"Reading it anew failed on {_when(checked.failed_at)}: {checked.error}{kept}"


class ZoomSettingsPage(QWidget):
    """See the module docstring. ``sign_in_task`` is the running sign-in (a future of the core's loop)."""

    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        if context.secrets is None:
            raise UsageError("The Zoom page needs the app's secret store, and this window has none.")
        self.context = context
        self.store = context.secrets
        self.sign_in_task: Future[Any] | None = None
        self.setAccessibleName("Zoom")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Zoom</h3>"))
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.who.setAccessibleName("Zoom sign-in")
        layout.addWidget(self.who)

        policy_box = QFrame()
        policy_box.setFrameShape(QFrame.Shape.StyledPanel)
        policy_layout = QVBoxLayout(policy_box)
        policy_layout.addWidget(QLabel("<b>What your Zoom admin allows</b>"))
        self.policy = QLabel()
        self.policy.setWordWrap(True)
        self.policy.setAccessibleName("Admin policy")
        self.policy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy_layout.addWidget(self.policy)
        self.checked = QLabel()
        self.checked.setWordWrap(True)
        self.checked.setAccessibleName("Admin policy read")
        policy_layout.addWidget(self.checked)
        self.failure = QLabel()
        self.failure.setWordWrap(True)
        self.failure.setTextFormat(Qt.TextFormat.PlainText)
        self.failure.setStyleSheet("color: #b00020")
        self.failure.setAccessibleName("Admin policy read failed")
        policy_layout.addWidget(self.failure)
        layout.addWidget(policy_box)

        buttons = QHBoxLayout()
        self.sign_in_button = self._button("Sign in to Zoom…", self.start_sign_in, buttons)
        self.cancel_button = self._button("Cancel sign-in", self.cancel_sign_in, buttons)
        self.check_button = self._button("Check the policy now", self.check_now, buttons)
        self.sign_out_button = self._button("Sign out of Zoom…", self.ask_sign_out, buttons)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Zoom sign-in progress")
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.show_state()
        if self.signed_in() is not None:
            self.check_now()

    def _button(self, text: str, slot: Any, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(lambda _=False: slot())
        row.addWidget(button)
        return button

    # -- what the page shows ---------------------------------------------------------------------

    def signed_in(self) -> Account | None:
        found = zoom_account(self.store, self.context.host)
        return found[1] if found is not None else None

    def show_state(self) -> None:
        account = self.signed_in()
        signing_in = self.sign_in_task is not None
        zoom_mail = account is not None and account.account_type == ZOOM_MAIL_ACCOUNT_TYPE
        if account is None:
            self.who.setText(
                "You are not signed in to Zoom. Sign in to schedule Zoom meetings, share to Team Chat, attach "
                "recordings and see your Zoom contacts; your mail account stays as it is."
            )
        elif zoom_mail:
            self.who.setText(
                f"Your Zoom Mail account <b>{html.escape(account.email)}</b> is also your Zoom sign-in: meetings, "
                "Team Chat, recordings and contacts use it, with nothing more to sign in to. You sign out of both "
                "with Sign out… in the Account menu."
            )
        else:
            name = html.escape(account.display_name or account.email)
            self.who.setText(f"Signed in to Zoom as <b>{name}</b> ({html.escape(account.email)}).")
        checked = saved_check(self.store) if account is not None else None
        self.policy.setText(describe_policy(checked.policy if checked else None) if account else "—")
        self.checked.setText(describe_read(checked))
        self.failure.setText(describe_failure(checked))
        self.failure.setVisible(bool(self.failure.text()))
        self.sign_in_button.setVisible(account is None)
        self.sign_in_button.setEnabled(not signing_in)
        self.cancel_button.setVisible(signing_in)
        self.check_button.setVisible(account is not None)
        self.sign_out_button.setVisible(account is not None and account.account_type == ACCOUNT_TYPE_NAME)

    # -- reading the policy anew -----------------------------------------------------------------

    def check_now(self) -> None:
        self.check_button.setEnabled(False)
        self.note.setText("Reading the admin policy from Zoom…")

        async def read() -> PolicyCheck | None:
            task = POLICY_READS.start(self.store, self.context.host)  # or the read running already
            return await task if task is not None else None

        def done(checked: PolicyCheck | None) -> None:
            self.check_button.setEnabled(True)
            self.note.setText("")
            self.show_state()

        def failed(error: BaseException) -> None:
            done(None)
            self.context.show_error(error)

        self.context.tasks.run(read(), done, failed)

    # -- signing in and out ----------------------------------------------------------------------

    def start_sign_in(self) -> None:
        browser, sandbox_url = self.context.sign_in_target(ACCOUNT_TYPE_NAME)
        self.note.setText(
            "Waiting for you to allow access in the browser…"
            if sandbox_url is None
            else "Signing in to the Zoom emulator…"
        )

        def done(result: ZoomSignIn) -> None:
            POLICY_READS.announce(self.store)
            self.sign_in_task = None
            self.note.setText("")
            self.show_state()
            withheld = " ".join(f"{f.value.capitalize()} is off: {why}." for f, why in result.policy.withheld())
            self.context.show_info(f"Signed in to Zoom as {result.user.email}. {withheld}".strip())

        def failed(error: BaseException) -> None:
            self.sign_in_task = None
            self.note.setText("")
            self.show_state()
            self.context.show_error(error)

        task = self.context.tasks.run(sign_in(self.store, sandbox_url=sandbox_url, open_browser=browser), done, failed)
        # A page that goes (its window closed) stops listening for the browser rather than leave a port open.
        self.destroyed.connect(lambda *_: task.cancel())
        self.sign_in_task = task
        self.show_state()

    def cancel_sign_in(self) -> None:
        """Stop waiting for the browser: the loopback listener closes, nothing is kept."""
        if self.sign_in_task is not None:
            self.sign_in_task.cancel()
            self.sign_in_task = None
        self.note.setText("Sign-in cancelled.")
        self.show_state()

    def ask_sign_out(self) -> None:
        account = self.signed_in()
        if account is None or account.account_type != ACCOUNT_TYPE_NAME:
            return
        answer = QMessageBox.question(
            self,
            "Sign out of Zoom",
            f"Sign out of Zoom ({account.email})?\n\nzoomclient forgets the Zoom sign-in and the admin policy "
            "read with it on this computer; Zoom meetings, Team Chat, recordings and contacts stop working until "
            "you sign in again. Your mail account stays signed in.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        signed_out = sign_out(self.store)
        POLICY_READS.announce(self.store)
        self.show_state()
        if signed_out is not None:
            self.context.show_info(f"Signed out of Zoom ({signed_out.email}).")

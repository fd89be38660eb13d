"""The status bar's "Zoom: …": who is signed in to Zoom, and when the admin turned a client off or the
policy could not be read anew, that too; the tooltip holds the policy and when it was read. It follows
the background reads (:mod:`zoom_workplace.background`) and the Zoom page's sign-in and sign-out, and
when what they brought turns off (or back on) a feature of the open account, it has the shell reopen
the account, so that the policy holds at once (promise 6)."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING

from host.errors import UsageError
from host.ui.qt import QLabel, pyqtSignal
from zoom_workplace.account import ZOOM_MAIL_ACCOUNT_TYPE
from zoom_workplace.background import POLICY_READS
from zoom_workplace.session import saved_check, zoom_account
from zoom_workplace.settings_page import describe_failure, describe_policy, describe_read

if TYPE_CHECKING:
    from host.secrets import SecretStore
    from host.ui.context import ViewContext

#: Where the user goes to do something about what the widget says.
WHERE = "the Zoom page of File → Settings…"


def _plain(rich: str) -> str:
    return re.sub(r"<[^>]+>", "", rich.replace("<br>", "\n"))


class ZoomStatus(QLabel):
    """See the module docstring."""

    _changed = pyqtSignal()  # from whichever thread a read ended on, queued into the GUI thread

    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        if context.secrets is None:
            raise UsageError("The Zoom status needs the app's secret store, and this window has none.")
        self.context = context
        self.store = context.secrets
        self.setAccessibleName("Zoom status")
        self._changed.connect(self._policy_changed)
        self.destroyed.connect(POLICY_READS.subscribe(self._heard))
        context.signals.account_changed.connect(self._account_changed)
        self.refresh()

    def _heard(self, store: SecretStore) -> None:
        if store is self.store:
            with contextlib.suppress(RuntimeError):  # the widget went with its window
                self._changed.emit()

    def _account_changed(self, session: object) -> None:
        self.refresh()

    def _policy_changed(self) -> None:
        self.refresh()
        if self._restrictions_changed():
            self.context.show_info("What your Zoom admin allows has changed: zoomclient reopens your account.")
            self.context.reopen_account()

    def _restrictions_changed(self) -> bool:
        """Whether the open account would open with other features off now (asked as the host asks)."""
        from host.accounts import Accounts

        session = self.context.session
        if session is None:
            return False
        before = {restriction.feature for restriction in session.restrictions}
        granted = session.account.features | before
        now = {r.feature for r in Accounts(self.context.host, self.store).restrictions() if r.feature in granted}
        return now != before

    def refresh(self) -> None:
        found = zoom_account(self.store, self.context.host)
        if found is None:
            self.setText("Zoom: not signed in")
            self.setStyleSheet("")
            self.setToolTip(f"Sign in to Zoom for meetings, Team Chat, recordings and contacts on {WHERE}")
            return
        account = found[1]
        who = account.display_name or account.email
        if account.account_type == ZOOM_MAIL_ACCOUNT_TYPE:
            who += " (your Zoom Mail sign-in)"
        checked = saved_check(self.store)
        parts = [f"Zoom: {who}"]
        policy = checked.policy if checked is not None else None
        if policy is not None and policy.withheld():
            parts.append(f"{' and '.join(f.value for f, _ in policy.withheld())} off by your admin")
        failed = bool(checked is not None and checked.error)
        if failed:
            parts.append("policy not read anew")
        self.setText(" · ".join(parts))
        self.setStyleSheet("color: #b00020" if failed else "")
        details = (_plain(describe_policy(policy)), describe_read(checked), describe_failure(checked))
        self.setToolTip("\n".join([*(line for line in details if line), f"More on {WHERE}"]))

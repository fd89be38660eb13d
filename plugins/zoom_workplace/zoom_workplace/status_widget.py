"""The status bar's "Zoom: …": who is signed in to Zoom, and when the admin turned a client off or the
policy could not be read anew, that too; the tooltip holds the policy and when it was read. It follows
the background reads (:mod:`zoom_workplace.background`) and the Zoom page's sign-in and sign-out."""

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
WHERE = "File › Settings › Zoom"


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
        self._changed.connect(self.refresh)
        self.destroyed.connect(POLICY_READS.subscribe(self._heard))
        context.signals.account_changed.connect(self._account_changed)
        self.refresh()

    def _heard(self, store: SecretStore) -> None:
        if store is self.store:
            with contextlib.suppress(RuntimeError):  # the widget went with its window
                self._changed.emit()

    def _account_changed(self, session: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        found = zoom_account(self.store, self.context.host)
        if found is None:
            self.setText("Zoom: not signed in")
            self.setStyleSheet("")
            self.setToolTip(f"Sign in to Zoom for meetings, Team Chat, recordings and contacts: {WHERE}.")
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
        self.setToolTip("\n".join([*(line for line in details if line), f"More: {WHERE}."]))

"""The app says why a feature is off: the shell's view context shows the session's restrictions once,
when the account opens (offscreen Qt)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from host.accounts import Accounts, AccountSession
from host.model.account import Account
from zoom_workplace import plugin as zoom_workplace_plugin


class Sink:
    def __init__(self) -> None:
        self.infos: list[str] = []

    def show_info(self, text: str, *, action=None) -> None:
        self.infos.append(text)

    def show_error(self, error, *, hint=None) -> None:
        raise AssertionError(f"no error expected: {error}")


async def test_the_shell_says_why_when_the_account_opens(qapp, tmp_path, make_host, zoom_sign_in, store) -> None:
    from host.ui.context import ShellSignals, ViewContext
    from host.ui.qt import QSettings

    await zoom_sign_in("eve.edu@school.example.edu", store)
    host = make_host(zoom_workplace_plugin)
    restrictions = tuple(Accounts(host, store).restrictions())
    sink = Sink()
    signals = ShellSignals()
    context = ViewContext(
        host=host,
        tasks=None,
        signals=signals,
        messages=sink,
        action_ui=lambda parent: None,
        compose=lambda *args, **kwargs: None,
        add_status_widget=lambda widget: None,
        show_view=lambda view_id: False,
        notify_desktop=lambda title, text: None,
        layout=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat),
    )
    account = Account("eve.edu@school.example.edu", "testmail", features=frozenset())
    signals.account_changed.emit(AccountSession(account, connection=None, restrictions=restrictions))
    assert sink.infos == [
        "Mail is off: off by default for Education accounts until your Zoom admin enables it. "
        "The calendar is off: off by default for Education accounts until your Zoom admin enables it."
    ]
    signals.account_changed.emit(AccountSession(account, connection=None))
    signals.account_changed.emit(None)
    assert len(sink.infos) == 1 and context.session is None

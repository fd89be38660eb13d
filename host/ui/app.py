"""Starting the desktop app: the QApplication, the core's loop thread, the main window."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING

from host.ui.loop import LoopThread
from host.ui.qt import QSettings
from host.ui.window import MainWindow, application

if TYPE_CHECKING:
    from host.app import Host
    from host.secrets import SecretStore
    from host.sync import SyncSettings


def open_window(
    host: Host,
    secrets: SecretStore,
    *,
    loop: LoopThread | None = None,
    settings: QSettings | None = None,
    sync_settings: SyncSettings | None = None,
    sandbox_urls: dict[str, str] | None = None,
    open_browser: Callable[[str], object] = webbrowser.open,
    sign_in: str | None = None,
) -> MainWindow:
    """Build and show the main window and open the signed-in account, if there is one; with ``sign_in``
    (an account type) and nobody signed in, sign in to it first (the demo, against its emulator)."""
    from host.accounts import Accounts

    application()
    loop = loop or LoopThread().start()
    window = MainWindow(
        host,
        Accounts(host, secrets),
        loop,
        settings=settings,
        sync_settings=sync_settings,
        sandbox_urls=sandbox_urls,
        open_browser=open_browser,
    )
    window.show()
    if sign_in is not None and window.accounts.current() is None:
        window.sign_in(sign_in)
    else:
        window.open_account()
    return window


def run(host: Host, secrets: SecretStore, **options: object) -> int:
    """Run the app until its window closes; returns the exit status. The host starts first (plugins hear
    ``host_started``; the demo may have started it already) and stops at the end."""
    app = application()
    loop = LoopThread().start()
    host.start()
    try:
        window = open_window(host, secrets, loop=loop, **options)  # type: ignore[arg-type]
        status = app.exec()
        window.deleteLater()
        return status
    finally:
        host.stop()
        loop.stop()

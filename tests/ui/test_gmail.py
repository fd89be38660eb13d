"""The window on the Gmail emulator (a labels provider with its own ids): listing, reading, archiving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mail_view.plugin as mail_view_plugin
import pytest

from host.model.mail import FolderKind
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from host.sync import SyncSettings
from host.ui.qt import QSettings

gmail_plugin = pytest.importorskip("provider_gmail.plugin")


@pytest.fixture
def gmail_server() -> Iterator[ServerThread]:
    with ServerThread(gmail_plugin.create_emulator(SandboxOptions(messages=30, events=5)), name="gmail") as server:
        yield server


def test_the_mail_view_works_on_gmail(qtbot, make_host, loop, gmail_server, tmp_path: Path) -> None:
    from host.ui.app import open_window

    host = make_host(gmail_plugin, mail_view_plugin)
    host.data_dir = tmp_path / "data"
    window = open_window(
        host,
        MemorySecretStore(),
        loop=loop,
        settings=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat),
        sync_settings=SyncSettings(poll_interval=3600),
        sandbox_urls={"gmail": gmail_server.url},
        sign_in="gmail",
    )
    qtbot.addWidget(window)
    mail = window.main_views["mail"]
    try:
        qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0, timeout=30000)
        store = window.session.store
        inbox = store.folder_by_kind(FolderKind.INBOX)
        assert [r.id for r in mail.model.rows] == [m.id for m in store.list_messages(inbox.id, limit=100)]

        flags = mail.table.selectionModel().SelectionFlag
        mail.table.selectionModel().setCurrentIndex(mail.model.index(0, 0), flags.ClearAndSelect | flags.Rows)
        qtbot.waitUntil(lambda: mail.reader.message is not None)
        assert mail.reader.plain_text().strip()
        first = mail.reader.message.id

        mail.archive()
        qtbot.waitUntil(lambda: mail.model.row_of(first) is None)
        assert inbox.id not in store.get_message(first).folder_ids
    finally:
        window.close()

"""Desktop app figures: time to the main window, to open a 100,000-message folder, and per scroll step.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_bench.py [--messages 100000]

- window: the main window built and shown (no account), then with the signed-in account reopened on an
  already synced store until the first inbox page is listed (what a user waits for at start);
- open folder: the message list pointed at a folder of ``--messages`` messages until its first page is
  in the model (one keyset page; the folder's size should not matter);
- scroll step: one step of scrolling to the bottom of what is loaded, which reads and inserts the next
  page; and one keyboard step (``j``) through loaded rows.

Prints the figures and one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "testprovider"))

import mail_view.plugin as mail_view_plugin  # noqa: E402
from mail_view.listmodel import MessageListModel  # noqa: E402
from mail_view.view import MessageTable  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.accounts import Accounts  # noqa: E402
from host.app import Host  # noqa: E402
from host.model.mail import Address, Folder, FolderKind, Message  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from host.store import MailStore, new_key  # noqa: E402
from host.sync import SyncSettings  # noqa: E402
from host.ui.app import open_window  # noqa: E402
from host.ui.loop import LoopThread  # noqa: E402
from host.ui.qt import QApplication, QKeyEvent, QModelIndex, QSettings, Qt  # noqa: E402
from host.ui.window import MainWindow, application  # noqa: E402


def wait(condition, timeout: float = 60.0) -> None:
    app = QApplication.instance()
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.001)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def window_figures(folder: Path) -> dict[str, float]:
    """Time to a bare window, and to the first inbox page of a synced account at start."""
    host = Host.from_plugins([testmail_plugin, mail_view_plugin], data_dir=folder / "data")
    host.start()
    secrets = MemorySecretStore()
    settings = QSettings(str(folder / "layout.ini"), QSettings.Format.IniFormat)
    loop = LoopThread().start()
    emulator = TestMailEmulator(SandboxOptions(messages=2000, events=0))
    quiet = SyncSettings(poll_interval=3600)
    try:
        with ServerThread(emulator, name="testmail") as server:
            urls = {names.ACCOUNT_TYPE: server.url}
            started = time.perf_counter()
            bare = MainWindow(host, Accounts(host, secrets), loop, settings=settings)
            bare.show()
            QApplication.instance().processEvents()
            bare_s = time.perf_counter() - started
            bare.close()

            first = open_window(
                host,
                secrets,
                loop=loop,
                settings=settings,
                sandbox_urls=urls,
                sign_in=names.ACCOUNT_TYPE,
                sync_settings=quiet,
            )
            wait(lambda: first.sync_label.text() == "Up to date" and first.main_views["mail"].model.rowCount() > 0)
            first.close()

            started = time.perf_counter()
            again = open_window(host, secrets, loop=loop, settings=settings, sandbox_urls=urls, sync_settings=quiet)
            wait(lambda: again.main_views["mail"].model.rowCount() > 0)
            listed_s = time.perf_counter() - started
            again.close()
    finally:
        loop.stop()
        host.stop()
    return {"bare_window_ms": ms(bare_s), "window_with_inbox_ms": ms(listed_s)}


def big_store(path: Path, count: int) -> MailStore:
    store = MailStore.open(path, new_key())
    store.replace_folders([Folder("INBOX", "Inbox", FolderKind.INBOX)])
    sender = Address("ana@example.com", "Ana Müller")
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    # One transaction per batch: a single transaction over 100,000 rows is several times slower.
    for start in range(0, count, 5000):
        store.upsert_messages(
            [
                Message(
                    id=f"m{i:07d}",
                    thread_id=f"t{i // 3:07d}",
                    subject=f"Quarterly numbers, part {i}",
                    sender=sender,
                    date=base + dt.timedelta(minutes=i),
                    folder_ids=("INBOX",),
                    snippet="Here are the figures we talked about",
                )
                for i in range(start, min(start + 5000, count))
            ]
        )
    return store


def list_figures(store: MailStore, runs: int = 30, steps: int = 50) -> dict[str, float]:
    model = MessageListModel()
    table = MessageTable(model)
    table.resize(900, 700)
    table.show()
    app = QApplication.instance()
    app.processEvents()

    def pager(before, limit):
        return store.list_messages("INBOX", limit=limit, before=before)

    opens = []
    for _ in range(runs):
        model.set_source(None)
        started = time.perf_counter()
        model.set_source(pager)
        app.processEvents()
        opens.append(time.perf_counter() - started)

    scrolls = []
    for _ in range(steps):
        before = model.rowCount()
        started = time.perf_counter()
        table.scrollToBottom()
        app.processEvents()
        if model.rowCount() == before and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        scrolls.append(time.perf_counter() - started)

    table.setFocus()
    table.selectRow(0)
    keys = []
    for _ in range(steps):
        started = time.perf_counter()
        press = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier)
        app.sendEvent(table, press)
        app.processEvents()
        keys.append(time.perf_counter() - started)

    page_reads = []
    middle = model.rows[len(model.rows) // 2]
    for _ in range(runs):
        started = time.perf_counter()
        store.list_messages("INBOX", limit=100, before=(middle.date, middle.id))
        page_reads.append(time.perf_counter() - started)
    table.close()

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95) - 1]

    return {
        "open_folder_median_ms": ms(statistics.median(opens)),
        "open_folder_p95_ms": ms(p95(opens)),
        "scroll_step_median_ms": ms(statistics.median(scrolls)),
        "scroll_step_p95_ms": ms(p95(scrolls)),
        "key_step_median_ms": ms(statistics.median(keys)),
        "page_read_median_ms": ms(statistics.median(page_reads)),
        "rows_loaded_after_scrolling": model.rowCount(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000, help="messages in the big folder")
    args = parser.parse_args()
    application()
    with tempfile.TemporaryDirectory(prefix="zoomclient-ui-bench-") as name:
        folder = Path(name)
        figures: dict[str, float] = {}
        figures.update(window_figures(folder))
        started = time.perf_counter()
        store = big_store(folder / "big.db", args.messages)
        build_s = time.perf_counter() - started
        try:
            figures.update(list_figures(store))
        finally:
            store.close()
    figures["messages"] = args.messages
    print(f"main window, no account:           {figures['bare_window_ms']:8.1f} ms")
    print(f"main window to first inbox page:   {figures['window_with_inbox_ms']:8.1f} ms   (target 1500)")
    print(f"store of {args.messages:,} messages built in {build_s:.1f} s")
    opened = f"{figures['open_folder_median_ms']:.2f} / {figures['open_folder_p95_ms']:.2f}"
    print(f"open the folder (median / p95):    {opened} ms   (target 50)")
    scrolled = f"{figures['scroll_step_median_ms']:.2f} / {figures['scroll_step_p95_ms']:.2f}"
    print(f"scroll step, next page (med / p95): {scrolled} ms")
    print(f"keyboard step (median):            {figures['key_step_median_ms']:8.2f} ms")
    print(f"one 100-row keyset page read:      {figures['page_read_median_ms']:8.2f} ms")
    print(json.dumps({"benchmark": "ui", **figures}))


if __name__ == "__main__":
    main()

"""The settings dialog's "Zoom" page in the real window (offscreen Qt) against the Zoom and TestMail
emulators: sign in (off the GUI thread, unattended consent against the emulator), what the admin
allows and why, a read that failed, cancelling a sign-in, signing out (asked first), and a Zoom Mail
user, whose mail account is the Zoom sign-in."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from testprovider import plugin as testmail_plugin

from host.model.account import Feature
from zoom_workplace import plugin as zoom_workplace_plugin
from zoom_workplace.background import POLICY_READS
from zoom_workplace.session import RECORD_NAME, saved_check, saved_policy
from zoom_workplace.status_widget import ZoomStatus

ARTIFACTS = Path(__file__).parent / "artifacts"
BO = "bo.business@business.example.com"  # Business: both clients off by default


@pytest.fixture
def open_window(qtbot, make_host, loop, store, tmp_path):
    """``open_window(account_type, url, zoom_url=None, **options)``: the app signed in to ``account_type``."""
    from host.ui.app import open_window as open_app
    from host.ui.qt import QSettings

    windows = []

    def open_(account_type: str, url: str, *plugins, zoom_url: str | None = None, **options):
        host = make_host(*plugins, zoom_workplace_plugin)
        host.data_dir = tmp_path / "data"
        urls = {account_type: url, **({"zoom": zoom_url} if zoom_url else {})}
        window = open_app(
            host,
            store,
            loop=loop,
            settings=QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat),
            sandbox_urls=urls,
            sign_in=account_type,
            **options,
        )
        qtbot.addWidget(window)
        windows.append(window)
        qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
        return window

    yield open_
    # A read of the policy the last (re)open started ends before its loop does, or it is cut off mid-connect.
    qtbot.waitUntil(lambda: POLICY_READS.running(store) is None, timeout=20000)
    for window in windows:
        window.close()


def zoom_page(window):
    from host.ui.settings import SettingsDialog

    dialog = SettingsDialog(window.context, window)
    return dialog, dialog.page("zoom.account")


def save(widget, name: str) -> Path:
    from host.ui.qt import QApplication

    QApplication.processEvents()  # the layout takes in the page's last texts before the grab
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def settle(qtbot, page) -> None:
    """Until the page has no read of the policy or sign-in running."""
    qtbot.waitUntil(lambda: page.check_button.isEnabled() and page.sign_in_task is None, timeout=20000)


def test_sign_in_shows_who_and_what_the_admin_allows_then_sign_out_asks_first(
    qtbot, open_window, testmail_url, zoom_url, store, emulator, monkeypatch
) -> None:
    from host.ui.qt import QMessageBox

    window = open_window("testmail", testmail_url, testmail_plugin, zoom_url=zoom_url)
    status = window.findChild(ZoomStatus)
    assert status.text() == "Zoom: not signed in" and "the Zoom page of File → Settings…" in status.toolTip()
    dialog, page = zoom_page(window)
    dialog.show()
    assert "not signed in to Zoom" in page.who.text()
    assert page.sign_in_button.isVisible() and not page.sign_out_button.isVisible()

    # Bo is the emulator's only business user the unattended consent picks through login_hint: the page
    # signs in as whoever Zoom says; give the emulator Bo first.
    emulator.oauth.users.insert(0, next(u for u in emulator.oauth.users if u.email == BO))
    qtbot.mouseClick(page.sign_in_button, qtbot_left())
    qtbot.waitUntil(lambda: store.get(RECORD_NAME) is not None and page.sign_in_task is None, timeout=20000)
    settle(qtbot, page)

    assert "Signed in to Zoom as <b>Bo Business</b>" in page.who.text()
    assert "Mail client: <b>off</b><br>Calendar client: <b>off</b>" in page.policy.text()
    assert "Why: off by default for Business accounts until your Zoom admin enables it." in page.policy.text()
    assert "Read from your Zoom account on" in page.checked.text() and not page.failure.isVisible()
    # The admin turned off what the open account has: the shell reopens it without them.
    qtbot.waitUntil(lambda: window.session is not None and not window.session.account.features, timeout=20000)
    assert window.sync_label.text() == "Mail is off for this account"
    assert message_text(window).startswith("Mail is off: off by default for Business accounts"), "and says why"
    assert page.sign_out_button.isVisible() and not page.sign_in_button.isVisible()
    save(dialog, "zoom_settings_signed_in")
    assert status.text() == "Zoom: Bo Business · mail and calendar off by your admin"
    assert "Why: off by default for Business accounts" in status.toolTip()

    # A read that fails: the policy read before stays, and the page says why. (The reopened account's own
    # read ends first, or the check would join it.)
    qtbot.waitUntil(lambda: POLICY_READS.running(store) is None, timeout=20000)
    emulator.oauth.revoke_all(BO)
    qtbot.mouseClick(page.check_button, qtbot_left())
    settle(qtbot, page)
    assert page.failure.isVisible() and page.failure.text().startswith("Reading it anew failed on")
    assert "Zoom refused the sign-in" in page.failure.text() and "stays in force" in page.failure.text()
    assert saved_policy(store) is not None and not saved_policy(store).mail
    save(dialog, "zoom_settings_read_failed")
    qtbot.waitUntil(lambda: status.text().endswith("· policy not read anew"), timeout=5000)
    assert "Zoom refused the sign-in" in status.toolTip()
    save(window, "zoom_status_read_failed")

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Cancel
    )
    qtbot.mouseClick(page.sign_out_button, qtbot_left())
    assert asked and "Your mail account stays signed in" in asked[0]
    assert store.get(RECORD_NAME) is not None, "cancelled: still signed in"
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.sign_out_button, qtbot_left())
    assert store.get(RECORD_NAME) is None and saved_check(store) is None
    assert "not signed in to Zoom" in page.who.text() and page.sign_in_button.isVisible()
    assert status.text() == "Zoom: not signed in"
    # The mail account stays signed in, and reopens without the restrictions of the Zoom sign-in that went.
    both = {Feature.MAIL, Feature.CALENDAR}
    qtbot.waitUntil(lambda: window.session is not None and window.session.account.features == both, timeout=20000)
    dialog.close()


async def test_the_app_reads_the_policy_anew_when_it_opens_the_account_and_the_status_follows(
    qtbot, open_window, testmail_url, zoom_sign_in, store, emulator
) -> None:
    await zoom_sign_in("bea.basic@example.org", store)  # Basic: on by default, saved so
    emulator.state.accounts["acc-basic"].settings = {"zoom_mail_calendar": {"calendar_client": False}}

    import mail_view.plugin as mail_view_plugin

    window = open_window("testmail", testmail_url, testmail_plugin, mail_view_plugin)
    status = window.findChild(ZoomStatus)
    qtbot.waitUntil(lambda: "calendar off by your admin" in status.text(), timeout=20000)
    assert status.text() == "Zoom: Bea Basic · calendar off by your admin"
    assert not saved_policy(store).calendar
    # The fresh policy came after the account opened with the saved one: the account is reopened without it.
    qtbot.waitUntil(lambda: window.session is not None and window.session.calendars is None, timeout=20000)
    assert window.session.account.features == {Feature.MAIL} and window.session.mail is not None
    (restriction,) = window.session.restrictions
    assert str(restriction) == "The calendar is off: turned off by your Zoom admin for the account."
    mail = window.main_views["mail"]
    qtbot.waitUntil(lambda: window.sync_label.text() == "Up to date" and mail.model.rowCount() > 0, timeout=20000)
    save(window, "zoom_status_after_start")


def test_a_sign_in_waiting_for_the_browser_can_be_cancelled(qtbot, open_window, testmail_url, store) -> None:
    opened: list[str] = []  # the system browser, whose user never comes back
    window = open_window("testmail", testmail_url, testmail_plugin, open_browser=opened.append)
    dialog, page = zoom_page(window)
    dialog.show()
    qtbot.mouseClick(page.sign_in_button, qtbot_left())
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert page.cancel_button.isVisible() and not page.sign_in_button.isEnabled()
    assert page.note.text() == "Waiting for you to allow access in the browser…"
    query = parse_qs(urlsplit(opened[0]).query)
    assert opened[0].startswith("https://zoom.us/oauth/authorize") and query["code_challenge_method"] == ["S256"]
    listener = urlsplit(query["redirect_uri"][0])

    qtbot.mouseClick(page.cancel_button, qtbot_left())
    assert page.note.text() == "Sign-in cancelled." and page.sign_in_button.isEnabled()

    def listener_closed() -> bool:
        # Binding the port, not connecting to it: a connection the listener takes as it closes is left open
        # by Python 3.11's asyncio (its Server._attach asserts), for the garbage collector to warn about.
        with socket.socket() as probe:
            try:
                probe.bind((listener.hostname, listener.port))
            except OSError:
                return False
            return True

    qtbot.waitUntil(listener_closed, timeout=10000)
    assert store.get(RECORD_NAME) is None
    dialog.close()


def test_a_zoom_mail_user_reads_that_the_mail_account_is_the_zoom_sign_in(
    qtbot, open_window, zoommail_url, store
) -> None:
    from provider_zoommail import plugin as zoommail_plugin

    window = open_window("zoommail", zoommail_url, zoommail_plugin)
    dialog, page = zoom_page(window)
    dialog.show()
    settle(qtbot, page)
    assert "Your Zoom Mail account <b>alex.morgan@example.com</b> is also your Zoom sign-in" in page.who.text()
    assert not page.sign_in_button.isVisible() and not page.sign_out_button.isVisible()
    assert "Mail client: <b>on</b>" in page.policy.text() and "Calendar client: <b>on</b>" in page.policy.text()
    assert saved_check(store).email == "alex.morgan@example.com"
    assert POLICY_READS.running(store) is None
    save(dialog, "zoom_settings_zoom_mail")
    dialog.close()
    status = window.findChild(ZoomStatus)
    assert status.text() == "Zoom: Alex Morgan (your Zoom Mail sign-in)"

    window.sign_out()  # the account's own sign-out is the Zoom sign-out
    qtbot.waitUntil(lambda: status.text() == "Zoom: not signed in", timeout=20000)
    assert saved_check(store) is None


def qtbot_left():
    from host.ui.qt import Qt

    return Qt.MouseButton.LeftButton


def message_text(window) -> str:
    from host.ui.qt import QLabel

    return " ".join(label.text() for label in window.message_bar.findChildren(QLabel))

"""The main window and the mail view against the TestMail emulator: listing, reading, shortcuts, changes."""

from __future__ import annotations

from pathlib import Path

from ui_support import (
    HOSTILE_SUBJECT,
    INVITE_SUBJECT,
    KNOWN_EVENT_ID,
    KNOWN_INVITE_SUBJECT,
    SCRIPT_TEXT,
    choose_row,
    screenshot,
    select_subject,
)

from host.model.calendar import ResponseStatus
from host.model.mail import Address, FolderKind
from host.ui.qt import QModelIndex, QPushButton, Qt


def inbox_ids(emulator) -> set[str]:
    return {m.id for m in emulator.state.messages.values() if "INBOX" in m.folder_ids}


def test_the_window_opens_signed_in_with_the_inbox_listed(window, mail, emulator) -> None:
    store = window.session.store
    inbox = store.folder_by_kind(FolderKind.INBOX)

    assert window.pages.currentWidget() is window.views
    assert emulator.state.owner.email in window.windowTitle()
    assert mail.folder_id == inbox.id
    listed = {row.id for row in mail.model.rows}
    assert listed == inbox_ids(emulator)
    assert mail.model.rows[0].subject == HOSTILE_SUBJECT  # newest first
    assert mail.count_label.text().startswith(f"{len(listed)} messages")
    assert mail.folders.currentItem().text(0).startswith("Inbox")
    assert mail.reader.message is None  # opening the inbox reads nothing for the user
    screenshot(window, "main-window")


def test_the_reader_blocks_scripts_and_remote_content_and_shows_cid_images(qtbot, mail, tracker) -> None:
    tracker_app, tracker_url = tracker
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    reader = mail.reader
    qtbot.waitUntil(lambda: reader.remote_bar.isVisible())

    text = reader.plain_text()
    assert "Your invoice is ready" in text and "Regards" in text
    assert SCRIPT_TEXT not in text
    html = reader.browser.toHtml()
    assert "javascript:" not in html and "<script" not in html.lower() and tracker_url not in html
    qtbot.waitUntil(lambda: any(url.startswith("cid:") for url in reader.browser.requested))  # laid out
    assert not [url for url in reader.browser.requested if url.startswith("http")]
    assert reader.inline_image("logo@shady.example") is not None
    assert not reader.inline_image("logo@shady.example").isNull()
    assert "blocked" in reader.remote_bar.label.text()
    assert tracker_app.hits == []
    screenshot(mail.window(), "reader-hostile-mail")

    reader.show_remote_button.click()

    qtbot.waitUntil(lambda: "/pixel.png" in tracker_app.hits, timeout=10000)
    qtbot.waitUntil(lambda: f"{tracker_url}/pixel.png?who=alex" in reader.remote_images)
    assert not reader.remote_bar.isVisible()
    assert "/frame.html" not in tracker_app.hits and "/steal" not in tracker_app.hits
    assert SCRIPT_TEXT not in reader.plain_text()


def test_remote_content_allowed_for_a_sender_is_remembered_in_the_store(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    qtbot.waitUntil(lambda: mail.reader.remote_bar.isVisible())

    mail.reader.always_button.click()

    qtbot.waitUntil(lambda: window.session.store.get_state("ui/remote-content/billing@shady.example") == "allow")
    assert not mail.reader.remote_bar.isVisible()
    mail.reader.show_message(None)
    select_subject(qtbot, mail, INVITE_SUBJECT)
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    assert not mail.reader.remote_bar.isVisible()


def test_opening_a_message_marks_it_read(qtbot, window, mail, emulator) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    message_id = mail.reader.message.id

    qtbot.waitUntil(lambda: not emulator.state.messages[message_id].unread, timeout=10000)
    qtbot.waitUntil(lambda: not mail.model.rows[mail.model.row_of(message_id)].unread)


def test_j_and_k_move_through_the_list(qtbot, mail) -> None:
    mail.table.setFocus()

    qtbot.keyClick(mail.table, Qt.Key.Key_J)
    assert mail.table.currentIndex().row() == 0
    qtbot.keyClick(mail.table, Qt.Key.Key_J)
    qtbot.keyClick(mail.table, Qt.Key.Key_J)
    assert mail.table.currentIndex().row() == 2
    qtbot.keyClick(mail.table, Qt.Key.Key_K)
    assert mail.table.currentIndex().row() == 1
    qtbot.waitUntil(lambda: mail.reader.message is not None and mail.reader.message.id == mail.model.rows[1].id)


def test_s_stars_and_e_archives_with_undo(qtbot, window, mail, emulator) -> None:
    select_subject(qtbot, mail, INVITE_SUBJECT)
    message_id = mail.reader.message.id
    mail.table.setFocus()

    qtbot.keyClick(mail.table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: emulator.state.messages[message_id].flagged, timeout=10000)
    assert "★" in mail.model.data(mail.model.index(mail.model.row_of(message_id), 0))

    qtbot.keyClick(mail.table, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: mail.model.row_of(message_id) is None)
    qtbot.waitUntil(lambda: "INBOX" not in emulator.state.messages[message_id].folder_ids, timeout=10000)
    bar = window.message_bar
    assert bar.isVisible() and bar.message() == "Archived 1 message."

    bar.action_button.click()  # Undo
    qtbot.waitUntil(lambda: mail.model.row_of(message_id) is not None)
    qtbot.waitUntil(lambda: "INBOX" in emulator.state.messages[message_id].folder_ids, timeout=10000)


def test_delete_moves_the_selection_to_the_trash(qtbot, window, mail, emulator) -> None:
    choose_row(mail.table, 1)
    mail.table.selectionModel().select(
        mail.model.index(2, 0),
        mail.table.selectionModel().SelectionFlag.Select | mail.table.selectionModel().SelectionFlag.Rows,
    )
    ids = mail.selected_ids()
    assert len(ids) == 2
    mail.table.setFocus()

    qtbot.keyClick(mail.table, Qt.Key.Key_NumberSign, Qt.KeyboardModifier.ShiftModifier)  # Shift+3, US layout

    qtbot.waitUntil(lambda: all(mail.model.row_of(i) is None for i in ids))
    qtbot.waitUntil(lambda: all("TRASH" in emulator.state.messages[i].folder_ids for i in ids), timeout=10000)
    assert window.message_bar.message() == "Moved 2 messages to the trash."


def test_slash_focuses_search_and_results_come_as_you_type(qtbot, mail) -> None:
    mail.table.setFocus()
    qtbot.keyClick(mail.table, Qt.Key.Key_Slash)
    assert mail.search.hasFocus()

    qtbot.keyClicks(mail.search, "from:billing@shady.example")

    qtbot.waitUntil(lambda: [r.subject for r in mail.model.rows] == [HOSTILE_SUBJECT])
    assert mail.count_label.text() == "1 found"
    qtbot.keyClick(mail.search, Qt.Key.Key_Return)
    assert mail.table.hasFocus()
    mail.search.clear()
    qtbot.waitUntil(lambda: len(mail.model.rows) > 1)


def test_conversations_group_the_list_by_thread(qtbot, window, mail) -> None:
    store = window.session.store
    messages = len(mail.model.rows)

    mail.threads.setChecked(True)

    threads = store.list_threads(mail.folder_id, limit=100)
    assert [row.id for row in mail.model.rows] == [t.id for t in threads]
    assert len(mail.model.rows) <= messages
    multi = next((i for i, t in enumerate(threads) if len(t.message_ids) > 1), None)
    if multi is not None:
        choose_row(mail.table, multi)
        qtbot.waitUntil(lambda: mail.conversation.isVisible())
        assert mail.conversation.count() == len(store.thread_messages(threads[multi].id))


def test_switching_folders_lists_that_folder(qtbot, window, mail) -> None:
    store = window.session.store
    sent = store.folder_by_kind(FolderKind.SENT)

    mail.folders.select(sent.id)

    assert mail.folder_id == sent.id
    assert [r.id for r in mail.model.rows] == [m.id for m in store.list_messages(sent.id, limit=100)]
    assert not mail.model.canFetchMore(QModelIndex()) or len(mail.model.rows) == 100


def test_an_invitation_offers_answers_and_an_unknown_event_is_a_clear_error(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, INVITE_SUBJECT)
    assert mail.reader.invitation_bar.isVisible()

    mail.reader.respond("accepted")

    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.is_error, timeout=10000)
    assert "not in your calendars yet" in bar.message()
    assert "Wait for the calendar to sync" in bar.message()


def test_new_inbox_mail_is_listed_and_announced_on_the_desktop(qtbot, window, mail, emulator) -> None:
    announced = []
    window.context._notify_desktop = lambda title, text: announced.append((title, text))
    emulator.state.add_message(subject="Fresh news", sender=Address("zed@example.com", "Zed Zhou"))

    window.tasks.run(window.session.sync.sync())

    qtbot.waitUntil(lambda: mail.model.rows[0].subject == "Fresh news", timeout=10000)
    qtbot.waitUntil(lambda: bool(announced))
    assert announced == [("New mail from Zed Zhou", "Fresh news")]


def test_move_and_label_act_on_the_selection_and_move_can_be_undone(qtbot, window, mail, emulator) -> None:
    store = window.session.store
    work = next(f for f in store.folders() if f.name == "Work")
    travel = next(f for f in store.folders() if f.name == "Travel")
    select_subject(qtbot, mail, INVITE_SUBJECT)
    message_id = mail.reader.message.id

    mail.add_label(work)
    qtbot.waitUntil(lambda: work.id in emulator.state.messages[message_id].folder_ids, timeout=10000)
    # The bar speaks when the local change is done, which the GUI may hear after the push landed.
    qtbot.waitUntil(lambda: window.message_bar.message() == "Labelled 1 message Work.")

    mail.move_to(travel)
    qtbot.waitUntil(lambda: mail.model.row_of(message_id) is None)
    qtbot.waitUntil(lambda: "INBOX" not in emulator.state.messages[message_id].folder_ids, timeout=10000)
    assert travel.id in emulator.state.messages[message_id].folder_ids
    window.message_bar.action_button.click()  # Undo
    qtbot.waitUntil(lambda: mail.model.row_of(message_id) is not None)
    qtbot.waitUntil(lambda: "INBOX" in emulator.state.messages[message_id].folder_ids, timeout=10000)


def test_a_plain_text_message_is_shown_as_plain_text(qtbot, window, mail) -> None:
    store = window.session.store
    plain = next(
        m for m in (store.get_message(r.id) for r in mail.model.rows) if m.body_html is None and m.body_text.strip()
    )
    choose_row(mail.table, mail.model.row_of(plain.id))
    qtbot.waitUntil(lambda: mail.reader.message is not None and mail.reader.message.id == plain.id)

    assert mail.reader.plain_text().strip() == plain.body_text.strip()
    assert not mail.reader.remote_bar.isVisible()


def test_accepting_an_invitation_answers_its_event(qtbot, window, mail, emulator) -> None:
    select_subject(qtbot, mail, KNOWN_INVITE_SUBJECT)
    assert mail.reader.invitation_bar.isVisible()

    [accept] = [b for b in mail.reader.invitation_bar.findChildren(QPushButton) if b.text() == "Accept"]
    accept.click()

    def mine():
        event = emulator.state.events[KNOWN_EVENT_ID]
        return next(a.response for a in event.attendees if a.address.email == emulator.state.owner.email)

    qtbot.waitUntil(lambda: mine() is ResponseStatus.ACCEPTED, timeout=10000)
    qtbot.waitUntil(lambda: "You accepted “Design sync”." in window.message_bar.message())


def test_f6_moves_between_the_panes(qtbot, mail) -> None:
    mail.folders.setFocus()

    qtbot.keyClick(mail.folders, Qt.Key.Key_F6)
    assert mail.table.hasFocus()
    qtbot.keyClick(mail.table, Qt.Key.Key_F6)
    assert mail.reader.browser.hasFocus()
    qtbot.keyClick(mail.reader.browser, Qt.Key.Key_F6)
    assert mail.folders.hasFocus()
    qtbot.keyClick(mail.folders, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert mail.reader.browser.hasFocus()


def test_attachments_save_and_open_and_opened_copies_go_at_sign_out(qtbot, window, mail, tmp_path, monkeypatch) -> None:
    from host.ui.qt import QDesktopServices, QFileDialog, QMessageBox

    select_subject(qtbot, mail, INVITE_SUBJECT)
    [part] = [a for a in mail.reader.message.attachments if not a.inline]
    assert mail.reader.attachments_row.isVisible()
    target = tmp_path / "saved.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)

    mail.reader.save_attachment(part)
    mail.reader.open_attachment(part)

    qtbot.waitUntil(lambda: target.exists() and bool(opened), timeout=10000)
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert opened[0].read_bytes() == target.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.ask_sign_out()
    qtbot.waitUntil(lambda: window.session is None, timeout=10000)
    assert not opened[0].exists()


def test_mail_with_its_own_colours_gets_white_paper_and_other_mail_the_palette(mail) -> None:
    from host.model.mail import Message
    from host.ui.qt import QColor, QPalette

    reader = mail.reader
    dark = QPalette(reader.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    reader.setPalette(dark)
    sender = Address("ana@example.com", "Ana")

    reader.show_message(Message("c1", "c1", "Styled", sender, body_html='<p style="color: #222">Dark text</p>'))
    assert reader.browser.palette().color(QPalette.ColorRole.Base) == QColor("white")
    assert reader.browser.palette().color(QPalette.ColorRole.Text) == QColor("black")

    reader.show_message(Message("c2", "c2", "Plain HTML", sender, body_html="<p>Just text</p>"))
    assert reader.browser.palette().color(QPalette.ColorRole.Base) == QColor("#1e1e1e")


def test_deleting_in_the_trash_asks_first_and_then_deletes_for_good(qtbot, window, mail, emulator, monkeypatch) -> None:
    from host.ui.qt import QMessageBox

    store = window.session.store
    select_subject(qtbot, mail, INVITE_SUBJECT)
    message_id = mail.reader.message.id
    mail.delete()
    qtbot.waitUntil(lambda: "TRASH" in emulator.state.messages[message_id].folder_ids, timeout=10000)
    mail.folders.select(store.folder_by_kind(FolderKind.TRASH).id)
    choose_row(mail.table, mail.model.row_of(message_id))
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or answers.pop(0))

    mail.delete()  # cancelled
    mail.delete()

    assert asked == ["Delete 1 message for good? This cannot be undone."] * 2
    qtbot.waitUntil(lambda: message_id not in emulator.state.messages, timeout=10000)
    assert store.get_message(message_id) is None

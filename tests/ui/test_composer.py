"""The composer against the emulator: completion, replies, attachments, drafts, undo send, send later."""

from __future__ import annotations

import datetime as dt

from ui_support import HOSTILE_SUBJECT, screenshot, select_subject

from host.ui.composer import Composer, UndoSend
from host.ui.qt import QDropEvent, QMimeData, QPointF, Qt, QUrl


def open_composer(qtbot, window, mail):
    mail.table.setFocus()
    qtbot.keyClick(mail.table, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: bool(window.composers))
    composer = window.composers[-1]
    qtbot.waitExposed(composer)
    return composer


def test_c_opens_a_composer_that_completes_addresses_from_the_store(qtbot, window, mail) -> None:
    composer = open_composer(qtbot, window, mail)
    known = window.session.store.complete_addresses("pri")
    assert known, "the seeded mailbox knows Priya"

    composer.to.setFocus()
    qtbot.keyClicks(composer.to, "pri")

    assert str(known[0]) in composer.to._model.stringList()
    composer.to._complete(str(known[0]))
    assert composer.to.addresses() == (known[0],)


def test_undo_send_takes_the_message_back_into_a_composer(qtbot, window, mail, emulator) -> None:
    composer = open_composer(qtbot, window, mail)
    composer.to.setText("Ana Müller <ana.mueller@example.de>, bo@example.com")
    composer.subject.setText("Lunch on Friday?")
    qtbot.waitUntil(lambda: composer.signature.currentText() == "Work")  # the provider's signature came in
    composer.body.setFocus()
    qtbot.keyClicks(composer.body, "Shall we try the new place?")
    screenshot(composer, "composer")

    composer.send_button.click()

    qtbot.waitUntil(lambda: composer.sent is not None)
    store = window.session.store
    assert [item.message.subject for item in store.outbox()] == ["Lunch on Friday?"]
    undo_widget = window.statusBar().findChild(UndoSend)
    assert undo_widget is not None and undo_widget.label.text().startswith("Sending in")

    undo_widget.button.click()

    qtbot.waitUntil(lambda: len(window.composers) == 1 and window.composers[0] is not composer)
    again = window.composers[0]
    assert again.subject.text() == "Lunch on Friday?"
    assert [str(a) for a in again.to.addresses()] == ["Ana Müller <ana.mueller@example.de>", "bo@example.com"]
    assert all(item.state.value != "queued" for item in store.outbox())
    assert "Sending cancelled" in window.message_bar.message()
    assert not [m for m in emulator.state.messages.values() if m.subject == "Lunch on Friday?"]


def test_reply_quotes_the_message_and_continues_its_thread(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    original = mail.reader.message
    mail.table.setFocus()

    qtbot.keyClick(mail.table, Qt.Key.Key_R)

    qtbot.waitUntil(lambda: bool(window.composers))
    reply = window.composers[-1].outgoing()
    assert reply.subject == f"Re: {HOSTILE_SUBJECT}"
    assert [a.email for a in reply.to] == ["billing@shady.example"]
    assert reply.in_reply_to == original.message_id_header
    assert reply.thread_id == original.thread_id
    assert "Regards, the billing team" in reply.body_text


def test_forward_keeps_the_subject_and_asks_for_recipients(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    mail.table.setFocus()

    qtbot.keyClick(mail.table, Qt.Key.Key_F)

    qtbot.waitUntil(lambda: bool(window.composers))
    composer = window.composers[-1]
    assert composer.subject.text() == f"Fwd: {HOSTILE_SUBJECT}"
    assert composer.to.text() == ""
    composer.send_button.click()
    assert composer.message_bar.isVisible() and "no recipient" in composer.message_bar.message()


def test_a_malformed_address_is_shown_in_the_composer_and_nothing_is_sent(qtbot, window, mail) -> None:
    composer = open_composer(qtbot, window, mail)
    composer.to.setText("not an address")

    composer.send_button.click()

    assert composer.message_bar.is_error
    assert "not an email address" in composer.message_bar.message()
    assert "Correct it" in composer.message_bar.message()
    assert composer.sent is None and window.session.store.outbox() == []


def test_files_dropped_on_the_composer_are_attached_and_sent_along(qtbot, window, mail, tmp_path) -> None:
    composer = open_composer(qtbot, window, mail)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 not really")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(report))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    composer.dropEvent(event)

    assert [(a.filename, a.content_type, a.data) for a in composer.attachments] == [
        ("report.pdf", "application/pdf", b"%PDF-1.4 not really")
    ]
    assert composer.attachment_list.count() == 1
    composer.to.setText("bo@example.com")
    composer.subject.setText("The report")
    composer.send_button.click()
    qtbot.waitUntil(lambda: composer.sent is not None)
    assert composer.sent.message.attachments[0].filename == "report.pdf"


def test_drafts_save_themselves(qtbot, window, mail, emulator, monkeypatch) -> None:
    monkeypatch.setattr(Composer, "autosave_ms", 50)
    composer = open_composer(qtbot, window, mail)

    composer.subject.setText("Half-written thoughts")
    composer.body.setPlainText("To be continued")

    qtbot.waitUntil(lambda: composer.draft_id is not None, timeout=10000)
    local = window.session.store.drafts()
    assert [d.message.subject for d in local] == ["Half-written thoughts"]
    assert composer.draft_id in emulator.state.drafts


def test_send_later_queues_the_message_for_the_chosen_time(qtbot, window, mail) -> None:
    composer = open_composer(qtbot, window, mail)
    composer.to.setText("bo@example.com")
    composer.subject.setText("Tomorrow's agenda")
    when = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)

    composer.send(send_at=when)

    qtbot.waitUntil(lambda: composer.sent is not None)
    [item] = window.session.store.outbox()
    assert item.send_at == when
    assert "will be sent on" in window.message_bar.message()


def test_a_saved_draft_reopens_from_the_drafts_menu_and_replaces_itself(
    qtbot, window, mail, emulator, monkeypatch
) -> None:
    monkeypatch.setattr(Composer, "autosave_ms", 50)
    composer = open_composer(qtbot, window, mail)
    composer.subject.setText("Plans for May")
    qtbot.waitUntil(lambda: composer.draft_id is not None, timeout=10000)
    server_id = composer.draft_id
    composer.close()
    qtbot.waitUntil(lambda: not window.composers)

    window._fill_drafts()
    [entry] = [a for a in window.drafts_menu.actions() if a.text() == "Plans for May"]
    entry.trigger()

    again = window.composers[-1]
    assert again.subject.text() == "Plans for May" and again.draft_id == server_id
    again.subject.setText("Plans for June")
    qtbot.waitUntil(lambda: [d.message.subject for d in window.session.store.drafts()] == ["Plans for June"])
    qtbot.waitUntil(lambda: b"Plans for June" in emulator.state.drafts[server_id].raw, timeout=10000)
    assert list(emulator.state.drafts) == [server_id]


def test_an_untouched_composer_makes_no_draft_and_discard_removes_one(
    qtbot, window, mail, emulator, monkeypatch
) -> None:
    monkeypatch.setattr(Composer, "autosave_ms", 50)
    idle = open_composer(qtbot, window, mail)
    qtbot.waitUntil(lambda: idle.signature.currentText() == "Work")  # the server's default signature came in
    qtbot.wait(200)
    assert window.session.store.drafts() == [] and emulator.state.drafts == {}
    idle.close()

    composer = window.compose(None)
    composer.subject.setText("Never mind")
    qtbot.waitUntil(lambda: composer.draft_id is not None, timeout=10000)

    composer.discard_button.click()

    qtbot.waitUntil(lambda: emulator.state.drafts == {}, timeout=10000)
    assert window.session.store.drafts() == []
    assert composer not in window.composers


def test_closing_the_app_keeps_an_unsaved_draft_in_the_store(qtbot, window, mail, monkeypatch) -> None:
    monkeypatch.setattr(Composer, "autosave_ms", 60_000)  # no autosave before the window closes
    composer = window.compose(None)
    composer.subject.setText("Thoughts at closing time")
    store = window.session.store
    kept = []
    save = store.save_draft
    monkeypatch.setattr(store, "save_draft", lambda draft: kept.append(draft.message.subject) or save(draft))

    window.close()

    assert kept == ["Thoughts at closing time"]

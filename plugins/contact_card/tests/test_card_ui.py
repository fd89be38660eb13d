"""The Zoom contact card in the desktop app (real widgets offscreen, real loopback HTTP to both emulators):
over the mail reader and over the calendar, its states, and its Chat, Call and Schedule buttons."""

from __future__ import annotations

import pytest
from contact_support import ANA, ARTIFACTS, CHRIS, EVENT_TITLE, LENA, MAIL_SUBJECT, card_of
from people_support import hover, link_point, with_card
from ui_support import select_subject

from contact_card.card import ZoomCard
from host.ui.contact_popup import HOVER_DELAY_MS
from host.ui.qt import QApplication, QDesktopServices, QInputDialog, QObject, QPushButton, Qt, QTimer, QUrl, pyqtSlot
from zoom_workplace.emulator.app import ZoomEmulator


def open_card_in_reader(qtbot, window, who) -> ZoomCard:
    mail = window.main_views["mail"]
    select_subject(qtbot, mail, MAIL_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, f"person:{who.email}", window.context.contact_cards)
    qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=point)
    [zoom_card] = card_of(window).views
    assert isinstance(zoom_card, ZoomCard) and zoom_card.contact.email == who.email
    return zoom_card


def answered(qtbot, zoom_card: ZoomCard) -> None:
    qtbot.waitUntil(lambda: not zoom_card.state.text().startswith("Looking"), timeout=10000)


def buttons(window) -> dict[str, QPushButton]:
    return {b.text().replace("&", ""): b for b in card_of(window).findChildren(QPushButton)}


def the_event(qtbot, window):
    calendar = window.main_views["calendar"]
    window.show_view("calendar")
    qtbot.waitUntil(lambda: any(e.title == EVENT_TITLE for e in calendar.events), timeout=10000)
    return calendar, next(e for e in calendar.events if e.title == EVENT_TITLE)


def test_over_the_reader_the_card_shows_the_sender_from_zoom(qtbot, window, zoom_signed_in) -> None:
    zoom_card = open_card_in_reader(qtbot, window, LENA)
    answered(qtbot, zoom_card)

    assert zoom_card.name.text() == "Lena Schmidt"
    assert zoom_card.presence.text() == "In a meeting" and zoom_card.dot.accessibleName() == "Presence: In a meeting"
    assert "#d1242f" in zoom_card.dot.styleSheet()  # red, as Zoom shows a meeting
    assert zoom_card.role.text() == "Director"
    assert zoom_card.phone.text() == "+1 212 555 0102" and zoom_card.email.text() == LENA.email
    assert zoom_card.state.isHidden()
    assert {"Chat", "Call", "Schedule", "Write email", "Copy address"} <= set(buttons(window))
    with_card(window, card_of(window), ARTIFACTS / "card-over-mail.png")


def test_a_recipient_on_copy_gets_their_card_too(qtbot, window, zoom_signed_in) -> None:
    zoom_card = open_card_in_reader(qtbot, window, ANA)
    answered(qtbot, zoom_card)
    assert (zoom_card.presence.text(), zoom_card.role.text()) == ("Away", "Product")
    assert "#e3a008" in zoom_card.dot.styleSheet() and zoom_card.phone.isHidden()


def test_an_address_outside_zoom_says_so(qtbot, window, zoom_signed_in) -> None:
    zoom_card = open_card_in_reader(qtbot, window, CHRIS)
    answered(qtbot, zoom_card)
    assert zoom_card.state.text().startswith("Not a Zoom contact")
    assert zoom_card.name.text() == "Chris Outside" and zoom_card.email.text() == CHRIS.email
    assert zoom_card.presence.isHidden()
    with_card(window, card_of(window), ARTIFACTS / "card-not-in-zoom.png")


def test_without_a_zoom_sign_in_the_card_says_how_to_sign_in(qtbot, window) -> None:
    zoom_card = open_card_in_reader(qtbot, window, LENA)
    answered(qtbot, zoom_card)
    assert zoom_card.state.text().startswith("Nobody is signed in to Zoom. Sign in")
    assert zoom_card.state.text().endswith("Then this card shows Lena Schmidt's presence and details.")
    assert zoom_card.state.height() >= zoom_card.state.heightForWidth(zoom_card.state.width())  # all of it shows
    with_card(window, card_of(window), ARTIFACTS / "card-signed-out.png")


def test_a_zoom_server_error_is_shown_in_the_card(qtbot, window, zoom: ZoomEmulator, zoom_signed_in) -> None:
    zoom.faults.queue_status(500, path="/v2/contacts", count=1)
    zoom_card = open_card_in_reader(qtbot, window, LENA)
    answered(qtbot, zoom_card)
    assert zoom_card.state.text().startswith("Zoom could not be asked: Zoom had a server error")


def test_a_card_closed_before_zoom_answers_is_no_trouble(qtbot, window, zoom: ZoomEmulator, zoom_signed_in) -> None:
    zoom.faults.queue_latency(0.5, path="/v2/contacts")
    zoom_card = open_card_in_reader(qtbot, window, LENA)
    card_of(window).close()  # the user moved on while Zoom was still looking
    qtbot.wait(1000)
    assert zoom_card.found is None and not window.message_bar.isVisible()


def test_over_the_calendar_the_events_menu_opens_the_organisers_card(qtbot, window, zoom_signed_in) -> None:
    calendar, event = the_event(qtbot, window)
    assert calendar.people_of(event) == [LENA, ANA]  # the user is no one to look up
    menu = calendar.event_menu(event)
    menu.popup(calendar.grid.mapToGlobal(calendar.grid.point_of(event)))  # the event's menu, by the event
    [cards] = [a.menu() for a in menu.actions() if a.menu() is not None and a.text() == "Contact &card"]
    [lena] = [a for a in cards.actions() if a.text() == str(LENA)]

    lena.trigger()

    [zoom_card] = card_of(window).views
    answered(qtbot, zoom_card)
    assert zoom_card.presence.text() == "In a meeting" and zoom_card.role.text() == "Director"
    # Where the user asked, by the event: below the menu's corner, or above it when there is no room below.
    card = card_of(window).geometry()
    assert min((card.topLeft() - menu.pos()).manhattanLength(), (card.bottomLeft() - menu.pos()).manhattanLength()) <= 4
    with_card(window, card_of(window), ARTIFACTS / "card-over-calendar.png")


def test_the_editors_attendees_open_their_cards_by_click_and_hover(qtbot, window, zoom_signed_in) -> None:
    calendar, event = the_event(qtbot, window)
    editor = calendar.open_event(event)
    people = editor.attendees
    [ana] = [people.item(i) for i in range(people.count()) if ANA.email in people.item(i).text()]
    where = people.visualItemRect(ana).center()

    qtbot.mouseClick(people.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(people.viewport(), Qt.MouseButton.LeftButton, pos=where)
    card = card_of(window)
    assert card.pinned and card.contact.email == ANA.email
    answered(qtbot, card.views[0])
    with_card(editor, card, ARTIFACTS / "card-over-event-editor.png")
    card.close()

    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    people.setFocus()
    qtbot.keyClick(people, Qt.Key.Key_Return)  # the keyboard: Ana is the current row
    assert card_of(window).contact.email == ANA.email and card_of(window).pinned
    assert editor.isVisible() and calendar.editor is editor  # Enter opened the card, it did not save
    card_of(window).close()

    hover(people.viewport(), where)  # from Lena's row onto Ana's
    qtbot.waitUntil(lambda: window.context.contact_cards.current is not None, timeout=HOVER_DELAY_MS * 4)
    hovered = window.context.contact_cards.current
    assert not hovered.pinned and hovered.contact.email == ANA.email
    editor.reject()


def test_schedule_opens_the_calendars_editor_with_the_person_invited(qtbot, window, zoom_signed_in) -> None:
    open_card_in_reader(qtbot, window, LENA)
    buttons(window)["Schedule"].click()

    calendar = window.main_views["calendar"]
    qtbot.waitUntil(lambda: calendar.editor is not None, timeout=10000)
    editor = calendar.editor
    assert window.views.currentWidget() is calendar and editor.is_new
    assert editor.attendee_emails() == [LENA.email]
    assert editor.title.text() == "Meeting with Lena Schmidt"
    editor.reject()


class PhoneHandler(QObject):
    """The system's handler of ``tel:`` links, which this machine lacks, registered the way Qt lets any app
    take a scheme: QDesktopServices hands it what it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @pyqtSlot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def phone_handler():
    handler = PhoneHandler()
    QDesktopServices.setUrlHandler("tel", handler, "dial")
    yield handler
    QDesktopServices.unsetUrlHandler("tel")


def test_call_hands_a_tel_link_to_the_systems_phone_app(qtbot, window, zoom_signed_in, phone_handler) -> None:
    open_card_in_reader(qtbot, window, LENA)
    buttons(window)["Call"].click()

    qtbot.waitUntil(lambda: phone_handler.urls == ["tel:+12125550102"], timeout=10000)
    qtbot.waitUntil(lambda: window.message_bar.message() == "Calling Lena Schmidt on +1 212 555 0102…")


def test_chat_asks_for_a_message_and_sends_it(qtbot, window, zoom: ZoomEmulator, zoom_signed_in) -> None:
    open_card_in_reader(qtbot, window, LENA)
    typed = "Shall we move the review to Thursday?"
    seen: dict[str, str] = {}

    def user() -> None:
        """The user at the message dialog, which runs modally: reads the offer, writes, and sends."""
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()), None
        )
        if dialog is None:
            return
        hand.stop()
        seen.update(title=dialog.windowTitle(), offered=dialog.textValue())
        dialog.setTextValue(typed)
        seen["bar"] = window.message_bar.message() if window.message_bar.isVisible() else ""
        with_card(window, dialog, ARTIFACTS / "chat-first-message.png")
        dialog.accept()

    hand = QTimer(window, interval=50)
    hand.timeout.connect(user)
    hand.start()
    buttons(window)["Chat"].click()

    qtbot.waitUntil(lambda: len(zoom.state.chat_messages) == 1, timeout=10000)
    assert seen["title"] == "Chat with Lena Schmidt" and seen["offered"].startswith("Hi Lena!")
    [sent] = zoom.state.chat_messages
    assert (sent["message"], sent["to_contact"]) == (typed, LENA.email)
    qtbot.waitUntil(lambda: window.message_bar.message() == f"Sent to Lena Schmidt in Zoom Team Chat: “{typed}”")
    assert not seen["bar"]  # nothing went wrong meanwhile (the card closed as the chat began)

"""The shell's contact cards (``ViewContext.show_contact``): the reader's people open them by click, key
and hover; a plugin's CONTACT view and CONTACT action fill them; without any, a plain card with the address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import mail_view.plugin as mail_view_plugin
import pytest
from people_support import hover, link_point, point_at, with_card
from testprovider import plugin as testmail_plugin
from ui_support import ARTIFACTS, HOSTILE_SUBJECT, select_subject

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.app import Host
from host.hookspecs import hookimpl
from host.model.calendar import Event
from host.model.contact import Contact
from host.ui.contact_popup import HOVER_DELAY_MS
from host.ui.qt import QApplication, QLabel, QPoint, QPushButton, Qt
from host.views import View, ViewArea

SENDER_LINK = "person:billing@shady.example"


class CardLabel(QLabel):
    """A CONTACT view: says whom it was shown."""

    def show_item(self, contact: Contact) -> None:
        self.setText(f"Card of {contact.name} at {contact.email}")


def card_view(context: object) -> CardLabel:
    label = CardLabel("(nobody yet)")
    label.setAccessibleName("Test card")
    return label


async def wave(context: ActionContext) -> ActionResult:
    return ActionResult(message=f"Waved at {context.contact.email}.")


class ContactPlugin:
    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        register(View("test-card", "Test card", ViewArea.CONTACT, card_view))

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(Action("wave", "Wave", frozenset({ActionPlace.CONTACT}), wave))
        register(Action("never", "Never shown", frozenset({ActionPlace.CONTACT}), wave, available=lambda c: False))


@pytest.fixture
def with_plugin() -> bool:
    return True


@pytest.fixture
def host(make_host, tmp_path: Path, with_plugin: bool) -> Host:
    extra = [("contact-plugin", ContactPlugin())] if with_plugin else []
    built = make_host(testmail_plugin, mail_view_plugin, *extra)
    built.data_dir = tmp_path / "data"
    return built


def buttons(card) -> dict[str, QPushButton]:
    return {b.text().replace("&", ""): b for b in card.findChildren(QPushButton)}


@pytest.mark.parametrize("with_plugin", [False])
def test_a_click_on_the_sender_shows_the_plain_card_without_any_plugin(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, SENDER_LINK, window.context.contact_cards)

    qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=point)

    card = window.context.contact_cards.current
    assert card is not None and card.isVisible() and card.windowType() is Qt.WindowType.Popup
    assert card.contact == Contact(email="billing@shady.example", name="Billing")
    [plain] = [label for label in card.findChildren(QLabel) if label.accessibleName() == "Name and address"]
    assert plain.text() == "Billing\nbilling@shady.example"
    assert set(buttons(card)) == {"Write email", "Copy address"}
    with_card(window, card, ARTIFACTS / "contact-card-plain.png")

    buttons(card)["Copy address"].click()
    assert QApplication.clipboard().text() == "Billing <billing@shady.example>"
    assert window.context.contact_cards.current is None
    assert window.message_bar.message() == "Copied billing@shady.example."

    qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=point)
    buttons(window.context.contact_cards.current)["Write email"].click()
    [composer] = window.composers
    assert composer.to.text() == "Billing <billing@shady.example>"
    composer.abandon()


def test_the_card_holds_the_plugins_view_and_runs_its_action(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, SENDER_LINK, window.context.contact_cards)
    qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=point)

    card = window.context.contact_cards.current
    [view] = card.views
    assert view.text() == "Card of Billing at billing@shady.example"
    assert set(buttons(card)) == {"Write email", "Copy address", "Wave"}  # "Never shown" is not available
    with_card(window, card, ARTIFACTS / "contact-card-plugin.png")

    buttons(card)["Wave"].click()
    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.message() == "Waved at billing@shady.example.", timeout=10000)
    assert window.context.contact_cards.current is None


def test_the_people_and_the_card_work_from_the_keyboard(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    window.activateWindow()
    headers.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(headers, Qt.Key.Key_Tab)  # Tab goes from person to person: the sender first
    qtbot.keyClick(headers, Qt.Key.Key_Return)

    card = window.context.contact_cards.current
    assert card is not None and card.contact.email == "billing@shady.example"
    assert QApplication.focusWidget() in card.findChildren(QPushButton)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.context.contact_cards.current is None)

    headers.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(headers, Qt.Key.Key_Tab)  # on to the next person: the first recipient
    qtbot.keyClick(headers, Qt.Key.Key_Return)
    card = window.context.contact_cards.current
    assert card is not None and card.contact.email == mail.reader.message.to[0].email


def test_hovering_a_person_previews_the_card_until_the_pointer_leaves(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, SENDER_LINK, window.context.contact_cards)
    hover(headers, point)  # the pointer rests on the sender's link
    cards = window.context.contact_cards
    assert cards.current is None  # not at once: only when the pointer stays

    qtbot.waitUntil(lambda: cards.current is not None, timeout=HOVER_DELAY_MS * 4)
    card = cards.current
    assert not card.pinned and card.windowType() is Qt.WindowType.ToolTip
    assert QApplication.focusWidget() not in card.findChildren(QPushButton)  # hovering takes no keyboard
    assert card.views[0].text() == "Card of Billing at billing@shady.example"

    point_at(card, QPoint(5, 5))  # onto the card: it stays
    headers.linkHovered.emit("")  # the label says the pointer left the link
    qtbot.wait(HOVER_DELAY_MS)
    assert cards.current is card

    point_at(window, QPoint(window.width() - 5, window.height() - 5))  # away from both: it goes
    qtbot.waitUntil(lambda: cards.current is None, timeout=3000)


def test_a_click_pins_a_hover_card(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, SENDER_LINK, window.context.contact_cards)
    hover(headers, point)
    cards = window.context.contact_cards
    qtbot.waitUntil(lambda: cards.current is not None, timeout=HOVER_DELAY_MS * 4)
    card = cards.current
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert card.pinned and card.windowType() is Qt.WindowType.Popup
    assert QApplication.focusWidget() in card.findChildren(QPushButton)  # now it has the keyboard

    point_at(window, QPoint(window.width() - 5, window.height() - 5))
    qtbot.wait(HOVER_DELAY_MS)
    assert cards.current is card and card.isVisible()


def test_a_pointer_that_passes_over_a_person_shows_no_card(qtbot, window, mail) -> None:
    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, SENDER_LINK, window.context.contact_cards)
    hover(headers, point)
    point_at(window, QPoint(window.width() - 5, window.height() - 5))  # gone before the delay is over
    qtbot.wait(HOVER_DELAY_MS * 2)
    assert window.context.contact_cards.current is None


def test_an_event_without_a_calendar_view_is_reported(qtbot, window) -> None:
    import datetime as dt

    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    assert not window.context.edit_event(Event("", "", "Catch-up", start, start + dt.timedelta(minutes=30)))
    assert window.message_bar.message().startswith("There is no calendar to open the event in.")

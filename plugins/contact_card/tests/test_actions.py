"""The card's Chat, Call and Schedule actions against the Zoom emulator, answered by a script."""

from __future__ import annotations

import datetime as dt

import pytest
from contact_support import ANA, CHRIS, LENA

from contact_card.actions import tel_url
from contact_card.plugin import ContactCardPlugin
from host.actions import ActionContext, ActionPlace
from host.app import Host
from host.errors import UsageError
from host.model.calendar import Attendee
from host.model.contact import Contact
from host.testing import ScriptedActionUI
from zoom_workplace.emulator.app import ZoomEmulator


class PhoneApp:
    """The system's handler of ``tel:`` links, which this machine has not got: it records what it is handed."""

    def __init__(self, *, installed: bool = True) -> None:
        self.installed = installed
        self.opened: list[str] = []

    async def __call__(self, url: str) -> bool:
        self.opened.append(url)
        return self.installed


@pytest.fixture
def phone() -> PhoneApp:
    return PhoneApp()


@pytest.fixture
def plugin(secrets, now: dt.datetime, phone: PhoneApp) -> ContactCardPlugin:
    from zoom_workplace.session import open_client

    return ContactCardPlugin(connect=lambda host: open_client(secrets, host), open_url=phone, now=lambda: now)


def action(host: Host, title: str):
    [found] = [a for a in host.registry.actions if a.title == title and ActionPlace.CONTACT in a.places]
    return found


def context(host: Host, who, ui: ScriptedActionUI) -> ActionContext:
    return ActionContext(host=host, place=ActionPlace.CONTACT, ui=ui, contact=Contact(email=who.email, name=who.name))


async def test_chat_sends_what_the_user_typed_to_the_person(host: Host, zoom: ZoomEmulator, zoom_signed_in) -> None:
    typed = "Free for a quick call about the roadmap?"
    ui = ScriptedActionUI(texts=[typed])

    result = await action(host, "Chat").run(context(host, LENA, ui))

    # a greeting offered, for the user who just wants to say hello
    assert ui.asked == [("ask_text", "Chat with Lena Schmidt", "Your first message:", "Hi Lena!")]
    [sent] = zoom.state.chat_messages
    assert sent["to_contact"] == LENA.email and sent["sender"] == "alex.morgan@example.com"
    assert sent["message"] == typed
    assert result.message == f"Sent to Lena Schmidt in Zoom Team Chat: “{typed}”"


async def test_chat_cancelled_sends_nothing(host: Host, zoom: ZoomEmulator, zoom_signed_in) -> None:
    result = await action(host, "Chat").run(context(host, ANA, ScriptedActionUI(texts=[None])))
    assert result.message == "No message was sent." and zoom.state.chat_messages == []


async def test_a_message_over_team_chats_limit_sends_nothing(host: Host, zoom: ZoomEmulator, zoom_signed_in):
    ui = ScriptedActionUI(texts=["x" * 1025])
    with pytest.raises(UsageError, match="at most 1024 characters in one message; this one has 1025"):
        await action(host, "Chat").run(context(host, LENA, ui))
    assert zoom.state.chat_messages == []


async def test_chat_with_someone_outside_zoom_says_to_write_instead(host: Host, zoom_signed_in) -> None:
    ui = ScriptedActionUI()
    with pytest.raises(UsageError, match="not one of your Zoom contacts") as raised:
        await action(host, "Chat").run(context(host, CHRIS, ui))
    assert raised.value.hint == "Write them an email instead." and ui.asked == []


async def test_call_hands_the_number_to_the_phone_app(host: Host, phone: PhoneApp, zoom_signed_in) -> None:
    result = await action(host, "Call").run(context(host, LENA, ScriptedActionUI()))
    assert phone.opened == ["tel:+12125550102"]
    assert result.message == "Calling Lena Schmidt on +1 212 555 0102…"


async def test_call_asks_which_number_when_there_are_several(
    host: Host, phone: PhoneApp, zoom: ZoomEmulator, zoom_signed_in
) -> None:
    with zoom.state.lock:  # Ana gets Zoom Phone: an office number and a second direct number
        zoom.state.users[ANA.email].phone_number = "+49 89 555 0103"
        zoom.state.users[ANA.email].extra_phone_numbers = ("4989555010399",)
    ui = ScriptedActionUI(choices=[1, None])

    called = await action(host, "Call").run(context(host, ANA, ui))
    assert ui.asked[0] == ("choose", "Call Ana Müller on", ("+49 89 555 0103", "4989555010399"))
    assert phone.opened == ["tel:4989555010399"] and called.message == "Calling Ana Müller on 4989555010399…"

    cancelled = await action(host, "Call").run(context(host, ANA, ui))
    assert cancelled.message == "Nobody was called." and len(phone.opened) == 1


async def test_call_without_a_number_or_a_phone_app_says_what_to_do(host: Host, phone: PhoneApp, zoom_signed_in):
    with pytest.raises(UsageError, match="Zoom has no phone number for Ana Müller") as raised:
        await action(host, "Call").run(context(host, ANA, ScriptedActionUI()))
    assert "Chat with them" in raised.value.hint and phone.opened == []

    phone.installed = False
    with pytest.raises(UsageError, match="No app on this computer makes phone calls") as raised:
        await action(host, "Call").run(context(host, LENA, ScriptedActionUI()))
    assert "dial +1 212 555 0102 yourself" in raised.value.hint


async def test_schedule_proposes_a_meeting_with_the_person_at_the_next_full_hour(host: Host, now: dt.datetime):
    result = await action(host, "Schedule").run(context(host, CHRIS, ScriptedActionUI()))  # Zoom or not
    event = result.event
    assert event.id == "" and event.title == "Meeting with Chris Outside"
    assert event.attendees == (Attendee(CHRIS),)
    assert event.start.minute == 0 and dt.timedelta(0) < event.start - now <= dt.timedelta(hours=1)
    assert event.end - event.start == dt.timedelta(minutes=30)


def test_a_phone_number_becomes_a_tel_url() -> None:
    assert tel_url("+1 (212) 555-0102") == "tel:+12125550102"
    assert tel_url("0 30 1234 56") == "tel:030123456"
    with pytest.raises(UsageError):
        tel_url("ext. ?")

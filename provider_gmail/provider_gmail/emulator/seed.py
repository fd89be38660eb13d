"""The sandbox toolkit's generated mailbox and calendars, put into Gmail's and Calendar's shapes."""

from __future__ import annotations

from host.model.calendar import Event
from host.sandbox import google_seed
from host.sandbox.calendar_store import CalendarStore
from host.sandbox.datagen import CUSTOM_LABELS, CalendarSet
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.google_seed import LABEL_COLOURS
from provider_gmail.emulator.mailbox import GmailMailbox

SIGNATURE = '<div dir="ltr">{name}<br>Example Corp · <a href="https://example.com">example.com</a></div>'


def seed_mailbox(mailbox: GmailMailbox, generated: GeneratedMailbox) -> None:
    """Labels (nested ``Projekte/Ärger`` under a ``Projekte`` of its own, with colours), the messages,
    a signature on the primary sendAs address."""
    names: list[str] = []
    for name in CUSTOM_LABELS:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            full = "/".join(parts[:depth])
            if full not in names:
                names.append(full)
    label_ids: dict[str, str] = {}
    for number, name in enumerate(names):
        text, background = LABEL_COLOURS[number % len(LABEL_COLOURS)]
        body: dict = {"name": name}
        if number % 3 != 2:  # some labels have no colour, as in real mailboxes
            body["color"] = {"textColor": text, "backgroundColor": background}
        label_ids[name] = mailbox.create_label(body)["id"]
    mailbox.seed(generated, label_ids)
    mailbox.send_as[0]["signature"] = SIGNATURE.format(name=mailbox.name)


def seed_calendars(store: CalendarStore, calendars: CalendarSet, owners: dict[str, str]) -> None:
    google_seed.seed_calendars(store, calendars, owners, domain="calendar.google.com", event_json=event_json)


def event_json(event: Event) -> dict:
    """The shared event JSON with Google's own: its link, its type, the organizer's name."""
    body = google_seed.event_json(event, ical_domain="google.com")
    body["htmlLink"] = f"https://www.google.com/calendar/event?eid={event.id}"
    body["eventType"] = "default"
    if event.organizer is not None:
        body["organizer"]["displayName"] = event.organizer.name
    return body

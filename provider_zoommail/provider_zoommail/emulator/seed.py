"""The sandbox toolkit's generated mailbox and calendars, put into Zoom Mail's and Zoom Calendar's shapes."""

from __future__ import annotations

from functools import partial

from host.sandbox import google_seed
from host.sandbox.calendar_store import CalendarStore
from host.sandbox.datagen import CUSTOM_LABELS, CalendarSet
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.google_seed import LABEL_COLOURS
from provider_zoommail.emulator.mailbox import ZoomMailbox


def seed_mailbox(mailbox: ZoomMailbox, generated: GeneratedMailbox) -> None:
    """Labels (``Projekte/Ärger`` becomes ``Ärger`` under ``Projekte``, some with colours) and the messages."""
    label_ids: dict[str, str] = {}
    number = 0
    for name in CUSTOM_LABELS:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            full = "/".join(parts[:depth])
            if full in label_ids:
                continue
            text, background = LABEL_COLOURS[number % len(LABEL_COLOURS)]
            body: dict = {"name": parts[depth - 1], "parentId": label_ids.get("/".join(parts[: depth - 1]), "")}
            if number % 3 != 2:  # some labels have no colour, as in real mailboxes
                body["color"] = {"textColor": text, "backgroundColor": background}
            label_ids[full] = mailbox.create_label(body)["id"]
            number += 1
    mailbox.seed(generated, label_ids)


def seed_calendars(store: CalendarStore, calendars: CalendarSet, owners: dict[str, str]) -> None:
    google_seed.seed_calendars(
        store,
        calendars,
        owners,
        domain="calendar.zoom.us",
        event_json=partial(google_seed.event_json, ical_domain="zoom.us"),
    )

"""What the contact card tests share: the people, the seeded mail, where screenshots go."""

from __future__ import annotations

import email.utils
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from host.model.mail import Address

ALEX = Address("alex.morgan@example.com", "Alex Morgan")
LENA = Address("lena.schmidt@example.com", "Lena Schmidt")
ANA = Address("ana.mueller@example.de", "Ana Müller")
CHRIS = Address("chris@elsewhere.example", "Chris Outside")
MAIL_SUBJECT = "Roadmap review notes"
EVENT_TITLE = "Roadmap review"
DISTRIBUTION = "zoomclient-contact-card"
ARTIFACTS = Path(__file__).parent / "artifacts"


def lenas_mail() -> bytes:
    mail = EmailMessage()
    mail["From"] = str(LENA)
    mail["To"] = str(ALEX)
    mail["Cc"] = f"{ANA}, {CHRIS}"
    mail["Subject"] = MAIL_SUBJECT
    mail["Message-ID"] = "<roadmap-notes-1@example.com>"
    mail["Date"] = email.utils.formatdate()
    mail.set_content("Hi Alex,\n\nthe notes from today's roadmap review are below.\n\nLena")
    return bytes(mail)


def card_of(window: Any) -> Any:
    """The contact card on screen."""
    card = window.context.contact_cards.current
    assert card is not None and card.isVisible()
    return card

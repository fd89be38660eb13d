"""What the Team Chat share tests share: the people, the message made for sharing, screenshots."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).parent / "artifacts"
ALEX = "alex.morgan@example.com"
ANA = "ana.mueller@example.de"
DISTRIBUTION = "zoomclient-team-chat-share"
SHARED_SUBJECT = "Q3 roadmap — Entwürfe für Müller & Co."
SHARED_BODY = (
    "Hi Alex,\n\nhere are the drafts for the Q3 roadmap. Grüße from the Köln office!\n"
    "The pricing page needs a second look before Friday.\n\n"
    "> On Monday you wrote:\n> can you send the drafts?\n\n-- \nPriya Sharma\nProduct, Example Inc.\n"
)


def shared_mail() -> bytes:
    mail = EmailMessage()
    mail["From"] = "Priya Sharma <priya.sharma@example.in>"
    mail["To"] = f"Alex Morgan <{ALEX}>"
    mail["Subject"] = SHARED_SUBJECT
    mail["Date"] = "Tue, 01 Dec 2026 09:15:00 +0100"
    mail["Message-ID"] = "<roadmap-q3@example.in>"
    mail.set_content(SHARED_BODY)
    mail.add_attachment(b"%PDF-1.4 fake pdf \x00\x01\x02", maintype="application", subtype="pdf", filename="Q3.pdf")
    return bytes(mail)


def screenshot(image: Any, name: str) -> Path:
    """Save a QPixmap (a grab) under tests/artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert image.save(str(path))
    return path

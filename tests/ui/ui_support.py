"""Helpers of the UI tests: the hostile mail, the tracker server, screenshots, selecting a row."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE_SUBJECT = "Your invoice is ready (hostile HTML)"
INVITE_SUBJECT = "Invitation: Budget review"
KNOWN_INVITE_SUBJECT = "Invitation: Design sync"
KNOWN_EVENT_ID = "design-sync-1"
SCRIPT_TEXT = "SCRIPT-RAN"


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, made by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


class Tracker:
    """A remote image server that counts who fetched it: a read receipt, as spammers use them."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.image = png(40, 12, (30, 120, 220))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.hits.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"image/png")]})
        await send({"type": "http.response.body", "body": self.image})


def hostile_mail(tracker_url: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Billing <billing@shady.example>"
    mail["To"] = "Alex Morgan <alex.morgan@example.com>"
    mail["Subject"] = HOSTILE_SUBJECT
    mail["Message-ID"] = "<hostile-1@shady.example>"
    mail.set_content("Your invoice is ready. (plain part)")
    mail.add_alternative(
        f"""<html><head><script>document.write('{SCRIPT_TEXT}')</script>
        <style>body {{ background: url({tracker_url}/bg.png) }}</style></head>
        <body onload="alert('{SCRIPT_TEXT}')">
        <h2>Your invoice is ready</h2>
        <p>Logo: <img src="cid:logo@shady.example" alt="logo" width="64" height="64"></p>
        <p>Tracker: <img src="{tracker_url}/pixel.png?who=alex" alt="tracker"></p>
        <p><a href="javascript:alert('{SCRIPT_TEXT}')">Pay now</a>
        <iframe src="{tracker_url}/frame.html"></iframe>
        <form action="{tracker_url}/steal"><input name="password"></form></p>
        <p>Regards, the billing team</p></body></html>""",
        subtype="html",
    )
    mail.get_payload()[1].add_related(png(64, 64, (200, 30, 30)), "image", "png", cid="<logo@shady.example>")
    return bytes(mail)


def invitation_mail(
    subject: str = INVITE_SUBJECT, uid: str = "not-in-any-calendar@example.in", start: dt.datetime | None = None
) -> bytes:
    mail = EmailMessage()
    mail["From"] = "Priya Sharma <priya.sharma@example.in>"
    mail["To"] = "Alex Morgan <alex.morgan@example.com>"
    mail["Subject"] = subject
    mail.set_content(f"You are invited: {subject}.")
    when = (start or dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTART:{when}\r\nDTEND:{when}\r\nSUMMARY:{subject}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    mail.add_attachment(ics.encode(), "text", "calendar", filename="invite.ics")
    return bytes(mail)


def select_subject(qtbot, mail, subject: str) -> None:
    """Select the row with ``subject`` and wait until the reader shows it."""
    row = next(i for i, r in enumerate(mail.model.rows) if r.subject == subject)
    choose_row(mail.table, row)
    qtbot.waitUntil(lambda: mail.reader.message is not None and mail.reader.message.subject == subject)


def screenshot(widget, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def choose_row(table, row: int) -> None:
    """Make ``row`` the one selected and current row, whatever modifier keys an earlier test left pressed
    (``selectRow`` reads them, as a click would)."""
    model = table.model()
    flags = table.selectionModel().SelectionFlag
    table.selectionModel().setCurrentIndex(model.index(row, 0), flags.ClearAndSelect | flags.Rows)

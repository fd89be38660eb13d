"""Messages from Gmail's ``raw`` format through host.mime: encoded headers, HTML with ``cid:``
images, attachments fetched on demand, winmail.dat, broken messages kept with a note."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from email.message import EmailMessage

from host.sandbox.datagen import Mailbox as GeneratedMailbox
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.mail import GmailMail


def _generated(emulator: GoogleEmulator) -> GeneratedMailbox:
    message = next(iter(emulator.mailbox.messages.values()))
    assert message.source is not None
    return message.source[0]


def _with(emulator: GoogleEmulator, feature: str) -> list[int]:
    generated = _generated(emulator)
    return [i for i in range(len(generated)) if feature in generated.meta(i).features]


async def test_encoded_and_non_ascii_headers_come_out_as_text(mail: GmailMail, emulator: GoogleEmulator) -> None:
    generated = _generated(emulator)
    for feature in ("non-ascii", "rfc2047-latin1"):
        index = next(i for i in _with(emulator, feature) if "malformed" not in generated.meta(i).features)
        meta = generated.meta(index)
        message = await mail.get_message(meta.id)
        assert message.subject == meta.subject
        assert message.sender is not None and message.sender.email == meta.sender.email
        assert message.sender.name == meta.sender.name
        assert message.thread_id == meta.thread_id and message.parse_note is None


async def test_html_with_inline_images_and_attachments(
    mail: GmailMail, emulator: GoogleEmulator, logged: Callable[..., Awaitable[list]]
) -> None:
    generated = _generated(emulator)
    cid = generated.meta(_with(emulator, "cid")[0])
    message = await mail.get_message(cid.id)
    assert message.body_html and "cid:" in message.body_html and message.body_text
    inline = [a for a in message.attachments if a.inline]
    assert inline and inline[0].content_id and inline[0].content_type == "image/png"
    image = await mail.fetch_attachment(cid.id, inline[0].id)
    assert image.startswith(b"\x89PNG")

    with_files = generated.meta(_with(emulator, "attachment")[0])
    message = await mail.get_message(with_files.id)
    files = [a for a in message.attachments if not a.inline]
    assert files and message.has_attachments
    for attachment in files:
        data = await mail.fetch_attachment(with_files.id, attachment.id)
        assert len(data) == attachment.size > 0
    # the bytes came from attachments.get, not from downloading the whole message again
    assert await logged("GET", "/attachments/")


async def test_winmail_dat_and_nested_multiparts_pass_through(mail: GmailMail, emulator: GoogleEmulator) -> None:
    outer = EmailMessage()
    outer["From"] = "Outlook User <outlook@example.net>"
    outer["To"] = "alex.morgan@example.com"
    outer["Subject"] = "Besprechung – Unterlagen"
    outer.set_content("Siehe Anhang.")
    outer.add_alternative("<p>Siehe <b>Anhang</b>.</p>", subtype="html")
    tnef = b"\x78\x9f\x3e\x22" + bytes(range(256)) * 4
    outer.add_attachment(tnef, "application", "ms-tnef", filename="winmail.dat")
    forwarded = EmailMessage()
    forwarded["From"] = "someone@example.org"
    forwarded["Subject"] = "Original"
    forwarded.set_content("Der weitergeleitete Text.")
    outer.add_attachment(forwarded)
    with emulator.lock:
        stored = emulator.mailbox.deliver(outer.as_bytes())
    message = await mail.get_message(stored.id)
    assert message.subject == "Besprechung – Unterlagen" and "Anhang" in message.body_text
    winmail = next(a for a in message.attachments if a.filename == "winmail.dat")
    assert winmail.content_type == "application/ms-tnef"
    assert await mail.fetch_attachment(stored.id, winmail.id) == tnef
    assert message.unread and "INBOX" in message.folder_ids


async def test_malformed_messages_are_kept_with_a_note(mail: GmailMail, emulator: GoogleEmulator) -> None:
    generated = _generated(emulator)
    broken = _with(emulator, "malformed")
    assert broken
    for index in broken:
        meta = generated.meta(index)
        message = await mail.get_message(meta.id)
        assert message.id == meta.id and message.raw == generated.raw(index)
        assert message.parse_note

"""The emulator's shortcuts for seeded mail answer exactly what reading the message's bytes answers."""

from __future__ import annotations

from host.sandbox.mime_payload import facts
from host.sandbox.service import SandboxOptions
from provider_gmail.emulator import GoogleEmulator


def test_a_seeded_messages_snippet_is_the_one_its_bytes_give() -> None:
    # 600 messages hold every generated kind: html, inline images, attachments, RFC 2047 and the malformed.
    emulator = GoogleEmulator(SandboxOptions(messages=600, events=0, seed=11))
    messages = list(emulator.mailbox.messages.values())
    kinds = set()
    for message in messages:
        generated, index = message.source
        kinds |= generated.meta(index).features
        read = facts(message.raw())
        assert message.snippet == read.snippet, message.id
        text = generated.plain_text(index)
        assert text is None or text.split() == read.text.split(), message.id
    assert {"html", "cid", "attachment", "rfc2047-latin1", "malformed"} <= kinds

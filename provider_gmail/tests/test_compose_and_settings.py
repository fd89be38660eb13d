"""Sending (threaded replies, Bcc), drafts, filters as rules, vacation as auto-reply, signatures."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Awaitable, Callable
from email import message_from_bytes, policy

import pytest

from host.errors import ProviderError
from host.model import (
    Address,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    OutgoingAttachment,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.providers.google_shapes.labels import ARCHIVE
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.mail import GmailMail

Logged = Callable[..., Awaitable[list]]


async def test_a_reply_lands_in_its_thread(mail: GmailMail, emulator: GoogleEmulator, logged: Logged) -> None:
    original = next(m for m in emulator.mailbox.newest_first() if "INBOX" in m.labels)
    parsed = await mail.get_message(original.id)
    reply = OutgoingMessage(
        to=(parsed.sender,),
        subject="Re: " + parsed.subject,
        body_text="Danke, passt.",
        bcc=(Address("boss@example.com"),),
        in_reply_to=parsed.message_id_header,
        references=(*parsed.references, parsed.message_id_header),
        thread_id=parsed.thread_id,
        attachments=(OutgoingAttachment("notiz.txt", "text/plain", "Grüße".encode()),),
    )
    sent_id = await mail.send(reply)
    stored = emulator.mailbox.message(sent_id)
    assert stored.thread_id == original.thread_id and "SENT" in stored.labels
    headers = message_from_bytes(stored.raw(), policy=policy.default)
    assert headers["In-Reply-To"] == parsed.message_id_header
    assert "boss@example.com" in headers["Bcc"]
    request = (await logged("POST", "/messages/send"))[-1].json
    assert request["threadId"] == parsed.thread_id
    assert base64.urlsafe_b64decode(request["raw"]).startswith(b"From: ")
    sent = await mail.get_message(sent_id)
    assert sent.attachments[0].filename == "notiz.txt"


async def test_a_new_subject_starts_a_new_thread_and_nothing_without_recipients(
    mail: GmailMail, emulator: GoogleEmulator
) -> None:
    thread_id = next(iter(emulator.mailbox.threads))
    sent_id = await mail.send(
        OutgoingMessage(to=(Address("ana.mueller@example.de"),), subject="Ganz was anderes", thread_id=thread_id)
    )
    assert emulator.mailbox.message(sent_id).thread_id != thread_id
    with pytest.raises(ProviderError) as refused:
        await mail.send(OutgoingMessage(to=(), subject="An niemanden"))
    assert refused.value.status == 400


async def test_drafts_are_created_updated_listed_sent_and_deleted(mail: GmailMail, emulator: GoogleEmulator) -> None:
    to = (Address("chloe.lefevre@example.fr", "Chloé Lefèvre"),)
    draft = await mail.save_draft(None, OutgoingMessage(to=to, subject="Entwurf", body_text="eins"))
    assert "DRAFT" in emulator.mailbox.message(draft.message_id).labels
    changed = await mail.save_draft(draft.id, OutgoingMessage(to=to, subject="Entwurf 2", body_html="<p>zwei</p>"))
    assert changed.id == draft.id and changed.message_id != draft.message_id
    listed = {d.id: d for d in await mail.list_drafts()}
    assert listed[draft.id].message.subject == "Entwurf 2"
    assert listed[draft.id].message.to == to and "zwei" in (listed[draft.id].message.body_html or "")
    sent_id = await mail.send_draft(draft.id)
    assert emulator.mailbox.message(sent_id).labels >= {"SENT"} and not emulator.mailbox.drafts
    other = await mail.save_draft(None, OutgoingMessage(to=to, subject="Weg damit"))
    await mail.delete_draft(other.id)
    assert await mail.list_drafts() == []
    assert other.message_id not in emulator.mailbox.messages


async def test_filters_are_rules_and_an_edit_is_delete_plus_create(
    mail: GmailMail, emulator: GoogleEmulator, logged: Logged
) -> None:
    rule = Rule(
        id=None,
        name="",
        conditions=RuleConditions(from_contains=("billing@cloud.example.net",), has_attachment=True),
        actions=RuleActions(add_folder_ids=("Label_2",), mark_read=True, archive=True),
    )
    saved = await mail.save_rule(rule)
    stored = emulator.mailbox.filters[saved.id]
    assert stored["criteria"] == {"from": "billing@cloud.example.net", "hasAttachment": True}
    assert stored["action"] == {"addLabelIds": ["Label_2"], "removeLabelIds": ["INBOX", "UNREAD"]}
    assert saved.conditions == rule.conditions and saved.actions == rule.actions
    assert saved.name  # Gmail filters have no names; the criteria describe them

    edited = await mail.save_rule(
        Rule(saved.id, saved.name, RuleConditions(subject_contains=("Rechnung", "Invoice")), saved.actions)
    )
    assert edited.id != saved.id and list(emulator.mailbox.filters) == [edited.id]
    assert emulator.mailbox.filters[edited.id]["criteria"] == {"subject": "Rechnung OR Invoice"}
    assert await logged("DELETE", f"/settings/filters/{saved.id}")
    assert not emulator.log.find("PUT", "/settings/filters")  # there is no update
    unchanged = await mail.save_rule(edited)
    assert unchanged.id == edited.id
    assert [r.id for r in await mail.list_rules()] == [edited.id]
    with emulator.lock:  # the filter files new mail as Gmail would
        billed = emulator.mailbox.deliver(b"From: shop@example.com\r\nSubject: Ihre Rechnung\r\n\r\nDanke.\r\n")
    assert billed.labels == {"Label_2"}
    await mail.delete_rule(edited.id)
    assert await mail.list_rules() == []
    with pytest.raises(ProviderError):
        await mail.save_rule(Rule(None, "x", RuleConditions(importance="high"), RuleActions(archive=True)))


async def test_vacation_is_the_auto_reply(mail: GmailMail, emulator: GoogleEmulator) -> None:
    assert (await mail.get_auto_reply()).mode is AutoReplyMode.DISABLED
    start = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
    wanted = AutoReply(
        mode=AutoReplyMode.SCHEDULED,
        start=start,
        end=start + dt.timedelta(days=14),
        subject="Im Urlaub",
        external_message="<p>Bin ab dem 3. Januar zurück.</p>",
        audience=AutoReplyAudience.CONTACTS,
        html=True,
    )
    saved = await mail.set_auto_reply(wanted)
    assert saved.mode is AutoReplyMode.SCHEDULED and (saved.start, saved.end) == (wanted.start, wanted.end)
    assert saved.audience is AutoReplyAudience.CONTACTS and saved.html
    vacation = emulator.mailbox.vacation
    assert vacation["enableAutoReply"] and vacation["restrictToContacts"] and not vacation["restrictToDomain"]
    assert "zurück" in vacation["responseBodyPlainText"] and vacation["startTime"] == str(int(start.timestamp() * 1000))
    assert await mail.get_auto_reply() == saved
    off = await mail.set_auto_reply(AutoReply())
    assert off.mode is AutoReplyMode.DISABLED


async def test_signatures_come_from_send_as(mail: GmailMail, emulator: GoogleEmulator) -> None:
    [signature] = await mail.list_signatures()
    assert signature.id == emulator.mailbox.email and signature.default_for_new
    assert signature.html == emulator.mailbox.send_as[0]["signature"] and "Example Corp" in signature.text


async def test_search_uses_gmails_query_syntax(mail: GmailMail, emulator: GoogleEmulator, logged: Logged) -> None:
    with emulator.lock:
        found = emulator.mailbox.deliver(
            b"From: Priya <priya.sharma@example.in>\r\nTo: alex.morgan@example.com\r\n"
            b"Subject: Zebra crossing\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n\r\nStripes.\r\n"
        )
    assert await mail.search("from:priya.sharma subject:zebra is:unread after:2026-01-01") == [found.id]
    assert await mail.search("zebra -in:inbox") == []
    assert len(await mail.search("in:anywhere", limit=7)) == 7
    archived = {m.id for m in emulator.mailbox.messages.values() if not m.labels & {"INBOX", "SENT", "SPAM", "TRASH"}}
    assert set(await mail.search("in:archive", limit=500)) == archived  # Gmail has none: the host's folder
    work = {m.id for m in emulator.mailbox.messages.values() if "Label_1" in m.labels and "TRASH" not in m.labels}
    assert set(await mail.search("in:Work", limit=500)) == work  # a label, as Gmail's label:
    assert found.id in await mail.search("-in:archive zebra")
    assert "after:2026/01/01" in (await logged("GET", "/messages"))[0].query_params["q"][0]


async def test_trash_and_delete_for_good(mail: GmailMail, emulator: GoogleEmulator) -> None:
    first, second = list(emulator.mailbox.newest_first())[:2]
    await mail.trash([first.id, second.id])
    assert "TRASH" in first.labels and "TRASH" in second.labels
    folders = (await mail.get_message(first.id)).folder_ids
    assert "TRASH" in folders and ARCHIVE not in folders
    await mail.delete([first.id])
    assert first.id not in emulator.mailbox.messages and second.id in emulator.mailbox.messages

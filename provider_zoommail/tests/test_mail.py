"""The Zoom Mail provider against the emulator over real HTTP: labels, listing, history, sending,
drafts, filters and the vacation responder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import pytest

from host.errors import CursorExpired, NotSupported
from host.mime import attachment_bytes
from host.model import (
    Address,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    FolderKind,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.sandbox.requestlog import LoggedRequest
from provider_zoommail.emulator import ZoomEmulator
from provider_zoommail.emulator.control import ZoomControl
from provider_zoommail.mail import ZoomMail, zoom_query


async def test_labels_are_folders_nested_by_parent_with_counts_and_an_archive(
    mail: ZoomMail, emulator: ZoomEmulator
) -> None:
    folders = {folder.id: folder for folder in await mail.list_folders()}
    kinds = {folder.kind for folder in folders.values()}
    assert {FolderKind.INBOX, FolderKind.SENT, FolderKind.DRAFTS, FolderKind.TRASH, FolderKind.ARCHIVE} <= kinds
    assert "UNREAD" not in folders
    child = next(f for f in folders.values() if f.name == "Ärger")
    assert folders[child.parent_id or ""].name == "Projekte"
    inbox = folders["INBOX"]
    in_inbox = [m for m in emulator.mailbox.messages.values() if "INBOX" in m.labels]
    assert inbox.total == len(in_inbox) and inbox.unread == sum("UNREAD" in m.labels for m in in_inbox)


async def test_labels_are_created_under_a_parent_renamed_and_deleted_with_their_children(
    mail: ZoomMail, emulator: ZoomEmulator
) -> None:
    parent = await mail.create_folder("Clients")
    child = await mail.create_folder("Acme", parent.id)
    assert (child.parent_id, emulator.mailbox.labels[child.id]["labelLevel"]) == (parent.id, 2)
    renamed = await mail.rename_folder(parent.id, "Customers")
    assert renamed.name == "Customers" and emulator.mailbox.labels[child.id]["parentId"] == parent.id
    await mail.delete_folder(parent.id)
    assert parent.id not in emulator.mailbox.labels and child.id not in emulator.mailbox.labels


async def test_a_full_listing_pages_newest_first_without_a_batch_endpoint(
    mail: ZoomMail, emulator: ZoomEmulator
) -> None:
    seen: list[str] = []
    dates: list[int] = []
    token: str | None = None
    while True:
        page = await mail.list_messages(page_token=token, since=None)
        seen.extend(message.id for message in page.messages)
        dates.extend(int(message.provider_data["internalDate"]) for message in page.messages)
        token = page.next_page_token
        if token is None:
            break
    assert len(seen) == len(set(seen)) == len(emulator.mailbox.messages)
    assert dates == sorted(dates, reverse=True)
    assert not emulator.log.find("POST", "/batch")
    # A message alone of its thread on a page comes by itself, two or more of a thread together.
    gets = emulator.log.find("GET", "/emails/mailboxes/me/messages/") + emulator.log.find("GET", "/threads/")
    assert all(entry.query_params["format"] == ["raw"] for entry in gets)
    assert len(emulator.log.find("GET", "/threads/")) > 0 and len(gets) < len(seen)


async def test_history_brings_new_mail_flag_changes_and_deletions(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    control = ZoomControl(emulator)
    cursor = await mail.current_cursor()
    old = next(iter(emulator.mailbox.messages))
    new = control.deliver(subject="Fresh", body="hello", sender="pat@example.org")
    control.mark(old, flagged=True)
    gone = list(emulator.mailbox.messages)[1]
    control.remove(gone)
    page = await mail.changes(cursor)
    assert [m.subject for m in page.added] == ["Fresh"] and page.added[0].id == new and page.added[0].unread
    assert [(u.id, u.flagged) for u in page.updated] == [(old, True)]
    assert page.deleted == (gone,) and not page.has_more
    assert (await mail.changes(page.cursor)).added == ()


async def test_a_forgotten_history_id_is_cursor_expired(
    mail: ZoomMail, emulator: ZoomEmulator, logged: Callable[..., Awaitable[list[LoggedRequest]]]
) -> None:
    cursor = await mail.current_cursor()
    ZoomControl(emulator).expire_mail_cursor()
    with pytest.raises(CursorExpired):
        await mail.changes(cursor)
    assert (await logged("GET", "/history"))[-1].status == 404
    fresh = await mail.current_cursor()
    assert (await mail.changes(fresh)).cursor == fresh
    emulator.faults.expire_cursors(1)  # the toolkit's injected expiry answers the same way
    with pytest.raises(CursorExpired):
        await mail.changes(fresh)


async def test_send_and_drafts_round_trip_through_zoom_mail(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    message = OutgoingMessage(to=(Address("pat@example.org", "Pat"),), subject="Hallo Zoom", body_text="Grüße")
    sent_id = await mail.send(message)
    sent = emulator.mailbox.messages[sent_id]
    assert "SENT" in sent.labels and sent.facts().subject == "Hallo Zoom"
    draft = await mail.save_draft(None, OutgoingMessage(to=(Address("pat@example.org"),), subject="Draft 1"))
    draft = await mail.save_draft(draft.id, OutgoingMessage(to=(Address("pat@example.org"),), subject="Draft 2"))
    assert [d.message.subject for d in await mail.list_drafts() if d.id == draft.id] == ["Draft 2"]
    sent_draft = await mail.send_draft(draft.id)
    assert "SENT" in emulator.mailbox.messages[sent_draft].labels
    assert draft.id not in {d.id for d in await mail.list_drafts()}


async def test_server_search_takes_the_hosts_operators(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    assert zoom_query("in:Work after:2024-05-01 -in:archive") == (
        "label:Work after:2024/05/01 {in:inbox in:sent in:drafts in:spam in:trash}"
    )
    found = ZoomControl(emulator).deliver(subject="Quarterly zebra report", body="x", sender="pat@example.org")
    assert await mail.search("subject:zebra in:inbox") == [found]


async def test_filters_round_trip_and_a_changed_filter_is_replaced(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    rule = Rule(
        None,
        "",
        RuleConditions(from_contains=("boss@example.com",), has_attachment=True),
        RuleActions(add_folder_ids=("Label_1",), mark_read=True, archive=True),
    )
    saved = await mail.save_rule(rule)
    assert saved.id in emulator.mailbox.filters
    assert [r.conditions for r in await mail.list_rules()] == [rule.conditions]
    assert (await mail.list_rules())[0].actions == rule.actions
    changed = await mail.save_rule(Rule(saved.id, "", RuleConditions(subject_contains=("invoice",)), rule.actions))
    assert set(emulator.mailbox.filters) == {changed.id} and changed.id != saved.id
    filed = ZoomControl(emulator).deliver(subject="Your invoice", body="x", sender="shop@example.org")
    assert emulator.mailbox.messages[filed].labels == {"Label_1"}  # archived, read, labelled
    await mail.delete_rule(changed.id)
    assert await mail.list_rules() == []


async def test_the_vacation_responder_round_trips(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    assert (await mail.get_auto_reply()).mode is AutoReplyMode.DISABLED
    start = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
    wanted = AutoReply(
        AutoReplyMode.SCHEDULED,
        start,
        start + dt.timedelta(days=14),
        "Away",
        "",
        "<p>Back in January</p>",
        AutoReplyAudience.DOMAIN,
        html=True,
    )
    saved = await mail.set_auto_reply(wanted)
    assert saved == AutoReply(
        AutoReplyMode.SCHEDULED,
        wanted.start,
        wanted.end,
        "Away",
        "<p>Back in January</p>",
        "<p>Back in January</p>",
        AutoReplyAudience.DOMAIN,
        html=True,
    )
    assert await mail.get_auto_reply() == saved
    assert emulator.mailbox.vacation["responseBodyPlainText"] == "Back in January"


async def test_attachments_are_fetched_by_the_hosts_part_numbers(mail: ZoomMail, emulator: ZoomEmulator) -> None:
    fetched = 0
    with_files = [m.id for m in emulator.mailbox.messages.values() if m.facts().filenames]
    for message_id in with_files[:4]:
        message = await mail.get_message(message_id)
        for attachment in message.attachments:
            expected = attachment_bytes(message.raw or b"", attachment.id)
            assert await mail.fetch_attachment(message_id, attachment.id) == expected
            fetched += 1
    assert fetched >= 3
    assert emulator.log.find("GET", "/attachments/")


async def test_signatures_are_not_on_the_server(mail: ZoomMail) -> None:
    with pytest.raises(NotSupported):
        await mail.list_signatures()

"""The Graph mail provider against the emulator over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt

import attrs
import httpx
import pytest

from host.errors import CursorExpired, NotSupported, ProviderError, RateLimited, TransientError
from host.mime import attachment_bytes
from host.model.mail import (
    Address,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    FolderKind,
    OutgoingAttachment,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.providers.connection import ProviderLimits
from host.providers.mail import MailCapability
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.control import GraphControl
from provider_m365.emulator.signin import sign_in
from provider_m365.mail import M365MailProvider


async def test_folders_and_categories(mail: M365MailProvider) -> None:
    folders = {f.name: f for f in await mail.list_folders()}
    kinds = {f.kind for f in folders.values()}
    assert {FolderKind.INBOX, FolderKind.SENT, FolderKind.DRAFTS, FolderKind.TRASH, FolderKind.SPAM} <= kinds
    assert {FolderKind.ARCHIVE, FolderKind.OUTBOX} <= kinds
    assert folders["Sync Issues"].hidden and not folders["Inbox"].hidden
    assert folders["Ärger"].parent_id == folders["Projekte"].id
    assert folders["Receipts"].parent_id == folders["Inbox"].id
    assert folders["Inbox"].parent_id is None and folders["Inbox"].exclusive
    work = folders["Work"]
    assert work.kind is FolderKind.CATEGORY and not work.exclusive and work.id == "category:Work"
    assert work.color and work.color.startswith("#")
    assert folders["Inbox"].total and folders["Inbox"].unread is not None


async def test_full_listing_is_newest_first_with_parsed_bodies(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    mail.limits = ProviderLimits(max_concurrency=4, batch_size=20, page_size=40)
    first = await mail.list_messages(page_token=None, since=None)
    second = await mail.list_messages(page_token=first.next_page_token, since=None)
    messages = [*first.messages, *second.messages]
    assert len(first.messages) == 40 and second.next_page_token is None
    assert len(messages) == len(emulator.mailbox.messages)
    dates = [m.date for m in messages]
    assert dates == sorted(dates, reverse=True)
    assert any(m.body_html for m in messages) and all(m.body_text or m.parse_note for m in messages)
    assert emulator.log.find("GET", "/v1.0/me/messages") and not emulator.log.find("POST", "/$batch")  # one a page
    stored = emulator.mailbox.message(messages[0].id)
    assert messages[0].thread_id == stored.conversation_id
    assert messages[0].folder_ids[0] == stored.folder_id
    assert messages[0].message_id_header == stored.internet_message_id
    since = messages[10].date
    recent = await mail.list_messages(page_token=None, since=since)
    assert [m.id for m in recent.messages] == [m.id for m in messages[:11]]


async def test_listed_messages_match_the_mime_content(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    """The structured form a listing takes says what the MIME content says."""
    listed = (await mail.list_messages(page_token=None, since=None)).messages
    compared = 0
    for message in listed:
        opened = await mail.get_message(message.id)
        assert opened.raw and opened.id == message.id
        if opened.parse_note:
            continue  # malformed on purpose: the MIME parser's account of it is its own
        compared += 1
        for field in ("thread_id", "subject", "message_id_header", "in_reply_to", "references", "folder_ids", "date"):
            assert getattr(message, field) == getattr(opened, field), (field, message.id)
        assert message.sender and opened.sender and message.sender.email == opened.sender.email
        assert [a.email for a in message.to] == [a.email for a in opened.to]
        assert (message.unread, message.flagged) == (opened.unread, opened.flagged)
        assert message.has_attachments == opened.has_attachments
        assert {a.filename for a in message.attachments} == {a.filename for a in opened.attachments}
        assert set(message.body_text.split()) & set(opened.body_text.split())
    assert compared > len(listed) // 2


async def test_immutable_ids_survive_moves(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    folders = await mail.list_folders()
    archive = next(f.id for f in folders if f.kind is FolderKind.ARCHIVE)
    inbox_id = next(f.id for f in folders if f.kind is FolderKind.INBOX)
    message_id = emulator.mailbox.in_folder(inbox_id)[0].key

    assert await mail.move([message_id], archive) == {}  # nothing to remap: the id stays
    moved = await mail.get_message(message_id)
    assert moved.id == message_id and moved.folder_ids[0] == archive
    assert all('IdType="ImmutableId"' in (e.header("prefer") or "") for e in emulator.log.find(path_contains="/v1.0/"))


async def test_without_the_prefer_header_ids_change_on_move(server: str, emulator: GraphEmulator) -> None:
    token = (await sign_in(server))["access_token"]
    async with httpx.AsyncClient(base_url=server + "/v1.0", headers={"Authorization": f"Bearer {token}"}) as client:
        forgotten = await client.get("/me/mailFolders/inbox/messages/delta", params={"$deltatoken": "e30"})
        assert forgotten.status_code == 410 and forgotten.json()["error"]["code"] == "syncStateNotFound"
        first = (await client.get("/me/mailFolders/inbox/messages", params={"$top": "1"})).json()["value"][0]
        answer = await client.post(f"/me/messages/{first['id']}/move", json={"destinationId": "archive"})
        assert answer.status_code == 201
        assert answer.json()["id"] != first["id"]
        gone = await client.get(f"/me/messages/{first['id']}")
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "ErrorItemNotFound"


async def test_changes_report_what_happened_on_the_server(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    control = GraphControl(emulator)
    cursor = await mail.current_cursor()
    unchanged = await mail.changes(cursor)
    assert (unchanged.added, unchanged.updated, unchanged.deleted) == ((), (), ())

    new_id = control.deliver(subject="Fresh news", body="Hello from the server", sender="ana.mueller@example.de")
    some = sorted(control.message_ids() - {new_id})
    control.mark(some[0], unread=True, flagged=True)
    control.remove(some[1])
    archive = emulator.mailbox.well_known("archive").id
    moved = emulator.mailbox.message(some[2])
    emulator.mailbox.move(moved, archive if moved.folder_id != archive else "inbox")

    page = await mail.changes(unchanged.cursor)
    assert [m.id for m in page.added] == [new_id]
    assert page.added[0].subject == "Fresh news" and "Hello from the server" in page.added[0].body_text
    assert page.added[0].unread and page.added[0].sender.email == "ana.mueller@example.de"
    updates = {u.id: u for u in page.updated}
    assert updates[some[0]].unread and updates[some[0]].flagged
    assert updates[some[2]].folder_ids[0] == moved.folder_id  # a move is an update, not a deletion
    assert page.deleted == (some[1],) and not page.has_more
    again = await mail.changes(page.cursor)
    assert (again.added, again.updated, again.deleted) == ((), (), ())


async def test_the_catch_up_after_a_listing_misses_nothing(
    mail: M365MailProvider, emulator: GraphEmulator, connection
) -> None:
    control = GraphControl(emulator)
    cursor = await mail.current_cursor()
    assert len(emulator.log.find("GET", "/v1.0/")) == 1  # cheap: the first page is not kept waiting
    listed = await mail.list_messages(page_token=None, since=None)
    ids = [m.id for m in listed.messages]
    # While the listing went on: a new message, a listed one read, one deleted, one moved.
    new_id = control.deliver(subject="During the listing", body="x", sender="ana.mueller@example.de")
    control.mark(ids[0], unread=not listed.messages[0].unread)
    control.remove(ids[1])
    emulator.mailbox.move(emulator.mailbox.message(ids[2]), "junkemail")
    other = M365MailProvider(connection)  # a restart between listing and catch-up
    with pytest.raises(CursorExpired):
        await other.changes(cursor)
    page = await mail.changes(cursor)
    assert [m.id for m in page.added] == [new_id]
    assert {u.id for u in page.updated} == {ids[0], ids[2]}
    assert page.deleted == (ids[1],)
    quiet = await mail.changes(page.cursor)
    assert (quiet.added, quiet.updated, quiet.deleted) == ((), (), ())


async def test_a_draft_edited_elsewhere_comes_again_whole(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    cursor = (await mail.changes(await mail.current_cursor())).cursor
    draft = emulator.mailbox.add_message("drafts", composed=OutgoingMessage(to=(), subject="Half done"), is_draft=True)
    cursor = (await mail.changes(cursor)).cursor
    emulator.mailbox.update(draft, {"subject": "Nearly done"})  # another device edits the draft
    edited = await mail.changes(cursor)
    assert [m.subject for m in edited.added] == ["Nearly done"] and not edited.updated


async def test_an_expired_delta_link_is_cursor_expired(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    cursor = (await mail.changes(await mail.current_cursor())).cursor  # the first round gives delta links
    emulator.faults.expire_cursors(1)
    with pytest.raises(CursorExpired):
        await mail.changes(cursor)
    assert [e.status for e in emulator.log.find("GET", "/messages/delta")].count(410) == 1
    GraphControl(emulator).expire_mail_cursor()  # the server forgets every sync state
    with pytest.raises(CursorExpired):
        await mail.changes(cursor)
    with pytest.raises(CursorExpired):
        await mail.changes("not a cursor")


async def test_batches_hold_at_most_twenty_requests(mail: M365MailProvider, emulator: GraphEmulator, server: str):
    keys = [m.key for m in emulator.mailbox.newest_first()[:45]]
    raws = await mail.graph.batch_values([{"method": "GET", "url": f"/me/messages/{k}/$value"} for k in keys])
    assert raws == [emulator.mailbox.raw(emulator.mailbox.message(k)) for k in keys]  # in order, bytes decoded
    sizes = [len(b.json["requests"]) for b in emulator.log.find("POST", "/v1.0/$batch")]
    assert sorted(sizes) == [5, 20, 20]
    token = (await sign_in(server))["access_token"]
    requests = [{"id": str(n), "method": "GET", "url": "/me/mailFolders/inbox"} for n in range(21)]
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        answer = await client.post(f"{server}/v1.0/$batch", json={"requests": requests})
    assert answer.status_code == 400 and "at most 20" in answer.json()["error"]["message"]


async def test_requests_inside_a_batch_are_throttled_one_by_one(mail: M365MailProvider, emulator: GraphEmulator):
    keys = [m.key for m in emulator.mailbox.newest_first()[:30]]
    requests = [{"method": "GET", "url": f"/me/messages/{k}/$value"} for k in keys]
    emulator.faults.queue_status(429, count=3, path=r"/\$value$", retry_after=0.01)
    assert len(await mail.graph.batch_values(requests)) == 30
    statuses = [e.status for e in emulator.log.find("GET", "/$value")]
    assert statuses.count(429) == 3 and statuses.count(200) == 30
    assert all(e.status == 200 for e in emulator.log.find("POST", "/$batch"))  # the batches themselves passed
    emulator.faults.queue_status(429, path=r"/\$value$", retry_after=30)
    with pytest.raises(RateLimited) as throttled:  # a long wait is the engine's to make
        await mail.graph.batch_values(requests)
    assert throttled.value.retry_after == 30
    emulator.faults.queue_drop(path=r"/\$value$")
    with pytest.raises(TransientError):
        await mail.graph.batch_values(requests)


async def test_a_short_throttle_holds_back_every_request_of_the_mailbox(
    mail: M365MailProvider, emulator: GraphEmulator
) -> None:
    # The budget is the mailbox's: a request sent while another waits out its Retry-After would only be
    # throttled too, and would leave the budget unused for another whole second.
    emulator.faults.queue_status(429, path="/mailboxSettings", retry_after=1)
    throttled_seen = asyncio.get_running_loop().create_future()

    async def seen(response: httpx.Response) -> None:
        if response.status_code == 429 and not throttled_seen.done():
            throttled_seen.set_result(None)

    mail.graph.connection.http.event_hooks["response"].append(seen)
    throttled = asyncio.create_task(mail.get_auto_reply())
    await throttled_seen  # the client has its 429 (it handles it before it next yields)
    other = asyncio.create_task(mail.list_rules())
    await asyncio.sleep(0.3)
    assert not emulator.log.find("GET", "/messageRules")  # held until the Retry-After has passed
    await asyncio.gather(throttled, other)
    assert [e.status for e in emulator.log.find("GET", "/mailboxSettings")] == [429, 200]
    assert [e.status for e in emulator.log.find("GET", "/messageRules")] == [200]


async def test_a_full_sync_keeps_to_four_requests_in_flight(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    # Every API answer takes a while (long beside a loaded machine's scheduling), so that requests really overlap.
    emulator.faults.queue_latency(0.05, count=100_000, path=r"^/v1\.0/")
    cursor_task = asyncio.create_task(mail.current_cursor())
    token: str | None = None
    pages = []
    while True:
        page = await mail.list_messages(page_token=token, since=None)
        pages.append(page)
        token = page.next_page_token
        if not token:
            break
    await mail.changes(await cursor_task)
    assert sum(len(p.messages) for p in pages) == len(emulator.mailbox.messages)
    assert emulator.concurrency.peak == 4  # as many as allowed, in parallel: never more
    assert emulator.concurrency.refused == 0
    assert not [e for e in emulator.log.entries if e.status == 429]


async def test_an_engine_sync_beside_the_calendar_stays_within_the_mailbox_limit(
    connection, emulator: GraphEmulator, tmp_path
) -> None:
    from host.store import MailStore, new_key
    from host.sync import SyncEngine
    from provider_m365.calendar import M365CalendarProvider

    emulator.faults.queue_latency(0.01, count=100_000, path=r"^/v1\.0/")
    mail, calendar = M365MailProvider(connection), M365CalendarProvider(connection)
    now = dt.datetime.now(dt.UTC)

    async def calendars() -> None:
        for found in await calendar.list_calendars():
            await calendar.list_events(found.id, now - dt.timedelta(days=30), now + dt.timedelta(days=30))

    with MailStore.open(tmp_path / "mail.db", new_key()) as store:
        await asyncio.gather(SyncEngine(mail, store).sync(), calendars())
        assert store.count()[0] == len(emulator.mailbox.messages)
    assert emulator.concurrency.peak == 4 and emulator.concurrency.refused == 0


async def test_a_fifth_concurrent_request_is_refused(server: str, emulator: GraphEmulator) -> None:
    emulator.faults.queue_latency(0.05, count=8, path=r"^/v1\.0/")
    token = (await sign_in(server))["access_token"]
    async with httpx.AsyncClient(base_url=server + "/v1.0", headers={"Authorization": f"Bearer {token}"}) as client:
        answers = await asyncio.gather(*(client.get("/me/mailFolders/inbox") for _ in range(8)))
    refused = [a for a in answers if a.status_code == 429]
    assert refused and len(refused) <= 4
    assert refused[0].json()["error"]["code"] == "ApplicationThrottled" and refused[0].headers["Retry-After"] == "1"


async def test_throttling_and_server_errors_become_host_errors(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    emulator.faults.queue_status(429, count=2, path="/mailboxSettings", retry_after=0.01)
    await mail.get_auto_reply()  # short throttles are waited out inside the request
    assert [e.status for e in emulator.log.find("GET", "/mailboxSettings")] == [429, 429, 200]
    emulator.faults.queue_status(429, path="/mailFolders", retry_after=7)
    with pytest.raises(RateLimited) as throttled:  # a long one goes to the engine, which pauses every call
        await mail.list_folders()
    assert throttled.value.retry_after == 7
    emulator.faults.queue_status(503, path="/mailFolders")
    with pytest.raises(TransientError):
        await mail.list_folders()
    with pytest.raises(ProviderError) as missing:
        await mail.get_message("AAMkAGnothere")
    assert missing.value.status == 404


async def test_modify_flags_categories_and_archive(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    inbox = emulator.mailbox.well_known("inbox").id
    ids = [m.key for m in emulator.mailbox.in_folder(inbox)[:3]]
    await mail.modify(ids, add_folder_ids=["category:Travel"], unread=False, flagged=True)
    for key in ids:
        stored = emulator.mailbox.message(key)
        assert stored.is_read and stored.flag_status == "flagged" and "Travel" in stored.categories
    await mail.modify(ids[:1], remove_folder_ids=["category:Travel", inbox])
    stored = emulator.mailbox.message(ids[0])
    assert "Travel" not in stored.categories and stored.folder_id == emulator.mailbox.well_known("archive").id
    await mail.trash(ids[1:2])
    assert emulator.mailbox.message(ids[1]).folder_id == emulator.mailbox.well_known("deleteditems").id
    await mail.delete(ids[2:])
    assert ids[2] not in emulator.mailbox.messages


async def test_send_keeps_the_message_id_and_reaches_the_sender(
    mail: M365MailProvider, emulator: GraphEmulator
) -> None:
    message = OutgoingMessage(
        to=(Address("alex.morgan@example.com", "Alex Morgan"),),
        cc=(Address("ana.mueller@example.de"),),
        subject="Grüße – the plan",
        body_text="See attached.",
        attachments=(OutgoingAttachment("plan.txt", "text/plain", b"step one\n"),),
        message_id_header="<plan-1@example.com>",
    )
    sent_id = await mail.send(message)
    sent = [m for m in emulator.mailbox.messages.values() if m.internet_message_id == "<plan-1@example.com>"]
    assert emulator.mailbox.message(sent_id).folder_id == emulator.mailbox.well_known("sentitems").id
    assert sorted(await mail.search("rfc822msgid:<plan-1@example.com>")) == sorted(m.key for m in sent)
    assert {emulator.mailbox.folder(m.folder_id).well_known for m in sent} == {"sentitems", "inbox"}
    assert GraphControl(emulator).sent_subjects() == ["Grüße – the plan"]
    assert all(m.raw is not None and m.composed is None for m in sent)  # sent as MIME, so our headers travel


async def test_drafts_replies_and_sending_them(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    outgoing = OutgoingMessage(
        to=(Address("ana.mueller@example.de", "Ana"),),
        subject="Draft one",
        body_html="<p>Hello</p>",
        attachments=(OutgoingAttachment("a.txt", "text/plain", b"A"),),
    )
    draft = await mail.save_draft(None, outgoing)
    assert draft.message.subject == "Draft one" and draft.message.body_html == "<p>Hello</p>"
    changed = await mail.save_draft(draft.id, attrs.evolve(outgoing, subject="Draft two"))
    assert changed.id == draft.id
    drafts = {d.id: d for d in await mail.list_drafts()}
    assert drafts[draft.id].message.subject == "Draft two"
    assert drafts[draft.id].message.to == (Address("ana.mueller@example.de", "Ana"),)

    original = emulator.mailbox.in_folder(emulator.mailbox.well_known("inbox").id)[0]
    reply = await mail.create_reply(original.key, comment="Thanks!")
    stored = emulator.mailbox.message(reply.id)
    assert stored.conversation_id == original.conversation_id and stored.is_draft
    assert reply.message.subject.startswith("RE: ") and "Thanks!" in reply.message.body_text
    sent_id = await mail.send_draft(reply.id)
    assert reply.id not in emulator.mailbox.messages
    assert emulator.mailbox.message(sent_id).conversation_id == original.conversation_id
    assert GraphControl(emulator).sent_subjects() == [reply.message.subject]
    forward = await mail.create_forward(original.key, [Address("lena.schmidt@example.com")])
    assert forward.message.to == (Address("lena.schmidt@example.com", "lena.schmidt@example.com"),)
    await mail.delete_draft(draft.id)
    assert draft.id not in {d.id for d in await mail.list_drafts()}


async def test_a_reply_draft_lands_in_the_original_conversation(mail: M365MailProvider, emulator: GraphEmulator):
    original = emulator.mailbox.in_folder(emulator.mailbox.well_known("inbox").id)[0]
    outgoing = OutgoingMessage(
        to=(Address("ana.mueller@example.de"),),
        subject="Re: x",
        body_text="Yes.",
        in_reply_to=original.internet_message_id,
    )
    draft = await mail.save_draft(None, outgoing)
    assert emulator.mailbox.message(draft.id).conversation_id == original.conversation_id
    assert draft.message.body_text == "Yes."


async def test_attachments_file_and_reference(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    with_reference = next(m for m in emulator.mailbox.messages.values() if m.extra_attachments)
    message = await mail.get_message(with_reference.key)
    files = [a for a in message.attachments if a.kind == "file" and not a.inline]
    reference = next(a for a in message.attachments if a.kind == "reference")
    assert files and reference.filename == "Shared plan.docx"
    data = await mail.fetch_attachment(message.id, files[0].id)
    assert data == attachment_bytes(emulator.mailbox.raw(with_reference), files[0].id)
    with pytest.raises(ProviderError, match="link to a file"):
        await mail.fetch_attachment(message.id, reference.id)
    # A listed message names its attachments by Graph's ids; they fetch the same bytes.
    listed = next(m for m in (await mail.list_messages(page_token=None, since=None)).messages if m.id == message.id)
    by_name = {a.filename: a for a in listed.attachments}
    assert by_name[files[0].filename].id.startswith("graph:")
    assert await mail.fetch_attachment(message.id, by_name[files[0].filename].id) == data


async def test_server_search(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    control = GraphControl(emulator)
    found_id = control.deliver(
        subject="Quokka migration plan", body="the quokkas move on Friday", sender="x@example.org"
    )
    assert await mail.search("quokka") == [found_id]
    assert await mail.search("subject:quokka from:x@example.org") == [found_id]
    assert await mail.search("body:friday quokkas") == [found_id]
    assert await mail.search("subject:quokkas") == []  # only the body has the plural
    assert len(await mail.search("the", limit=5)) == 5


async def test_rules_round_trip(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    folders = {f.name: f.id for f in await mail.list_folders()}
    seeded = await mail.list_rules()
    assert seeded and seeded[0].actions.archive and seeded[0].actions.mark_read
    rule = Rule(
        id=None,
        name="Receipts",
        conditions=RuleConditions(
            from_contains=("billing@",),
            subject_contains=("invoice", "receipt"),
            has_attachment=True,
            importance="high",
            size_larger_than=10 * 1024,
        ),
        actions=RuleActions(
            add_folder_ids=("category:Work",),
            move_to_folder_id=folders["Receipts"],
            mark_read=True,
            forward_to=(Address("books@example.com", "Books"),),
            stop_processing=True,
        ),
        exceptions=RuleConditions(body_contains=("personal",)),
        enabled=False,
        sequence=2,
    )
    saved = await mail.save_rule(rule)
    assert saved.id is not None and attrs.evolve(saved, id=None) == rule
    assert saved in await mail.list_rules()
    changed = await mail.save_rule(attrs.evolve(saved, enabled=True, actions=RuleActions(archive=True, delete=False)))
    assert changed.enabled and changed.actions == RuleActions(archive=True)
    assert emulator.mailbox.rules[saved.id]["actions"]["moveToFolder"] == emulator.mailbox.well_known("archive").id
    await mail.delete_rule(saved.id)
    assert saved.id not in {r.id for r in await mail.list_rules()}
    with pytest.raises(NotSupported):
        await mail.save_rule(attrs.evolve(rule, actions=RuleActions(mark_flagged=True)))
    with pytest.raises(NotSupported):
        await mail.save_rule(attrs.evolve(rule, conditions=RuleConditions(query="has:attachment")))


async def test_auto_reply_round_trip(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    assert (await mail.get_auto_reply()).mode is AutoReplyMode.DISABLED
    wanted = AutoReply(
        mode=AutoReplyMode.SCHEDULED,
        start=dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC),
        end=dt.datetime(2026, 7, 15, 18, tzinfo=dt.UTC),
        internal_message="<p>Back on the 16th.</p>",
        external_message="<p>I am away until 16 July.</p>",
        audience=AutoReplyAudience.CONTACTS,
        html=True,
    )
    assert await mail.set_auto_reply(wanted) == wanted
    assert await mail.get_auto_reply() == wanted
    stored = emulator.mailbox.settings["automaticRepliesSetting"]
    assert stored["status"] == "scheduled" and stored["externalAudience"] == "contactsOnly"
    # Graph has no "domain only": only the organisation is answered, which is externalAudience none.
    domain = await mail.set_auto_reply(
        attrs.evolve(wanted, mode=AutoReplyMode.ALWAYS, audience=AutoReplyAudience.DOMAIN)
    )
    assert domain.audience is AutoReplyAudience.NONE and domain.mode is AutoReplyMode.ALWAYS


async def test_signatures_are_declared_missing(mail: M365MailProvider) -> None:
    assert MailCapability.SIGNATURES not in mail.capabilities
    assert MailCapability.LABELS not in mail.capabilities  # folders are exclusive; categories are CATEGORIES
    with pytest.raises(NotSupported):
        await mail.list_signatures()


async def test_folder_editing(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    projects = await mail.create_folder("Projects")
    child = await mail.create_folder("Q3", parent_id=projects.id)
    assert emulator.mailbox.folder(child.id).parent_id == projects.id
    renamed = await mail.rename_folder(child.id, "Q4")
    assert renamed.name == "Q4" and emulator.mailbox.folder(child.id).name == "Q4"
    await mail.delete_folder(projects.id)
    assert projects.id not in emulator.mailbox.folders and child.id not in emulator.mailbox.folders
    await mail.delete_folder("category:Family")
    assert "Family" not in {f.name for f in await mail.list_folders()}
    with pytest.raises(ProviderError) as refused:
        await mail.rename_folder(emulator.mailbox.well_known("inbox").id, "Mine")
    assert refused.value.status == 403

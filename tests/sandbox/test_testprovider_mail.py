"""TestMail's mail provider, every method, against its emulator over loopback HTTP."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from testprovider.emulator import TestMailEmulator
from testprovider.mail import TestMailProvider, TestMailProviderFactory
from testprovider.signin import open_connection

from host.errors import AuthError, CursorExpired, ProviderError, RateLimited, TransientError
from host.model.mail import (
    Address,
    AutoReply,
    AutoReplyMode,
    FolderKind,
    OutgoingAttachment,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.providers.mail import MailCapability, MailProvider, MailProviderFactory
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions

ANA = Address("ana.mueller@example.de", "Ana Müller")


def test_the_factory_and_the_session_keep_the_protocols() -> None:
    factory = TestMailProviderFactory()
    assert isinstance(factory, MailProviderFactory)
    assert MailCapability.CATEGORIES not in factory.capabilities
    assert {MailCapability.LABELS, MailCapability.DRAFTS, MailCapability.RULES} <= factory.capabilities


async def test_session_is_a_mail_provider(mail: TestMailProvider) -> None:
    assert isinstance(mail, MailProvider)


async def test_folders_with_counts(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    folders = {f.id: f for f in await mail.list_folders()}
    assert folders["INBOX"].kind is FolderKind.INBOX
    assert folders["INBOX"].total == sum("INBOX" in m.folder_ids for m in emulator.state.messages.values())
    assert folders["INBOX"].unread == sum(
        "INBOX" in m.folder_ids and m.unread for m in emulator.state.messages.values()
    )
    nested = [f for f in folders.values() if f.parent_id]
    assert nested and folders[nested[0].parent_id].name == "Projekte"


async def test_full_listing_is_newest_first_and_complete(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    seen = []
    token = None
    while True:
        page = await mail.list_messages(page_token=token, since=None)
        seen.extend(page.messages)
        token = page.next_page_token
        if token is None:
            break
    assert len(seen) == len(emulator.state.messages) == 60
    assert len({m.id for m in seen}) == 60
    assert [m.date for m in seen] == sorted((m.date for m in seen), reverse=True)
    by_id = {m.id: m for m in seen}
    stored = next(iter(emulator.state.messages.values()))
    assert set(by_id[stored.id].folder_ids) == stored.folder_ids
    assert by_id[stored.id].unread == stored.unread and by_id[stored.id].raw == emulator.state.raw(stored.id)


async def test_listing_since_a_date(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    dates = sorted((m.date for m in emulator.state.messages.values()), reverse=True)
    page = await mail.list_messages(page_token=None, since=dates[9])
    assert len(page.messages) == 10 and page.next_page_token is None


async def test_get_message_parses_it(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    meta = next(
        emulator.state.mailbox.meta(i) for i in range(60) if "non-ascii" in emulator.state.mailbox.meta(i).features
    )
    message = await mail.get_message(meta.id)
    assert message.subject == meta.subject
    assert message.sender is not None and message.sender.email == meta.sender.email
    assert message.thread_id == meta.thread_id and message.message_id_header == meta.message_id
    assert message.body_text


async def test_fetch_attachment(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    mailbox = emulator.state.mailbox
    generated = next(mailbox.meta(i) for i in range(len(mailbox)) if "attachment" in mailbox.meta(i).features)
    message = await mail.get_message(generated.id)
    first = next(a for a in message.attachments if not a.inline)
    data = await mail.fetch_attachment(generated.id, first.id)
    assert len(data) == first.size > 0

    outgoing = OutgoingMessage(
        to=(emulator.state.owner,),
        subject="Report",
        body_text="See attached.",
        attachments=(OutgoingAttachment("report.pdf", "application/pdf", b"%PDF-1.4 hello"),),
    )
    message_id = await mail.send(outgoing)
    message = await mail.get_message(message_id)
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type) == ("report.pdf", "application/pdf")
    assert await mail.fetch_attachment(message_id, attachment.id) == b"%PDF-1.4 hello"
    with pytest.raises(ProviderError) as missing:
        await mail.fetch_attachment(message_id, "7")
    assert missing.value.status == 404


async def test_incremental_changes_after_server_side_changes(
    mail: TestMailProvider, emulator: TestMailEmulator
) -> None:
    state = emulator.state
    cursor = await mail.current_cursor()
    first, second, third = list(state.messages)[:3]
    arrived = state.add_message(subject="Fresh news", sender=ANA)
    was_flagged = state.messages[first].flagged
    state.modify([first], add=["IMPORTANT"], flagged=not was_flagged)
    state.delete([second])
    state.add_message(subject="Gone again")
    state.delete([list(state.messages)[-1]])
    page = await mail.changes(cursor)
    assert [m.subject for m in page.added] == ["Fresh news"]
    assert page.added[0].id == arrived.id and page.added[0].unread
    assert [u.id for u in page.updated] == [first]
    assert "IMPORTANT" in page.updated[0].folder_ids and page.updated[0].flagged is not was_flagged
    assert second in page.deleted and third not in page.deleted
    assert not page.has_more
    assert (await mail.changes(page.cursor)).added == ()


async def test_changes_come_in_pages(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    cursor = await mail.current_cursor()
    ids = list(emulator.state.messages)
    for message_id in ids[:55]:
        emulator.state.modify([message_id], flagged=True)
        emulator.state.modify([message_id], flagged=False)
    seen: set[str] = set()
    pages = 0
    while True:
        page = await mail.changes(cursor)
        pages += 1
        seen.update(u.id for u in page.updated)
        cursor = page.cursor
        if not page.has_more:
            break
    assert pages == 2 and seen == set(ids[:55])


async def test_expired_cursor(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    cursor = await mail.current_cursor()
    emulator.state.add_message()
    emulator.state.expire_history()
    with pytest.raises(CursorExpired):
        await mail.changes(cursor)
    fresh = await mail.current_cursor()
    assert (await mail.changes(fresh)).added == ()
    emulator.state.expire_history()  # even a cursor with nothing after it is forgotten
    with pytest.raises(CursorExpired):
        await mail.changes(fresh)
    fresh = await mail.current_cursor()
    emulator.faults.expire_cursors(1)
    with pytest.raises(CursorExpired):
        await mail.changes(fresh)
    with pytest.raises(CursorExpired):
        await mail.changes("not-a-cursor")


async def test_modify_move_trash_delete(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    state = emulator.state
    one, two, three = list(state.messages)[:3]
    await mail.modify([one, two], add_folder_ids=["IMPORTANT"], remove_folder_ids=["INBOX"], unread=True, flagged=True)
    assert all(
        "IMPORTANT" in state.messages[i].folder_ids and "INBOX" not in state.messages[i].folder_ids for i in (one, two)
    )
    assert state.messages[one].unread and state.messages[one].flagged
    assert await mail.move([one], "SPAM") == {}
    assert state.messages[one].folder_ids == {"SPAM", "IMPORTANT"}
    await mail.trash([two])
    assert "TRASH" in state.messages[two].folder_ids
    await mail.delete([three])
    assert three not in state.messages
    with pytest.raises(ProviderError) as unknown:
        await mail.modify([one], add_folder_ids=["NOPE"])
    assert unknown.value.status == 400


async def test_send_keeps_it_in_sent_and_threads_replies(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    original = emulator.state.mailbox.meta(59)
    reply = OutgoingMessage(
        to=(ANA,),
        cc=(Address("wei.chen@example.cn", "陈伟"),),
        bcc=(Address("secret@example.com"),),
        subject="Re: Grüße",
        body_text="Danke!",
        body_html="<p>Danke!</p>",
        in_reply_to=original.message_id,
        references=(original.message_id,),
    )
    sent_id = await mail.send(reply)
    stored = emulator.state.messages[sent_id]
    assert stored.folder_ids == {"SENT"} and not stored.unread
    assert stored.thread_id == original.thread_id
    message = await mail.get_message(sent_id)
    assert message.subject == "Re: Grüße" and message.body_html.strip() == "<p>Danke!</p>"
    assert message.bcc == ()  # the server does not keep Bcc in what it delivers
    (request,) = emulator.log.find("POST", "/send")
    assert request.header("authorization") == "Bearer <redacted>"
    with pytest.raises(ProviderError):
        await mail.send(OutgoingMessage(to=(), subject="nobody"))


async def test_drafts(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    draft = await mail.save_draft(None, OutgoingMessage(to=(ANA,), subject="Entwurf", body_text="erste Fassung"))
    assert draft.message.subject == "Entwurf" and draft.message.body_text == "erste Fassung"
    changed = await mail.save_draft(draft.id, OutgoingMessage(to=(ANA,), subject="Entwurf 2", body_text="zweite"))
    assert changed.id == draft.id
    assert [d.message.subject for d in await mail.list_drafts()] == ["Entwurf 2"]
    other = await mail.save_draft(None, OutgoingMessage(to=(ANA,), subject="Weg damit"))
    await mail.delete_draft(other.id)
    sent_id = await mail.send_draft(draft.id)
    assert await mail.list_drafts() == []
    assert emulator.state.messages[sent_id].subject == "Entwurf 2"
    with pytest.raises(ProviderError) as gone:
        await mail.send_draft(draft.id)
    assert gone.value.status == 404


async def test_server_search(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    emulator.state.add_message(subject="Quarterly zebra report", sender=ANA)
    emulator.state.add_message(subject="Another zebra", sender=Address("bob@example.com"), unread=False)
    assert len(await mail.search("zebra")) == 2
    assert len(await mail.search("zebra from:ana.mueller")) == 1
    assert len(await mail.search("zebra is:unread")) == 1
    assert len(await mail.search("zebra -from:bob")) == 1
    assert len(await mail.search("subject:quarterly in:inbox zebra")) == 1
    everything = await mail.search("", limit=5)
    assert len(everything) == 5


async def test_folder_edits(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    parent = await mail.create_folder("Kunden")
    child = await mail.create_folder("München", parent.id)
    assert child.parent_id == parent.id
    renamed = await mail.rename_folder(child.id, "Muenchen")
    assert renamed.name == "Muenchen"
    message_id = next(iter(emulator.state.messages))
    await mail.modify([message_id], add_folder_ids=[child.id])
    await mail.delete_folder(child.id)
    assert child.id not in {f.id for f in await mail.list_folders()}
    assert child.id not in emulator.state.messages[message_id].folder_ids
    with pytest.raises(ProviderError):
        await mail.delete_folder("INBOX")


async def test_rules(mail: TestMailProvider) -> None:
    rule = Rule(
        None,
        "Receipts",
        RuleConditions(from_contains=("billing@",), has_attachment=True),
        RuleActions(add_folder_ids=("IMPORTANT",), mark_read=True, forward_to=(ANA,)),
    )
    saved = await mail.save_rule(rule)
    assert saved.id and saved.conditions == rule.conditions and saved.actions == rule.actions
    changed = await mail.save_rule(attrs.evolve(saved, name="Bills"))
    assert changed.id == saved.id and [r.name for r in await mail.list_rules()] == ["Bills"]
    await mail.delete_rule(saved.id)
    assert await mail.list_rules() == []


async def test_auto_reply_and_signatures(mail: TestMailProvider) -> None:
    assert (await mail.get_auto_reply()).mode is AutoReplyMode.DISABLED
    wanted = AutoReply(
        AutoReplyMode.SCHEDULED,
        start=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
        end=dt.datetime(2026, 8, 15, tzinfo=dt.UTC),
        subject="Urlaub",
        internal_message="Bin weg.",
        external_message="Out of office.",
    )
    assert await mail.set_auto_reply(wanted) == wanted
    assert await mail.get_auto_reply() == wanted
    (signature,) = await mail.list_signatures()
    assert signature.text.endswith("Alex Morgan")


async def test_errors_map_to_the_hosts(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    emulator.faults.queue_status(429, path="/folders", retry_after=7)
    with pytest.raises(RateLimited) as limited:
        await mail.list_folders()
    assert limited.value.retry_after == 7
    emulator.faults.queue_status(503, path="/folders")
    with pytest.raises(TransientError):
        await mail.list_folders()
    emulator.faults.queue_drop(path="/folders")
    with pytest.raises(TransientError):
        await mail.list_folders()
    with pytest.raises(ProviderError) as missing:
        await mail.get_message("nope")
    assert missing.value.status == 404 and not isinstance(missing.value, CursorExpired)
    assert len(await mail.list_folders()) > 5


async def test_quota_over_the_limit_is_rate_limited(mail: TestMailProvider, emulator: TestMailEmulator) -> None:
    emulator.enforce_quota(units_per_second=1)
    message_id = next(iter(emulator.state.messages))
    await mail.get_message(message_id)  # 5 units from a bucket 1 deep: through, and 4 in debt
    with pytest.raises(RateLimited) as limited:
        await mail.get_message(message_id)
    assert limited.value.status == 403 and limited.value.retry_after >= 4


async def test_a_raw_listing_costs_what_fetching_its_messages_would(
    mail: TestMailProvider, emulator: TestMailEmulator
) -> None:
    emulator.enforce_quota()  # 250 units a second, as Gmail's
    await mail.list_messages(page_token=None, since=None)  # a page of up to 100: 5 + 100 * 5 units
    with pytest.raises(RateLimited):
        await mail.list_folders()
    assert [f.kind for f in emulator.faults.injected] == ["quota"]


async def test_a_token_without_the_mail_scope_is_refused(server, emulator: TestMailEmulator) -> None:
    connection = await open_connection(server.url, scopes=("openid", "email", "testmail.calendar"))
    try:
        with pytest.raises(ProviderError) as refused:
            await TestMailProvider(connection).list_folders()
        assert refused.value.status == 403
        connection.http.headers["Authorization"] = "Bearer forged"
        with pytest.raises(AuthError):
            await TestMailProvider(connection).list_folders()
    finally:
        await connection.http.aclose()


async def test_the_fault_spec_of_the_options_reaches_the_api_but_not_sign_in() -> None:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=0, faults="503:1:retry=2"))
    with ServerThread(emulator) as server:
        connection = await open_connection(server.url)  # the OAuth routes are exempt from spec faults
        try:
            with pytest.raises(TransientError) as unavailable:
                await TestMailProvider(connection).list_folders()
        finally:
            await connection.http.aclose()
    assert unavailable.value.status == 503
    assert [(entry.path, entry.status) for entry in emulator.log if entry.status == 503] == [
        ("/api/mailbox/folders", 503)
    ]


async def test_a_quota_in_the_spec_meters_by_route_cost() -> None:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=0, faults="quota:5"))
    with ServerThread(emulator) as server:
        connection = await open_connection(server.url)
        try:
            mail = TestMailProvider(connection)
            message_id = next(iter(emulator.state.messages))
            await mail.get_message(message_id)  # 5 units: the whole bucket
            with pytest.raises(RateLimited) as limited:
                await mail.get_message(message_id)
        finally:
            await connection.http.aclose()
    assert limited.value.status == 403 and limited.value.retry_after == 1

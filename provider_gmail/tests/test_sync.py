"""Full listing through messages.list and the batch endpoint, incremental sync through history.list,
and a forgotten history id as CursorExpired."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
from collections.abc import Awaitable, Callable

import pytest

from host.errors import CursorExpired, TransientError
from provider_gmail.api import BatchCall
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.mail import GmailMail

Logged = Callable[..., Awaitable[list]]


async def _everything(mail: GmailMail, since: dt.datetime | None = None) -> list:
    messages, token = [], None
    while True:
        page = await mail.list_messages(page_token=token, since=since)
        messages.extend(page.messages)
        token = page.next_page_token
        if token is None:
            return messages


async def _batch_sizes(logged: Logged) -> list[int]:
    sizes = []
    for entry in await logged("POST", "/batch/gmail/v1", 3):
        boundary = entry.header("content-type").split("boundary=")[1]
        sizes.append(entry.body.count(f"--{boundary}\r\nContent-Type: application/http".encode()))
    return sizes


async def test_full_listing_is_newest_first_complete_and_batched(
    mail: GmailMail, emulator: GoogleEmulator, logged: Logged
) -> None:
    messages = await _everything(mail)
    assert [m.id for m in messages] == [m.id for m in emulator.mailbox.newest_first()]
    dates = [int(m.provider_data["internalDate"]) for m in messages]
    assert dates == sorted(dates, reverse=True)
    assert all(m.raw for m in messages)
    sizes = await _batch_sizes(logged)
    assert sizes and max(sizes) <= 50 and sum(sizes) == len(messages)
    # every message came by batch: no single messages.get went out
    assert not [e for e in emulator.log.find("GET", "/messages/") if "/attachments/" not in e.path]
    part = emulator.log.find("POST", "/batch/gmail/v1")[0].text
    assert "format=raw" in part


def _listings(emulator: GoogleEmulator) -> list:
    found = emulator.log.find("GET", "/gmail/v1/users/me/messages")
    return [entry for entry in found if entry.path.endswith("/messages")]


async def test_the_next_page_is_fetched_while_this_one_is_parsed(
    mail: GmailMail, emulator: GoogleEmulator, logged: Logged
) -> None:
    emulator.faults.set_quota(None)  # the read-ahead, not the pacing
    newest = [m.id for m in emulator.mailbox.newest_first()]
    first = await mail.list_messages(page_token=None, since=None)
    await logged("POST", "/batch/gmail/v1", 2)  # the second page's batch went out before anyone asked for it
    assert len(_listings(emulator)) == 2
    second = await mail.list_messages(page_token=first.next_page_token, since=None)
    assert [m.id for m in first.messages + second.messages] == newest[:100]
    await logged("POST", "/batch/gmail/v1", 3)  # the third page's, now ahead
    third = await mail.list_messages(page_token=second.next_page_token, since=None)
    assert [m.id for m in third.messages] == newest[100:] and third.next_page_token is None
    # each page was listed and fetched once, and the last page has nothing ahead of it
    assert len(_listings(emulator)) == 3 and len(emulator.log.find("POST", "/batch/gmail/v1")) == 3
    # a page asked for again (a listing started over) is not the one ahead: it is fetched anew
    again = await mail.list_messages(page_token=None, since=None)
    assert [m.id for m in again.messages] == newest[:50]


async def test_a_read_ahead_that_failed_fails_its_page_and_the_retry_answers(
    mail: GmailMail, emulator: GoogleEmulator
) -> None:
    emulator.faults.set_quota(None)
    newest = [m.id for m in emulator.mailbox.newest_first()]
    emulator.faults.queue_status(503, path=f"/messages/{newest[60]}$")  # a message of the second page
    first = await mail.list_messages(page_token=None, since=None)
    with pytest.raises(TransientError):
        await mail.list_messages(page_token=first.next_page_token, since=None)
    second = await mail.list_messages(page_token=first.next_page_token, since=None)
    assert [m.id for m in second.messages] == newest[50:100]
    assert [f.status for f in emulator.faults.injected] == [503]
    await mail.aclose()  # the third page's read-ahead is dropped, not left to be reported


async def test_since_bounds_the_listing(mail: GmailMail, emulator: GoogleEmulator) -> None:
    newest = list(emulator.mailbox.newest_first())
    since = dt.datetime.fromtimestamp(newest[9].internal_date / 1000, dt.UTC)
    messages = await _everything(mail, since)
    assert [m.id for m in messages] == [m.id for m in newest[:10]]


async def test_changes_report_added_updated_and_deleted(mail: GmailMail, emulator: GoogleEmulator) -> None:
    cursor = await mail.current_cursor()
    mailbox = emulator.mailbox
    first, second, third = list(mailbox.newest_first())[:3]
    await mail.modify([first.id], unread=False, flagged=True)
    await mail.trash([second.id])
    with emulator.lock:
        mailbox.delete(third)
        raw = b"From: ana@example.de\r\nTo: alex.morgan@example.com\r\nSubject: Hallo\r\n\r\nNeu.\r\n"
        arrived = mailbox.deliver(raw)
        gone = mailbox.deliver(raw.replace(b"Hallo", b"Kurz"))
        mailbox.delete(gone)
    page = await mail.changes(cursor)
    assert [m.id for m in page.added] == [arrived.id]
    assert page.added[0].subject == "Hallo" and page.added[0].unread
    updates = {u.id: u for u in page.updated}
    assert set(updates) == {first.id, second.id}
    assert updates[first.id].flagged and not updates[first.id].unread
    assert "TRASH" in updates[second.id].folder_ids
    assert set(page.deleted) == {third.id, gone.id}
    assert not page.has_more and page.cursor == str(mailbox.history_id)
    assert await mail.changes(page.cursor) == type(page)(cursor=page.cursor)


async def test_many_changes_come_in_pages(mail: GmailMail, emulator: GoogleEmulator) -> None:
    # Paging, not pacing: with the quota on, a loaded machine's timing lets the provider's own bucket and
    # the emulator's drift apart and a RateLimited (the engine's to retry) reach this direct caller.
    emulator.faults.set_quota(None)
    cursor = await mail.current_cursor()
    ids = [m.id for m in emulator.mailbox.newest_first()]
    for label in ("Label_1", "Label_2", "Label_3", "Label_6", "STARRED"):
        await mail.modify(ids, add_folder_ids=[label])  # 5 x 120 history records, more than one page
    seen: set[str] = set()
    pages = 0
    while True:
        page = await mail.changes(cursor)
        pages += 1
        seen.update(u.id for u in page.updated)
        cursor = page.cursor
        if not page.has_more:
            break
    assert pages == 2 and seen == set(ids)
    final = {u.id: u for u in page.updated}
    assert all("STARRED" in u.folder_ids and u.flagged for u in final.values())


async def test_a_forgotten_history_id_is_cursor_expired(
    mail: GmailMail, emulator: GoogleEmulator, logged: Logged
) -> None:
    cursor = await mail.current_cursor()
    await mail.modify([next(emulator.mailbox.newest_first()).id], unread=False, flagged=True)
    with emulator.lock:
        emulator.mailbox.forget_history()
    with pytest.raises(CursorExpired):
        await mail.changes(cursor)
    fresh = await mail.current_cursor()
    assert (await mail.changes(fresh)).cursor == fresh
    emulator.faults.expire_cursors(1)  # the toolkit's injected expiry answers the same 404
    with pytest.raises(CursorExpired):
        await mail.changes(fresh)
    assert (await logged("GET", "/history", 3))[-1].status == 404
    with pytest.raises(CursorExpired):
        await mail.changes("not-a-history-id")


async def test_the_batch_endpoint_answers_each_part(mail: GmailMail, emulator: GoogleEmulator, logged: Logged) -> None:
    first = next(emulator.mailbox.newest_first())
    calls = [
        BatchCall("GET", f"gmail/v1/users/me/messages/{first.id}", {"format": "minimal"}),
        BatchCall("GET", "gmail/v1/users/me/messages/ffffffffffffffff"),
        BatchCall("POST", f"gmail/v1/users/me/messages/{first.id}/modify", body={"addLabelIds": ["Label_6"]}),
        BatchCall("GET", "gmail/v1/users/me/labels/Label_6"),
    ]
    answers = await mail.api.batch("batch/gmail/v1", calls)
    assert [a.status for a in answers] == [200, 404, 200, 200]
    assert answers[0].value["id"] == first.id and "Label_6" in answers[2].value["labelIds"]
    assert answers[1].error is not None and answers[1].error.status == 404
    assert answers[3].value["messagesTotal"] >= 1
    entry = (await logged("POST", "/batch/gmail/v1"))[-1]
    assert (
        email.parser.BytesParser(policy=email.policy.default)
        .parsebytes(b"Content-Type: " + entry.header("content-type").encode() + b"\r\n\r\n" + entry.body)
        .is_multipart()
    )

"""TestMailControl does what EmulatorControl promises, seen through TestMail's own providers over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from testprovider import names
from testprovider.calendar import TestCalendarProvider
from testprovider.control import TestMailControl
from testprovider.emulator import TestMailEmulator
from testprovider.mail import TestMailProvider
from testprovider.signin import open_connection, sign_in

from host.errors import CursorExpired, ProviderError, RateLimited, TransientError
from host.model.calendar import ResponseStatus
from host.model.mail import Address, FolderKind, OutgoingMessage
from host.providers import ProviderConnection
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.testing.contract import EmulatorControl


@pytest.fixture
def emulator() -> TestMailEmulator:
    return TestMailEmulator(SandboxOptions(messages=12, events=6))


@pytest.fixture
def control(emulator: TestMailEmulator) -> TestMailControl:
    return TestMailControl(emulator)


@pytest.fixture
def url(emulator: TestMailEmulator) -> Iterator[str]:
    with ServerThread(emulator, name="testmail") as server:
        yield server.url


@pytest.fixture
async def connection(url: str) -> AsyncIterator[ProviderConnection]:
    connection = await open_connection(url)
    yield connection
    await connection.http.aclose()


@pytest.fixture
def mail(connection: ProviderConnection) -> TestMailProvider:
    return TestMailProvider(connection)


@pytest.fixture
def calendar(connection: ProviderConnection) -> TestCalendarProvider:
    return TestCalendarProvider(connection)


def test_it_is_an_emulator_control(control: TestMailControl, emulator: TestMailEmulator) -> None:
    assert isinstance(control, EmulatorControl)
    assert control.user_email == emulator.state.owner.email


async def test_mail_changes_show_through_the_api(control: TestMailControl, mail: TestMailProvider) -> None:
    listed = await mail.list_messages(page_token=None, since=None)
    assert {m.id for m in listed.messages} == control.message_ids()

    message_id = control.deliver(subject="Hello there", body="A body.", sender="kim@example.org")
    message = await mail.get_message(message_id)
    assert (message.subject, message.sender, message.body_text.strip()) == (
        "Hello there",
        Address("kim@example.org"),
        "A body.",
    )
    assert control.message_state(message_id) == (True, False) == (message.unread, message.flagged)
    assert control.message_folders(message_id) == {"INBOX"} == set(message.folder_ids)

    control.mark(message_id, unread=False, flagged=True)
    message = await mail.get_message(message_id)
    assert control.message_state(message_id) == (False, True) == (message.unread, message.flagged)

    control.remove(message_id)
    assert message_id not in control.message_ids()
    with pytest.raises(ProviderError) as raised:
        await mail.get_message(message_id)
    assert raised.value.status == 404


async def test_sent_subjects_count_each_send(control: TestMailControl, mail: TestMailProvider) -> None:
    folders = {f.kind: f.id for f in await mail.list_folders()}
    before = control.sent_subjects()
    for _ in range(2):
        await mail.send(OutgoingMessage(to=(Address("kim@example.org"),), subject="Twice", body_text="."))
    assert control.sent_subjects() == [*before, "Twice", "Twice"]
    assert folders[FolderKind.SENT] == "SENT"


async def test_an_expired_mail_cursor_stays_unknown(control: TestMailControl, mail: TestMailProvider) -> None:
    old = await mail.current_cursor()

    control.expire_mail_cursor()

    for _ in range(2):
        with pytest.raises(CursorExpired):
            await mail.changes(old)
    fresh = await mail.current_cursor()
    added = control.deliver(subject="After", body=".", sender="kim@example.org")
    assert [m.id for m in (await mail.changes(fresh)).added] == [added]


async def test_an_expired_calendar_cursor_stays_unknown(
    control: TestMailControl, calendar: TestCalendarProvider
) -> None:
    now = dt.datetime.now(dt.UTC)
    window = (now - dt.timedelta(days=7), now + dt.timedelta(days=7))
    old = (await calendar.list_events("primary", *window)).cursor
    assert old is not None

    control.expire_calendar_cursor()

    for _ in range(2):
        with pytest.raises(CursorExpired):
            await calendar.event_changes("primary", old)
    fresh = (await calendar.list_events("primary", *window)).cursor
    assert fresh is not None
    event_id = control.add_event("primary", title="Later", start=now, end=now + dt.timedelta(hours=1))
    assert [e.id for e in (await calendar.event_changes("primary", fresh)).upserted] == [event_id]


async def granted(url: str) -> set[str]:
    async with httpx.AsyncClient() as http:
        return set((await sign_in(url, http=http))["scope"].split())


async def test_faults_hit_the_api_and_spare_the_sign_in(
    control: TestMailControl, mail: TestMailProvider, url: str
) -> None:
    control.fail_next(429, retry_after=2)
    control.fail_next(503, count=2)

    assert await granted(url)  # the OAuth endpoints are not the API: no fault for them
    with pytest.raises(RateLimited) as throttled:
        await mail.list_folders()
    assert throttled.value.retry_after == 2
    for _ in range(2):
        with pytest.raises(TransientError):
            await mail.list_folders()
    assert await mail.list_folders()


async def test_declined_scopes_are_left_out_of_the_grant(control: TestMailControl, url: str) -> None:
    control.decline_scopes({names.CALENDAR_SCOPE})
    assert names.CALENDAR_SCOPE not in await granted(url)

    control.decline_scopes(())
    assert {names.MAIL_SCOPE, names.CALENDAR_SCOPE} <= await granted(url)


async def test_events_added_and_answered(control: TestMailControl, calendar: TestCalendarProvider) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)
    end = start + dt.timedelta(hours=1)

    own = control.add_event("primary", title="Own", start=start, end=end)
    invitation = control.add_event("primary", title="Invited", start=start, end=end, organizer="kim@example.org")

    assert {"Own", "Invited"} <= control.event_titles("primary")
    listed = {e.id: e for e in (await calendar.list_events("primary", start, end)).events}
    assert listed[own].title == "Own" and (listed[own].start, listed[own].end) == (start, end)
    assert control.event_response("primary", own) is None
    assert listed[invitation].organizer == Address("kim@example.org")
    assert control.event_response("primary", invitation) is ResponseStatus.NEEDS_ACTION
    assert listed[invitation].my_response is ResponseStatus.NEEDS_ACTION

    await calendar.respond("primary", invitation, ResponseStatus.TENTATIVE)
    assert control.event_response("primary", invitation) is ResponseStatus.TENTATIVE

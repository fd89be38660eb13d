"""Gmail's quota: the client's unit bucket, the emulator's metering, throttled and failing calls."""

from __future__ import annotations

import pytest

from host.errors import AuthError, CursorExpired, ProviderError, RateLimited, TransientError
from provider_gmail.api import UnitBucket, error_for
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.mail import GmailMail


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_the_bucket_spends_units_at_the_rate_and_waits_for_more() -> None:
    time = FakeTime()
    bucket = UnitBucket(250, 250, lag=0, clock=time.clock, sleep=time.sleep)
    for _ in range(50):
        await bucket.acquire(5)  # a batch of 50 gets is the whole second
    assert time.slept == []
    await bucket.acquire(100)  # a send waits 0.4 s for its units
    assert time.slept == [pytest.approx(0.4)]
    time.now += 10
    await bucket.acquire(250)  # the bucket holds one second at most
    assert len(time.slept) == 1
    await bucket.acquire(1000)  # dearer than the bucket: waits for a full one, no longer
    assert time.slept[-1] == pytest.approx(1.0)
    bucket.pause(2)  # the server said Retry-After: 2
    await bucket.acquire(1)
    assert time.slept[-1] == pytest.approx(2.0 + 1 / 250)


async def test_a_call_leaves_what_the_servers_lag_refills() -> None:
    time = FakeTime()
    bucket = UnitBucket(250, 250, lag=0.02, clock=time.clock, sleep=time.sleep)
    await bucket.acquire(250)  # a batch empties the full bucket without waiting
    await bucket.acquire(5)  # the listing after it waits for its 5 units and the 5 that 20 ms refill
    assert time.slept == [pytest.approx(0.04)]
    await bucket.acquire(245)  # the 5 left over count towards the next batch
    assert time.slept[-1] == pytest.approx(0.98)
    time.now += 10
    await bucket.acquire(250)  # a call of the whole bucket leaves nothing
    await bucket.acquire(250)
    assert time.slept[-1] == pytest.approx(1.0)


def test_google_errors_map_to_the_hosts() -> None:
    def body(reason: str) -> dict:
        return {"error": {"code": 403, "message": "m", "errors": [{"reason": reason}]}}

    limited = error_for(429, {"retry-after": "7"}, None, "Gmail")
    assert isinstance(limited, RateLimited) and limited.retry_after == 7
    for reason in ("rateLimitExceeded", "userRateLimitExceeded"):
        error = error_for(403, {}, body(reason), "Gmail")
        assert isinstance(error, RateLimited) and error.status == 403 and error.retry_after == 1
    assert isinstance(error_for(503, {}, None, "Gmail"), TransientError)
    assert isinstance(error_for(410, {}, {"error": {"errors": [{"reason": "fullSyncRequired"}]}}, "x"), CursorExpired)
    assert isinstance(error_for(401, {}, None, "Gmail"), AuthError)
    forbidden = error_for(403, {}, body("insufficientPermissions"), "Gmail")
    assert type(forbidden) is ProviderError and forbidden.hint


async def test_the_emulator_meters_units_per_user_and_answers_429(mail: GmailMail, emulator: GoogleEmulator) -> None:
    emulator.faults.set_quota(3)  # 3 units a second: three profile calls (1 unit each) empty the bucket
    unmetered = GmailMail(mail.connection, UnitBucket(rate=1e9))
    for _ in range(3):
        await unmetered.current_cursor()
    with pytest.raises(RateLimited) as raised:
        await unmetered.current_cursor()
    assert raised.value.status == 429 and raised.value.retry_after >= 1
    assert [f.kind for f in emulator.faults.injected] == ["quota"]


async def test_a_full_listing_stays_inside_the_real_quota(mail: GmailMail, emulator: GoogleEmulator) -> None:
    """120 messages cost 615 units (three pages): more than two seconds of quota, and no 429."""
    token = None
    count = 0
    while True:
        page = await mail.list_messages(page_token=token, since=None)
        count += len(page.messages)
        token = page.next_page_token
        if token is None:
            break
    assert count == len(emulator.mailbox.messages)
    assert not [f for f in emulator.faults.injected if f.kind == "quota"]
    assert mail.bucket.waited > 0  # 615 units do not fit in one bucket


async def test_throttled_batch_parts_are_tried_again(mail: GmailMail, emulator: GoogleEmulator) -> None:
    emulator.faults.queue_status(429, count=3, path=r"/messages/[0-9a-f]+$", retry_after=1)
    page = await mail.list_messages(page_token=None, since=None)
    assert len(page.messages) == mail.limits.page_size
    assert len({m.id for m in page.messages}) == len(page.messages)
    assert [f.status for f in emulator.faults.injected] == [429, 429, 429]


async def test_server_errors_and_drops_are_transient(mail: GmailMail, emulator: GoogleEmulator) -> None:
    emulator.faults.queue_status(503, path="/labels$")
    with pytest.raises(TransientError):
        await mail.list_folders()
    emulator.faults.queue_drop(path="/profile$")
    with pytest.raises(TransientError):
        await mail.current_cursor()
    emulator.faults.queue_status(429, path="/profile$", retry_after=1)
    with pytest.raises(RateLimited) as raised:
        await mail.current_cursor()
    assert raised.value.retry_after == 1
    assert await mail.current_cursor()  # after the bucket waited out the Retry-After
    assert mail.bucket.waited > 0

"""Zoom's per-account rate limits: the client's bucket, the emulator's metering by the Light, Medium
and Heavy labels, and Zoom's errors mapped to the host's."""

from __future__ import annotations

import pytest

from host.errors import AuthError, ProviderError, RateLimited, TransientError
from host.providers import ProviderConnection
from host.sandbox.service import SandboxOptions
from provider_zoommail.api import RateBucket, RateLabel, error_for
from provider_zoommail.calendar import ZoomCalendar
from provider_zoommail.emulator import ZoomEmulator, quota
from provider_zoommail.mail import ZoomMail


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_the_bucket_allows_each_labels_rate_and_waits_for_more() -> None:
    time = FakeTime()
    bucket = RateBucket(30, 30, lag=0.0, clock=time.clock, sleep=time.sleep)  # the labels' arithmetic alone
    for _ in range(10):
        await bucket.acquire(RateLabel.HEAVY)  # ten Heavy requests are the whole second
    assert time.slept == []
    await bucket.acquire(RateLabel.LIGHT)
    assert time.slept == [pytest.approx(1 / 30)]
    time.now += 10
    for _ in range(20):
        await bucket.acquire(RateLabel.MEDIUM)  # twenty Medium ones likewise
    assert len(time.slept) == 1
    bucket.pause(2)  # the server said Retry-After: 2
    await bucket.acquire(RateLabel.LIGHT)
    assert time.slept[-1] == pytest.approx(2.0 + 1 / 30)


def test_zoom_errors_map_to_the_hosts() -> None:
    limited = error_for(429, {"retry-after": "3"}, {"code": 429, "message": "slow"}, "Zoom Mail")
    assert isinstance(limited, RateLimited) and limited.retry_after == 3
    assert isinstance(error_for(503, {}, {"code": 503, "message": "down"}, "Zoom Mail"), TransientError)
    assert isinstance(error_for(401, {}, {"code": 124, "message": "Invalid access token."}, "Zoom Mail"), AuthError)
    scope = error_for(403, {}, {"code": 4711, "message": "Invalid access token, does not contain scopes"}, "x")
    assert type(scope) is ProviderError and scope.hint and "scopes" in str(scope)
    gone = error_for(404, {}, {"code": 404, "message": "Not Found."}, "Zoom Mail")
    assert type(gone) is ProviderError and gone.status == 404


# Enough mail that the listing needs more than the full bucket's 30 Light requests.
@pytest.mark.parametrize("options", [SandboxOptions(messages=150, events=5, seed=7)])
async def test_a_full_listing_inside_the_pro_plans_limits_is_never_throttled(
    connection: ProviderConnection, emulator: ZoomEmulator
) -> None:
    emulator.faults.set_quota(quota.REQUESTS_PER_SECOND)  # Zoom always meters
    mail = ZoomMail(connection)
    token: str | None = None
    count = 0
    while True:
        page = await mail.list_messages(page_token=token, since=None)
        count += len(page.messages)
        token = page.next_page_token
        if token is None:
            break
    assert count == len(emulator.mailbox.messages)
    assert [fault for fault in emulator.faults.injected if fault.kind == "quota"] == []
    assert mail.api.bucket.waited > 0  # the client held back rather than the server


async def test_a_429_is_rate_limited_with_retry_after_and_the_next_call_waits_and_succeeds(
    connection: ProviderConnection, emulator: ZoomEmulator
) -> None:
    emulator.faults.set_quota(4)  # a small account: four Light requests a second
    mail = ZoomMail(connection, RateBucket(1000, 1000))  # a client that does not hold back
    with pytest.raises(RateLimited) as raised:
        for _ in range(10):
            await mail.current_cursor()
    assert raised.value.retry_after >= 1
    quota_faults = [fault for fault in emulator.faults.injected if fault.kind == "quota"]
    assert quota_faults and quota_faults[0].path.endswith("/profile")
    assert (await mail.current_cursor()).isdigit()  # the paused bucket waited out Retry-After
    assert mail.api.bucket.waited >= 0.9


async def test_an_accounts_mail_and_calendar_share_one_bucket(connection: ProviderConnection) -> None:
    mail, calendar = ZoomMail(connection), ZoomCalendar(connection)
    assert mail.api.bucket is calendar.api.bucket
    assert ZoomMail(connection, RateBucket()).api.bucket is not calendar.api.bucket


def test_the_labels_cost_what_the_pro_plan_allows() -> None:
    policy = quota.policy()
    cost = {
        label: policy.cost(method, path)
        for label, method, path in [
            ("LIGHT", "GET", "/v2/emails/mailboxes/me/messages/abc"),
            ("MEDIUM", "GET", "/v2/emails/mailboxes/me/messages"),
            ("HEAVY", "POST", "/v2/emails/mailboxes/me/messages/batchModify"),
        ]
    }
    # 30 Light, 20 Medium or 10 Heavy requests a second, each label alone.
    assert {label: quota.REQUESTS_PER_SECOND / units for label, units in cost.items()} == {
        "LIGHT": 30,
        "MEDIUM": 20,
        "HEAVY": 10,
    }

"""The Zoom client against the emulator: per-label rate limits survived, Zoom's errors mapped to the
host's with hints, and the platform endpoints the Zoom plugins use."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from host.errors import AuthError, RateLimited, TransientError
from zoom_workplace.client import RateLimiter, ZoomApiError, ZoomClient, meeting_uuid_path
from zoom_workplace.labels import RateLabel, RateLimits, label_for


async def test_a_burst_beyond_the_accounts_limits_is_survived_per_label(client, emulator) -> None:
    """The server allows 2 Light and 1 Heavy a second; the client thinks Pro's 30/20/10: every request
    still succeeds, the 429s are waited out (Retry-After) and each label is metered on its own."""
    emulator.set_rate_limits("acc-pro", RateLimits(light=2, medium=2, heavy=1))
    emulator.log.clear()
    light = [client.get("/users/me") for _ in range(4)]
    heavy = [client.get("/metrics/meetings/85099887766/participants", type="live") for _ in range(2)]
    answers = await asyncio.gather(*light, *heavy)
    assert [a["email"] for a in answers[:4]] == ["alex.morgan@example.com"] * 4
    assert all(a["participants"] for a in answers[4:])
    throttled = [r for r in emulator.log.entries if r.status == 429]
    assert throttled, "the server really throttled"
    assert {r.path for r in throttled} == {"/v2/users/me", "/v2/metrics/meetings/85099887766/participants"}
    served = [r for r in emulator.log.entries if r.status == 200 and r.path.startswith("/v2/")]
    assert len(served) == 6


async def test_a_limiter_that_knows_the_limits_meets_no_429(client, emulator) -> None:
    emulator.set_rate_limits("acc-pro", RateLimits(light=4, medium=4, heavy=2))
    client.limiter = RateLimiter(RateLimits(light=4, medium=4, heavy=2))
    await asyncio.gather(*(client.get("/users/me") for _ in range(6)))
    assert not [r for r in emulator.log.entries if r.status == 429]
    assert client.limiter.waited > 0


async def test_throttling_that_does_not_end_raises_rate_limited(client, emulator) -> None:
    client.max_retries = 1
    emulator.faults.queue_status(429, count=2, path="/v2/users/me", retry_after=1)
    with pytest.raises(RateLimited) as raised:
        await client.me()
    assert raised.value.retry_after == 1


async def test_zoom_errors_become_the_hosts_with_hints(client, emulator) -> None:
    with pytest.raises(ZoomApiError) as missing:
        await client.get("/users/nobody@example.com")
    assert (missing.value.status, missing.value.code) == (404, 1001)
    assert "User does not exist" in str(missing.value) and missing.value.hint

    emulator.faults.queue_status(503, path="/v2/users/me")
    with pytest.raises(TransientError):
        await client.me()

    emulator.oauth.revoke_all()
    with pytest.raises(AuthError, match="zoomclient zoom signin"):
        await client.me()


async def test_the_platform_endpoints_the_plugins_use(client, emulator) -> None:
    me = await client.me()
    assert (await client.get(f"/users/{me['id']}"))["email"] == me["email"]
    assert (await client.get("/users/me/settings"))["feature"]["zoom_mail_calendar"] is True
    assert [s["email"] for s in (await client.get("/users/me/schedulers"))["schedulers"]] == [
        "lena.schmidt@example.com"
    ]
    assert [a["email"] for a in (await client.get("/users/lena.schmidt@example.com/assistants"))["assistants"]] == [
        "alex.morgan@example.com"
    ]
    # Zoom lists today's recordings unless asked for other dates; the seeded one is yesterday's.
    yesterday = emulator.state.now.date() - dt.timedelta(days=1)
    recordings = (await client.get("/users/me/recordings", **{"from": yesterday.isoformat()}))["meetings"]
    uuid = recordings[0]["uuid"]
    assert uuid.startswith("/"), "the seeded UUID is one that must be encoded twice"
    participants = await client.get(f"/past_meetings/{meeting_uuid_path(uuid)}/participants")
    assert {p["user_email"] for p in participants["participants"]} == {
        "alex.morgan@example.com",
        "ana.mueller@example.de",
    }
    assert (await client.get(f"/meetings/{meeting_uuid_path(uuid)}/recordings"))["recording_files"]

    contacts = (await client.get("/contacts", search_key="lena", query_presence_status=True))["contacts"]
    assert [(c["email"], c["presence_status"]) for c in contacts] == [("lena.schmidt@example.com", "In_Meeting")]
    phone = await client.get("/phone/users/me")
    assert phone["phone_numbers"][0]["number"] == "+49 30 1234 5601"

    sent = await client.request(
        "POST", "/chat/users/me/messages", body={"message": "hi", "to_contact": "ana.mueller@example.de"}
    )
    listed = await client.get("/chat/users/me/messages", to_contact="ana.mueller@example.de")
    assert [m["id"] for m in listed["messages"]] == [sent["id"]]
    channel = await client.request(
        "POST",
        "/chat/users/me/channels",
        body={"name": "Launch", "type": 4, "members": [{"email": "ana.mueller@example.de"}]},
    )
    assert channel["id"] in {c["id"] for c in (await client.get("/chat/users/me/channels"))["channels"]}
    with pytest.raises(ZoomApiError, match="at most 20 members"):
        members = [{"email": f"p{i}@example.com"} for i in range(21)]
        await client.request("POST", "/chat/users/me/channels", body={"name": "Big", "type": 4, "members": members})


def test_uuid_encoding_follows_zooms_rule() -> None:
    assert meeting_uuid_path("abc==") == "abc%3D%3D"
    assert meeting_uuid_path("/abc==") == "%252Fabc%253D%253D"
    assert meeting_uuid_path("ab//c") == "ab%252F%252Fc"


def test_labels() -> None:
    assert label_for("GET", "/users/me") is RateLabel.LIGHT
    assert label_for("POST", "/users/me/meetings") is RateLabel.MEDIUM
    assert label_for("GET", "/metrics/meetings/1/participants") is RateLabel.HEAVY
    assert label_for("GET", "/something/unknown") is RateLabel.MEDIUM


async def test_a_dropped_connection_is_transient(client, emulator) -> None:
    emulator.faults.queue_drop(path="/v2/users/me")
    with pytest.raises(TransientError, match="could not be reached"):
        await client.me()
    assert isinstance(client, ZoomClient)

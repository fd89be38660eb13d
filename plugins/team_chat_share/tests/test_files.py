"""The chat file route's own rules: its base URL, redirects that keep the sign-in, and Team Chat's rate
limits shared with the JSON requests (one limiter per Zoom client, metered by label)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from share_support import ANA
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from host.sandbox.runner import ServerThread
from team_chat_share.files import FILE_API_BASE, file_base_url, send_file
from team_chat_share.recipients import Directory
from team_chat_share.sharing import share
from zoom_workplace.client import API_BASE, RateLimiter, ZoomClient
from zoom_workplace.labels import RateLimits
from zoom_workplace.session import open_client


def test_uploads_go_to_file_zoom_us_in_production_and_to_the_emulator_in_the_sandbox() -> None:
    assert file_base_url(API_BASE) == FILE_API_BASE == "https://file.zoom.us/v2"
    assert file_base_url("http://127.0.0.1:8123/v2/") == "http://127.0.0.1:8123/v2"


class Redirector:
    """Another origin that sends every upload on to the emulator with a 307, as Zoom's file servers may."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.authorised: list[bool] = []
        self.app = Starlette(routes=[Route("/v2/{rest:path}", self.redirect, methods=["POST"])])

    async def redirect(self, request: Request) -> RedirectResponse:
        self.authorised.append(request.headers.get("authorization", "").startswith("Bearer "))
        return RedirectResponse(self.target + request.url.path, status_code=307)

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


@pytest.fixture
def redirector(zoom_url: str) -> Iterator[tuple[Redirector, str]]:
    app = Redirector(zoom_url)
    with ServerThread(app, name="redirector") as server:
        yield app, server.url


async def test_a_redirected_upload_keeps_its_sign_in_and_arrives(secrets, zoom_signed_in, zoom, redirector) -> None:
    app, url = redirector
    signed_in = open_client(secrets)
    client = ZoomClient(signed_in.http, url + "/v2")
    try:
        note = b"Subject: hi\r\n\r\nbody\r\n"
        message_id = await send_file(
            client, "note.eml", note, content_type="message/rfc822", target={"to_channel": "ch-product"}
        )
    finally:
        await signed_in.aclose()

    assert app.authorised == [True]
    (uploaded,) = zoom.log.find("POST", "/messages/files")
    assert uploaded.status == 201 and uploaded.header("authorization") is not None
    assert zoom.state.chat_messages[-1]["id"] == message_id and zoom.state.chat_messages[-1]["file_name"] == "note.eml"


async def test_shares_stay_within_the_rate_limits_the_client_meters(secrets, zoom_signed_in, zoom) -> None:
    """Zoom meters Medium at 2 a second here: the client waits rather than being refused."""
    slow = RateLimits(light=30, medium=2, heavy=10)
    zoom.set_rate_limits("acc-pro", slow)
    signed_in = open_client(secrets)
    client = ZoomClient(signed_in.http, signed_in.base_url, limiter=RateLimiter(slow))
    message = _message()
    try:
        (ana,) = await Directory(client).contacts("ana")
        for _ in range(3):
            await share(client, ana, message, eml=b"Subject: Plans\r\n\r\nThe plans.\r\n")
    finally:
        await client.aclose()

    assert [r.status for r in zoom.log if r.status == 429] == []
    assert client.limiter.waited > 1.0, "seven Medium requests at under two a second"
    assert len(zoom.state.chat_messages) == 6 and all(m.get("to_contact") for m in zoom.state.chat_messages)
    assert {m.get("to_contact") for m in zoom.state.chat_messages} == {ANA, ana.id}


def _message():
    import datetime as dt

    from host.model.mail import Address, Message

    return Message(
        id="m1",
        thread_id="t1",
        subject="Plans",
        sender=Address("priya.sharma@example.in", "Priya Sharma"),
        date=dt.datetime(2026, 12, 1, 8, 15, tzinfo=dt.UTC),
        body_text="The plans.",
    )


async def test_the_file_route_takes_a_user_id_not_an_email_and_a_well_formed_body(
    secrets, zoom_signed_in, zoom
) -> None:
    """The spec's ``to_contact`` of this route is "the user ID or member ID"; a broken multipart is a 400."""
    from zoom_workplace.client import ZoomApiError

    client = open_client(secrets)
    try:
        with pytest.raises(ZoomApiError, match="User does not exist") as by_email:
            await send_file(client, "a.eml", b"x", content_type="message/rfc822", target={"to_contact": ANA})
        broken = await client.http.post(
            client.base_url + "/chat/users/me/messages/files",
            content=b"--b\r\nContent-Disposition: form-data; name=to_channel\r\n\r\nch-product",
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
        (ana,) = await Directory(client).contacts("ana")
        await send_file(client, "a.eml", b"--b\r\n\r\n--", content_type="message/rfc822", target=ana.file_target())
    finally:
        await client.aclose()

    assert by_email.value.status == 404 and by_email.value.code == 1001
    assert broken.status_code == 400 and broken.json()["code"] == 300
    (stored,) = zoom.state.chat_files.values()
    assert stored["data"] == b"--b\r\n\r\n--", "bytes that look like a boundary stay as they were"

"""One origin, one sign-in: with the Zoom platform plugin installed the emulator also serves Zoom's other
APIs (meetings...) to the Zoom Mail token, as api.zoom.us does; installed alone it serves its own
profile and nothing of the platform. Real sign-ins over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from host.auth import ScopePlan, headless_browser, open_connection, sign_in
from host.providers import ProviderConnection
from host.sandbox.runner import ServerThread
from host.secrets import MemorySecretStore, save_token
from provider_zoommail.account import ACCOUNT_TYPE, CALENDAR_SCOPES, MAIL_SCOPES
from provider_zoommail.emulator import ZoomEmulator


async def connect(url: str) -> ProviderConnection:
    plan = ScopePlan(ACCOUNT_TYPE.oauth.identity_scopes, MAIL_SCOPES, CALENDAR_SCOPES)
    signed_in = await sign_in(ACCOUNT_TYPE, plan, open_browser=headless_browser, sandbox_url=url, timeout=20)
    store = MemorySecretStore()
    save_token(store, signed_in.account, signed_in.token)
    return open_connection(ACCOUNT_TYPE, signed_in.account, store, timeout=20)


@pytest.fixture(params=[True, False], ids=["with-the-zoom-platform", "alone"])
async def served(request, options) -> AsyncIterator[tuple[ZoomEmulator, ProviderConnection]]:
    if request.param:
        pytest.importorskip("zoom_workplace.emulator.app")
    emulator = ZoomEmulator(options, platform=request.param)
    emulator.faults.set_quota(None)
    with ServerThread(emulator, name="zoommail") as server:
        connection = await connect(server.url)
        yield emulator, connection
        await connection.http.aclose()


async def test_the_mail_token_reaches_the_zoom_platform_only_beside_its_plugin(served) -> None:
    emulator, connection = served
    me = await connection.http.get(connection.url("zoom", "/users/me"))
    meetings = await connection.http.get(connection.url("zoom", "/users/me/meetings"))
    labels = await connection.http.get(connection.url("zoom", "/emails/mailboxes/me/labels"))

    assert me.status_code == 200 and me.json()["email"] == "alex.morgan@example.com"
    assert labels.status_code == 200, "Zoom Mail is served either way"
    if emulator.platform is not None:
        # The platform's profile, with what the admin policy reads (the plan's category, the account).
        assert me.json()["account_id"] == "acc-pro" and me.json()["plan_category"] == "pro"
        assert meetings.status_code == 200 and meetings.json()["meetings"] == []
    else:
        assert "plan_category" not in me.json()
        assert meetings.status_code == 404

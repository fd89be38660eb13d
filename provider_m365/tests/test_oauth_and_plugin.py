"""The identity platform's endpoints in the emulator, and the plugin's registrations."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from host.errors import RateLimited
from host.providers import CalendarProviderFactory, MailProviderFactory
from host.sandbox.service import SandboxOptions
from provider_m365 import plugin
from provider_m365.account import ACCOUNT_TYPE
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.signin import LOOPBACK, sign_in
from provider_m365.mail import M365MailProvider


@pytest.mark.parametrize("tenant", ["common", "organizations", "72f988bf-86f1-41af-91ab-2d7cd011db47"])
async def test_sign_in_on_every_work_tenant(server: str, tenant: str) -> None:
    token = await sign_in(server, tenant=tenant)
    assert token["token_type"].lower() == "bearer" and token["refresh_token"]
    assert "Mail.ReadWrite" in token["scope"].split()
    async with httpx.AsyncClient(base_url=server, **LOOPBACK) as client:
        me = await client.get("/v1.0/me", headers={"Authorization": f"Bearer {token['access_token']}"})
        assert me.json()["mail"] == "alex.morgan@example.com"
        # Microsoft rotates refresh tokens: the new one replaces the old, which stops working.
        form = {"grant_type": "refresh_token", "client_id": ACCOUNT_TYPE.oauth.client_id}
        fresh = await client.post(
            f"/{tenant}/oauth2/v2.0/token", data={**form, "refresh_token": token["refresh_token"]}
        )
        assert fresh.status_code == 200 and fresh.json()["refresh_token"] != token["refresh_token"]
        stale = await client.post(
            f"/{tenant}/oauth2/v2.0/token", data={**form, "refresh_token": token["refresh_token"]}
        )
        assert stale.status_code == 400


async def test_personal_accounts_and_missing_pkce_are_refused(server: str) -> None:
    async with httpx.AsyncClient(base_url=server, **LOOPBACK) as client:
        personal = await client.get("/consumers/oauth2/v2.0/authorize")
        assert personal.status_code == 400 and "AADSTS" in personal.json()["error_description"]
        params = {
            "response_type": "code",
            "client_id": ACCOUNT_TYPE.oauth.client_id,
            "redirect_uri": f"http://127.0.0.1:5000{ACCOUNT_TYPE.oauth.redirect_path}",
            "scope": "openid Mail.Read",
            "state": "x",
        }
        no_pkce = await client.get("/common/oauth2/v2.0/authorize", params=params)
        assert "error=invalid_request" in no_pkce.headers.get("location", "")
        unauthenticated = await client.get("/v1.0/me/messages")
        assert unauthenticated.status_code == 401 and unauthenticated.json()["error"]["code"]


async def test_a_declined_mail_scope_locks_mail_out(server: str, emulator: GraphEmulator) -> None:
    emulator.oauth.config.declined_scopes = {"Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite"}
    token = await sign_in(server)
    async with httpx.AsyncClient(base_url=server, **LOOPBACK) as client:
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert (await client.get("/v1.0/me/messages", headers=headers)).status_code == 403
        assert (await client.get("/v1.0/me/calendars", headers=headers)).status_code == 200


async def test_the_mailbox_budget_throttles_with_retry_after(mail: M365MailProvider, emulator: GraphEmulator) -> None:
    emulator.enforce_limits()  # Exchange's own budget: a sync this small stays well inside it
    await mail.list_folders()
    emulator.enforce_limits(requests_per_second=1 / 600)  # one request in ten minutes, and it is spent at once
    await mail.get_auto_reply()
    with pytest.raises(RateLimited) as throttled:
        await mail.get_auto_reply()
    assert throttled.value.retry_after >= 1
    answer = next(e for e in emulator.log.entries if e.status == 429)
    assert answer.path == "/v1.0/me/mailboxSettings"


def test_the_plugin_registers_everything_and_imports_lightly() -> None:
    registered: list[object] = []
    plugin.register_account_types(registered.append)
    plugin.register_mail_providers(registered.append)
    plugin.register_calendar_providers(registered.append)
    plugin.register_sandbox_services(registered.append)
    account_type, mail, calendar, service = registered
    assert account_type is ACCOUNT_TYPE and service is plugin.SANDBOX_SERVICE
    assert isinstance(mail, MailProviderFactory) and isinstance(calendar, CalendarProviderFactory)
    assert mail.account_type == calendar.account_type == service.account_type == "m365"
    assert not set(mail.scopes) & set(calendar.scopes)  # either can be declined alone
    assert isinstance(service.create_app(SandboxOptions(messages=3, events=2)), GraphEmulator)
    code = "import sys, provider_m365.plugin; print(sorted(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "starlette" not in loaded and "provider_m365.mail" not in loaded and "provider_m365.emulator" not in loaded

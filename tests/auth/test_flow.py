"""End-to-end sign-in against the sandbox authorization server served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest
from oauth_support import ACCOUNT_TYPE, CALENDAR, CLIENT_ID, IDENTITY, MAIL

from host.auth import ScopePlan, headless_browser, open_connection, sign_in
from host.errors import AuthError
from host.model.account import Account, Feature
from host.secrets import MemorySecretStore, load_token, save_token

PLAN = ScopePlan(identity=IDENTITY, mail=MAIL, calendar=CALENDAR)


async def test_sign_in_end_to_end(oauth_server):
    served = oauth_server()
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    account = result.account
    assert account.email == "ada@example.com"
    assert account.display_name == "Ada Lovelace"
    assert account.account_type == "testmail"
    assert account.features == {Feature.MAIL, Feature.CALENDAR}
    assert account.granted_scopes == (*IDENTITY, *MAIL, *CALENDAR)
    assert account.sandbox_url == served.url
    assert result.notices == ()
    assert result.token["refresh_token"]
    # The token works for the API, through the connection a provider would be given.
    store = MemorySecretStore()
    save_token(store, account, result.token)
    connection = open_connection(ACCOUNT_TYPE, account, store)
    async with connection.http:
        response = await connection.http.get(connection.url("api", "/api/whoami"))
    assert connection.endpoints == {"api": served.url}
    assert response.json()["email"] == "ada@example.com"


async def test_the_authorization_request_carries_pkce_state_and_the_loopback_redirect(oauth_server):
    served = oauth_server()
    seen: list[str] = []

    def browser(url: str) -> None:
        seen.append(url)
        headless_browser(url)

    await sign_in(ACCOUNT_TYPE, PLAN, open_browser=browser, sandbox_url=served.url)
    (url,) = seen
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{served.url}/oauth/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32
    assert query["scope"] == [" ".join((*IDENTITY, *MAIL, *CALENDAR))]
    redirect = urlsplit(query["redirect_uri"][0])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/oauth/test/callback")


async def test_a_forged_redirect_with_a_wrong_state_fails_the_sign_in(oauth_server):
    served = oauth_server()

    def forger(url: str) -> None:
        # Someone else's browser lands on our listener with their own code and state.
        redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        response = httpx.get(f"{redirect_uri}?code=attackers-code&state=attackers-state")
        assert response.status_code == 400

    with pytest.raises(AuthError, match="state differs"):
        await sign_in(ACCOUNT_TYPE, PLAN, open_browser=forger, sandbox_url=served.url)


async def test_declined_calendar_scopes_give_a_mail_only_account(oauth_server):
    served = oauth_server(declined_scopes=set(CALENDAR))
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    assert result.account.features == {Feature.MAIL}
    assert result.account.granted_scopes == (*IDENTITY, *MAIL)
    assert result.notices == ("Calendar access was declined: the calendar is off. Sign in again to grant it.",)


async def test_one_declined_mail_scope_turns_mail_off(oauth_server):
    served = oauth_server(declined_scopes={"test.mail.send"})
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    assert result.account.features == {Feature.CALENDAR}
    assert result.notices == ("Mail access was declined: mail is off. Sign in again to grant it.",)


async def test_declining_mail_and_calendar_fails_the_sign_in(oauth_server):
    served = oauth_server(declined_scopes={*MAIL, *CALENDAR})
    with pytest.raises(AuthError, match="Neither mail nor calendar"):
        await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)


async def test_a_feature_without_an_installed_provider_is_not_offered(oauth_server):
    served = oauth_server()
    result = await sign_in(
        ACCOUNT_TYPE, ScopePlan(identity=IDENTITY, mail=MAIL), open_browser=headless_browser, sandbox_url=served.url
    )
    assert result.account.features == {Feature.MAIL}
    assert result.notices == ()


async def test_deny_on_the_consent_page_cancels_the_sign_in(oauth_server):
    served = oauth_server(unattended=False)

    def user_says_no(url: str) -> None:
        with httpx.Client(follow_redirects=True) as browser:
            assert "checkbox" in browser.get(url).text
            browser.post(url, data={"decision": "deny"})

    with pytest.raises(AuthError, match="cancelled"):
        await sign_in(ACCOUNT_TYPE, PLAN, open_browser=user_says_no, sandbox_url=served.url)


async def test_the_consent_page_unticked_calendar_gives_mail_only(oauth_server):
    served = oauth_server(unattended=False)

    def user_unticks_calendar(url: str) -> None:
        with httpx.Client(follow_redirects=True) as browser:
            browser.post(url, data={"scope": [*IDENTITY, *MAIL], "decision": "allow"})

    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=user_unticks_calendar, sandbox_url=served.url)
    assert result.account.features == {Feature.MAIL}


async def test_a_browser_that_never_comes_back_times_out(oauth_server):
    served = oauth_server()
    with pytest.raises(AuthError, match="did not come back"):
        await sign_in(ACCOUNT_TYPE, PLAN, open_browser=lambda url: None, timeout=0.05, sandbox_url=served.url)


async def test_an_unreachable_provider_is_a_clear_error(oauth_server):
    served = oauth_server()
    # The token endpoint is a port nobody listens on: the code arrives but cannot be exchanged.
    rebased = ACCOUNT_TYPE.rebased(served.url)
    account_type = attrs.evolve(rebased, oauth=attrs.evolve(rebased.oauth, token_url="http://127.0.0.1:9/oauth/token"))
    with pytest.raises(AuthError, match="could not be reached"):
        await sign_in(account_type, PLAN, open_browser=headless_browser)


async def test_a_rotated_refresh_token_is_persisted(oauth_server):
    served = oauth_server(access_token_ttl=3600)
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, result.token)
    old_refresh = result.token["refresh_token"]
    # Force expiry: the saved token says it ran out an hour ago.
    expired = dict(result.token, expires_at=int(result.token["expires_at"]) - 7200)
    save_token(store, result.account, expired)

    connection = open_connection(ACCOUNT_TYPE, result.account, store)
    async with connection.http:
        response = await connection.http.get(connection.url("api", "/api/whoami"))
        assert response.status_code == 200

    saved = load_token(store, result.account)
    assert saved is not None
    assert saved["refresh_token"] != old_refresh
    assert saved["access_token"] != result.token["access_token"]
    assert saved["expires_at"] > expired["expires_at"]
    # The server rejects the old refresh token and accepts the saved one.
    reuse = served.token(grant_type="refresh_token", refresh_token=old_refresh)
    assert reuse.json()["error"] == "invalid_grant"
    assert served.token(grant_type="refresh_token", refresh_token=saved["refresh_token"]).status_code == 200


async def test_concurrent_requests_refresh_once(oauth_server):
    served = oauth_server()
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, dict(result.token, expires_at=0))
    connection = open_connection(ACCOUNT_TYPE, result.account, store)
    async with connection.http:
        responses = await asyncio.gather(*(connection.http.get(connection.url("api", "/api/whoami")) for _ in range(5)))
    # A second refresh would have reused the rotated-away token and failed with invalid_grant.
    assert [response.status_code for response in responses] == [200] * 5


async def test_closing_the_client_cancels_the_requests_under_way(oauth_server):
    """A request left running while the client closes could open a connection that the closed pool no
    longer knows, whose socket is then never closed: closing cancels such requests and waits for them."""
    served = oauth_server()
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, result.token)
    connection = open_connection(ACCOUNT_TYPE, result.account, store)
    slow = asyncio.create_task(connection.http.get(connection.url("api", "/api/slow")))
    assert await asyncio.to_thread(served.waiting.wait, 10)

    await asyncio.wait_for(connection.http.aclose(), 10)  # not the 30 s the server takes to answer

    assert slow.cancelled()
    assert connection.http.is_closed


async def test_a_refused_refresh_is_an_auth_error(oauth_server):
    served = oauth_server()
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, dict(result.token, expires_at=0))
    served.oauth.revoke_all()
    connection = open_connection(ACCOUNT_TYPE, result.account, store)
    async with connection.http:
        with pytest.raises(AuthError, match="no longer valid") as caught:
            await connection.http.get(connection.url("api", "/api/whoami"))
    assert caught.value.hint == "Sign in again."


def test_a_connection_needs_a_saved_token():
    with pytest.raises(AuthError, match="no saved sign-in"):
        open_connection(ACCOUNT_TYPE, Account("ada@example.com", "testmail"), MemorySecretStore())


async def test_a_refresh_by_another_process_is_picked_up_from_the_store(oauth_server):
    served = oauth_server()
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, dict(result.token, expires_at=0))
    # Two host processes (the UI and the CLI) hold the same expired token in memory.
    ui = open_connection(ACCOUNT_TYPE, result.account, store)
    cli = open_connection(ACCOUNT_TYPE, result.account, store)
    async with ui.http, cli.http:
        assert (await cli.http.get(cli.url("api", "/api/whoami"))).status_code == 200
        # The UI's refresh token was rotated away by the CLI's refresh; it takes the saved one.
        assert (await ui.http.get(ui.url("api", "/api/whoami"))).status_code == 200
        assert ui.http.token["refresh_token"] == cli.http.token["refresh_token"]


async def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(oauth_server):
    served = oauth_server(single_use_refresh_tokens=False)  # Google's way
    result = await sign_in(ACCOUNT_TYPE, PLAN, open_browser=headless_browser, sandbox_url=served.url)
    store = MemorySecretStore()
    save_token(store, result.account, dict(result.token, expires_at=0))
    connection = open_connection(ACCOUNT_TYPE, result.account, store)
    async with connection.http:
        assert (await connection.http.get(connection.url("api", "/api/whoami"))).status_code == 200
    saved = load_token(store, result.account)
    assert saved is not None
    assert saved["refresh_token"] == result.token["refresh_token"]
    assert saved["access_token"] != result.token["access_token"]
    assert saved["expires_at"] > 0

"""Zoom sign-in: PKCE as a public client, the token in the secret store, single-use refresh tokens
saved on every refresh, sign-out, and ``zoomclient zoom`` end to end."""

from __future__ import annotations

import json

import pytest

from host.errors import AuthError, UsageError
from host.model.account import Account
from host.secrets import load_token
from zoom_workplace.session import RECORD_NAME, open_client, saved_policy, sign_out, zoom_account

ALEX = "alex.morgan@example.com"


async def test_sign_in_with_pkce_keeps_the_token_and_reads_profile_and_policy(zoom_sign_in, store, emulator) -> None:
    result = await zoom_sign_in(ALEX, store)
    assert result.user.email == ALEX and result.user.account_id == "acc-pro"
    assert result.policy.mail and result.policy.calendar, "Pro accounts have the clients on by default"
    assert load_token(store, Account(ALEX, "zoom"))["refresh_token"]
    assert zoom_account(store)[1].email == ALEX
    assert saved_policy(store) == result.policy

    (authorize,) = emulator.log.find("GET", "/oauth/authorize")
    assert authorize.query_params["code_challenge_method"] == ["S256"]
    assert "client_secret" not in authorize.query, "a desktop app is a public client"
    (exchange,) = emulator.log.find("POST", "/oauth/token")
    assert "code_verifier=%3Credacted%3E" in exchange.text

    with pytest.raises(UsageError, match="signed in to Zoom already"):
        await zoom_sign_in(ALEX, store)


async def test_single_use_refresh_tokens_are_saved_on_every_refresh(zoom_sign_in, store, emulator) -> None:
    await zoom_sign_in(ALEX, store)
    account = Account(ALEX, "zoom")
    for _ in range(2):
        before = load_token(store, account)
        store.set(f"{account.key}/oauth-token", json.dumps({**before, "expires_at": 1}))  # expired
        client = open_client(store)
        try:
            assert (await client.me())["email"] == ALEX
        finally:
            await client.aclose()
        after = load_token(store, account)
        assert after["refresh_token"] != before["refresh_token"], "the rotated refresh token was saved"

    refreshes = [r for r in emulator.log.find("POST", "/oauth/token") if "grant_type=refresh_token" in r.text]
    assert len(refreshes) == 2 and all(r.status == 200 for r in refreshes)

    # The old refresh token is revoked: a client still holding it (the token in the store was
    # replaced behind its back by another process) picks up the saved one instead of failing.
    emulator.oauth.revoke_all(ALEX)
    store.set(f"{account.key}/oauth-token", json.dumps({**load_token(store, account), "expires_at": 1}))
    client = open_client(store)
    try:
        with pytest.raises(AuthError, match="no longer valid"):
            await client.me()
    finally:
        await client.aclose()


async def test_sign_out_forgets_token_record_and_policy(zoom_sign_in, store) -> None:
    await zoom_sign_in(ALEX, store)
    assert sign_out(store).email == ALEX
    assert store.get(RECORD_NAME) is None and saved_policy(store) is None
    assert load_token(store, Account(ALEX, "zoom")) is None
    assert sign_out(store) is None
    with pytest.raises(UsageError, match="Nobody is signed in to Zoom"):
        open_client(store)

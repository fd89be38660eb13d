"""The sandbox authorization server: PKCE, loopback redirects, consent, rotation, protected routes."""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from oauth_support import CALENDAR, CLIENT_ID, IDENTITY, MAIL, REDIRECT_PATH, pkce_challenge
from starlette.applications import Starlette

from host.sandbox.oauth import OAuthServer, OAuthServerConfig


def test_code_exchange_with_the_right_verifier_gives_bearer_tokens(oauth_server):
    token = oauth_server().tokens()
    assert token["token_type"] == "Bearer"
    assert token["access_token"] and token["refresh_token"]
    assert token["expires_in"] == 3600
    assert token["scope"].split() == [*IDENTITY, *MAIL, *CALENDAR]


def test_a_wrong_code_verifier_is_invalid_grant(oauth_server):
    served = oauth_server()
    code = served.authorize(verifier=secrets.token_urlsafe(48))["code"][0]
    response = served.exchange(code, secrets.token_urlsafe(48))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_code_is_consumed_by_its_first_attempt(oauth_server):
    served = oauth_server()
    verifier = secrets.token_urlsafe(48)
    code = served.authorize(verifier=verifier)["code"][0]
    assert served.exchange(code, secrets.token_urlsafe(48)).status_code == 400
    again = served.exchange(code, verifier)
    assert again.json()["error"] == "invalid_grant"


def test_a_code_exchanged_without_verifier_is_refused(oauth_server):
    served = oauth_server()
    code = served.authorize(verifier=secrets.token_urlsafe(48))["code"][0]
    response = served.token(
        grant_type="authorization_code", code=code, redirect_uri=f"http://127.0.0.1:55555{REDIRECT_PATH}"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_an_authorization_request_without_challenge_is_refused(oauth_server):
    answer = oauth_server().authorize(verifier=None)
    assert answer["error"] == ["invalid_request"]
    assert "code" not in answer
    assert answer["state"] == ["s1"]


def test_the_plain_challenge_method_is_refused(oauth_server):
    served = oauth_server()
    verifier = secrets.token_urlsafe(48)
    answer = served.authorize(verifier=verifier, code_challenge=verifier, code_challenge_method="plain")
    assert answer["error"] == ["invalid_request"]


@pytest.mark.parametrize("port", [1024, 49152, 65535])
def test_any_loopback_port_is_accepted(oauth_server, port):
    answer = oauth_server().authorize(verifier=secrets.token_urlsafe(48), port=port)
    assert answer["code"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        f"http://localhost:5000{REDIRECT_PATH}",
        f"http://0.0.0.0:5000{REDIRECT_PATH}",
        f"https://127.0.0.1:5000{REDIRECT_PATH}",
        f"http://127.0.0.1{REDIRECT_PATH}",
        "http://127.0.0.1:5000/oauth/other/callback",
        f"http://attacker.example{REDIRECT_PATH}",
    ],
)
def test_other_redirect_uris_get_an_error_page_not_a_redirect(oauth_server, redirect_uri):
    served = oauth_server()
    url = served.authorize_url(redirect_uri, challenge=pkce_challenge(secrets.token_urlsafe(48)))
    response = httpx.get(url)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.json()["error"] == "invalid_request"


def test_an_unknown_client_is_refused(oauth_server):
    served = oauth_server()
    url = served.authorize_url(f"http://127.0.0.1:5000{REDIRECT_PATH}", challenge=pkce_challenge("x" * 43))
    response = httpx.get(url.replace(CLIENT_ID, "someone-else"))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client"


def test_an_unknown_scope_is_refused(oauth_server):
    answer = oauth_server().authorize(verifier=secrets.token_urlsafe(48), scope="openid test.admin")
    assert answer["error"] == ["invalid_scope"]


def test_declined_scopes_are_left_out_of_the_token(oauth_server):
    token = oauth_server(declined_scopes=set(CALENDAR)).tokens()
    assert token["scope"].split() == [*IDENTITY, *MAIL]


def test_declining_every_requested_scope_is_access_denied(oauth_server):
    served = oauth_server(declined_scopes={*IDENTITY, *MAIL, *CALENDAR})
    answer = served.authorize(verifier=secrets.token_urlsafe(48))
    assert answer["error"] == ["access_denied"]


def test_login_hint_picks_the_user(oauth_server):
    served = oauth_server()
    token = served.tokens(login_hint="GRACE@example.com")
    whoami = httpx.get(f"{served.url}/api/whoami", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert whoami.json()["email"] == "grace@example.com"


def test_refresh_rotates_and_the_old_refresh_token_is_invalid_grant(oauth_server):
    served = oauth_server()
    first = served.tokens()
    second = served.token(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    assert rotated["scope"] == first["scope"]
    reuse = served.token(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    third = served.token(grant_type="refresh_token", refresh_token=rotated["refresh_token"])
    assert third.status_code == 200


def test_without_single_use_the_refresh_token_stays(oauth_server):
    served = oauth_server(single_use_refresh_tokens=False)
    first = served.tokens()
    for _ in range(2):
        response = served.token(grant_type="refresh_token", refresh_token=first["refresh_token"])
        assert response.status_code == 200
        assert "refresh_token" not in response.json()


def test_refresh_may_narrow_but_not_widen_the_scope(oauth_server):
    served = oauth_server(declined_scopes=set(CALENDAR))
    first = served.tokens()
    narrower = served.token(grant_type="refresh_token", refresh_token=first["refresh_token"], scope="test.mail.read")
    assert narrower.json()["scope"] == "test.mail.read"
    wider = served.token(
        grant_type="refresh_token", refresh_token=narrower.json()["refresh_token"], scope="test.calendar"
    )
    assert wider.json()["error"] == "invalid_scope"


def test_require_token_wants_a_bearer_token(oauth_server):
    served = oauth_server()
    response = httpx.get(f"{served.url}/api/whoami")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    unknown = httpx.get(f"{served.url}/api/whoami", headers={"Authorization": "Bearer nonsense"})
    assert unknown.status_code == 401
    assert 'error="invalid_token"' in unknown.headers["www-authenticate"]


def test_an_expired_access_token_is_401_until_refreshed(oauth_server, clock):
    served = oauth_server(access_token_ttl=60)
    token = served.tokens()
    assert token["expires_in"] == 60
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert httpx.get(f"{served.url}/api/whoami", headers=headers).status_code == 200
    clock.now += 61
    expired = httpx.get(f"{served.url}/api/whoami", headers=headers)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]
    fresh = served.token(grant_type="refresh_token", refresh_token=token["refresh_token"]).json()
    response = httpx.get(f"{served.url}/api/whoami", headers={"Authorization": f"Bearer {fresh['access_token']}"})
    assert response.status_code == 200


def test_a_token_without_the_scope_is_403(oauth_server):
    served = oauth_server(declined_scopes=set(MAIL))
    token = served.tokens()
    response = httpx.get(f"{served.url}/api/whoami", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


def test_revoke_all_ends_access_and_refresh(oauth_server):
    served = oauth_server()
    token = served.tokens()
    served.oauth.revoke_all("ada@example.com")
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert httpx.get(f"{served.url}/api/whoami", headers=headers).status_code == 401
    refresh = served.token(grant_type="refresh_token", refresh_token=token["refresh_token"])
    assert refresh.json()["error"] == "invalid_grant"


def test_userinfo_names_the_account(oauth_server):
    served = oauth_server()
    token = served.tokens()
    info = httpx.get(f"{served.url}/oauth/userinfo", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert info.json() == {"sub": "ada@example.com", "email": "ada@example.com", "name": "Ada Lovelace"}


def test_the_interactive_consent_page_grants_what_is_ticked(oauth_server):
    served = oauth_server(unattended=False, declined_scopes=set(CALENDAR))
    verifier = secrets.token_urlsafe(48)
    url = served.authorize_url(f"http://127.0.0.1:5000{REDIRECT_PATH}", challenge=pkce_challenge(verifier))
    page = httpx.get(url)
    assert page.status_code == 200
    boxes = dict(re.findall(r'<input type="checkbox" name="scope" value="([^"]+)"( checked)?>', page.text))
    assert boxes == {"openid": " checked", "email": " checked", **dict.fromkeys(MAIL, " checked"), "test.calendar": ""}
    # The user ticks mail but not calendar and presses Allow.
    answer = httpx.post(url, data={"scope": [*IDENTITY, "test.mail.read", "test.mail.send"], "decision": "allow"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    token = served.exchange(query["code"][0], verifier, port=5000).json()
    assert token["scope"].split() == [*IDENTITY, *MAIL]


def test_deny_on_the_consent_page_is_access_denied(oauth_server):
    served = oauth_server(unattended=False)
    url = served.authorize_url(f"http://127.0.0.1:5000{REDIRECT_PATH}", challenge=pkce_challenge("v" * 43))
    answer = httpx.post(url, data={"scope": list(IDENTITY), "decision": "deny"})
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["s1"]


def test_provider_paths_are_configurable(oauth_server):
    served = oauth_server(authorize_path="/{tenant}/oauth2/v2.0/authorize", token_path="/{tenant}/oauth2/v2.0/token")
    verifier = secrets.token_urlsafe(48)
    url = served.authorize_url(f"http://127.0.0.1:5000{REDIRECT_PATH}", challenge=pkce_challenge(verifier))
    response = httpx.get(url.replace("/oauth/authorize", "/common/oauth2/v2.0/authorize"))
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    token = httpx.post(
        f"{served.url}/common/oauth2/v2.0/token",
        data={
            "client_id": CLIENT_ID,
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": f"http://127.0.0.1:5000{REDIRECT_PATH}",
        },
    )
    assert token.status_code == 200
    assert httpx.get(url).status_code == 404


def test_a_server_needs_a_user():
    with pytest.raises(ValueError, match="at least one user"):
        OAuthServer(OAuthServerConfig(clients={CLIENT_ID: REDIRECT_PATH}, users=[]))


async def test_plain_http_from_a_non_loopback_host_is_an_error_not_a_crash():
    oauth = OAuthServer(OAuthServerConfig(clients={CLIENT_ID: REDIRECT_PATH}, users=[("a@example.com", "A")]))
    app = Starlette(routes=oauth.routes)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        response = await client.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert response.status_code == 400
    assert response.json()["error"] == "insecure_transport"

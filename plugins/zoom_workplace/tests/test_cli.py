"""``zoomclient zoom status`` and ``zoomclient account list`` for a Zoom Mail user, each command a fresh
process of the installed CLI against the Zoom Mail emulator of this process (whose origin serves the
Zoom platform): no Zoom sign-in of its own, the policy read anew, and a read that fails keeps the last
one and says so."""

from __future__ import annotations

import json

import pytest

ALEX = "alex.morgan@example.com"
#: The distributions the ``zoomclient`` fixture (zoom_workplace.testing) loads.
PLUGINS = "zoomclient-zoommail,zoomclient-zoom-workplace"


@pytest.mark.slow
def test_a_zoom_mail_user_is_signed_in_to_zoom_and_a_failed_read_keeps_the_policy(
    zoomclient, zoommail, zoommail_url
) -> None:
    zoomclient("account", "add", "zoommail", "--sandbox", zoommail_url)
    status = json.loads(zoomclient("zoom", "status", "--json").stdout)
    assert status["user"]["email"] == ALEX and status["policy"]["mail"] and status["policy"]["calendar"]
    assert "is off" not in zoomclient("account", "list").stdout

    zoommail.platform.state.accounts["acc-pro"].settings = {"zoom_mail_calendar": {"calendar_client": False}}
    assert "calendar client: off" in zoomclient("zoom", "status").stdout
    assert "The calendar is off: turned off by your Zoom admin for the account." in zoomclient("account", "list").stdout

    zoommail.oauth.revoke_all(ALEX)
    failed = zoomclient("zoom", "status", ok=False)
    assert failed.returncode == 1 and "Zoom refused the sign-in" in failed.stderr
    assert "stays in force:\nMail client: on; calendar client: off." in failed.stdout
    assert "The calendar is off" in zoomclient("account", "list").stdout, "the last policy holds"

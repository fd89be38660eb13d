"""``zoomclient zoom ...``, ``zoomclient meeting ...`` and ``zoomclient account list`` end to end, each
command a fresh process of the installed CLI, against the Zoom and TestMail emulators of this process."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zoom_workplace.policy import SECTION

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-zoom-meetings"
ALEX, BO = "alex.morgan@example.com", "bo.business@business.example.com"


@pytest.mark.slow
def test_zoom_sign_in_a_meeting_for_an_event_and_the_admin_policy(
    zoomclient, zoom, zoom_url, testmail, testmail_url
) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    assert (
        f"Signed in to Zoom as {ALEX}"
        in zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX).stdout
    )
    status = json.loads(zoomclient("zoom", "status", "--json").stdout)
    assert status["user"]["email"] == ALEX and status["policy"]["mail"] and status["policy"]["calendar"]

    next_week = f"{dt.date.today() + dt.timedelta(days=7):%Y-%m-%d} 10:00"
    created = json.loads(
        zoomclient("calendar", "create", "--title", "Design review", "--start", next_week, "--json").stdout
    )
    out = zoomclient("meeting", "create", "--event", created["id"]).stdout
    (meeting,) = zoom.state.meetings.values()
    assert f"Added Zoom meeting {meeting['id']}" in out
    written = testmail.state.events[created["id"]]
    assert written.location == meeting["join_url"] and "+49 69 3807 9883" in written.description
    assert all("zak=" not in r.text for r in testmail.log.entries), "the start_url never reaches the calendar"

    meeting["topic"], meeting["duration"] = "changed in Zoom", 5
    out = zoomclient("meeting", "update", "--event", created["id"]).stdout
    assert f"Updated Zoom meeting {meeting['id']} of 'Design review'" in out
    assert meeting["topic"] == "Design review" and meeting["duration"] == 60, "set from the event again"

    zoomclient("meeting", "delete", "--event", created["id"], "--yes")
    assert zoom.state.meetings == {} and created["id"] not in testmail.state.events

    assert "Signed out of Zoom" in zoomclient("zoom", "signout").stdout
    zoom.state.groups["grp-biz-sales"].settings[SECTION] = {"mail_client": True}
    signin = zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", BO).stdout
    assert "calendar is off: off by default for Business accounts" in signin
    listed = zoomclient("account", "list").stdout.splitlines()
    assert listed[1:] == [
        "  The calendar is off: off by default for Business accounts until your Zoom admin enables it."
    ]
    refused = zoomclient("calendar", "list", ok=False)
    assert refused.returncode == 1 and "The calendar is off" in refused.stderr

"""``zoomclient chat participants`` end to end: each command a fresh process of the installed CLI, against
the Zoom and TestMail emulators of this process."""

from __future__ import annotations

import json

import pytest
from chat_support import ALEX, COLLEAGUES, EVENT_ID, OUTSIDERS, TITLE, channel_of, colleague

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-participant-chat"


@pytest.mark.slow
def test_chat_participants_from_the_command_line(zoomclient, zoom, zoom_url, testmail, testmail_url) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX.email)

    unknown = zoomclient("chat", "participants", "--event", "no-such-event", ok=False)
    assert unknown.returncode == 1 and "There is no event 'no-such-event'" in unknown.stderr

    asked = zoomclient("chat", "participants", "--event", EVENT_ID, ok=False)
    assert asked.returncode == 1 and "Aborted" in asked.stderr, "without --yes it asks, and no answer is no"
    assert f"{TITLE!r} with {COLLEAGUES} attendees?\n\nLeft out (no Zoom account): Priya Sharma" in asked.stdout
    assert [c["name"] for c in zoom.state.channels] == ["Product"]

    done = json.loads(zoomclient("chat", "participants", "--event", EVENT_ID, "--yes", "--json").stdout)
    everyone = [colleague(n).email for n in range(1, COLLEAGUES + 1)]
    assert done["name"] == TITLE and done["members"] == everyone
    assert [a["email"] for a in done["without_zoom"]] == [o.email for o in OUTSIDERS]
    channel = channel_of(zoom, TITLE)
    assert done["channel_id"] == channel["id"] and channel["members"] == [ALEX.email, *everyone]

    text = zoomclient("chat", "participants", "--event", EVENT_ID, "--yes").stdout
    assert text.startswith(f"Started the group chat {TITLE!r} with {COLLEAGUES} attendees. Left out")
    assert "Open: https://zoom.us/launch/chat/v2/" in text


def test_without_the_plugin_there_is_no_such_command_and_the_rest_loads(zoomclient) -> None:
    others = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-calendar-view"
    missing = zoomclient("chat", "participants", "--event", EVENT_ID, ok=False, plugins=others)
    assert missing.returncode == 2 and "No such command 'chat'" in missing.stderr
    listed = json.loads(zoomclient("plugins", "--json", plugins=others).stdout)
    assert {p["name"]: p["status"] for p in listed} == {name: "loaded" for name in others.split(",")}

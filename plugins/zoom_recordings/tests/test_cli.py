"""``zoomclient recordings list | attach`` end to end, each command a fresh process of the installed CLI,
against the Zoom and TestMail emulators of this process."""

from __future__ import annotations

import datetime as dt
import json

import pytest

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-zoom-recordings"
ALEX = "alex.morgan@example.com"


@pytest.mark.slow
def test_list_search_and_attach_a_recording(zoomclient, zoom, zoom_url, testmail, testmail_url) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX)

    recent = json.loads(zoomclient("recordings", "list", "--json").stdout)
    assert [r["topic"] for r in recent] == ["Roadmap review", "Kundengespräch Müller GmbH"]
    assert recent[0]["uuid"] == "/ajXp112QmuoKj4854875===" and recent[0]["passcode_protected"]
    assert "?pwd=" in recent[0]["share_url"] and "Rv7#pQ2x" not in json.dumps(recent), "the listing has no passcode"

    today = dt.date.today()
    year = zoomclient("recordings", "list", "--from", f"{today - dt.timedelta(days=365)}", "--to", f"{today}").stdout
    assert [line.split("  ")[-2] for line in year.splitlines()][-1] == "Retrospective"
    assert len(year.splitlines()) == 6
    calls = zoom.log.find("GET", "/users/me/recordings")
    assert len(calls) >= 2 + 12, "a month a call"
    found = zoomclient("recordings", "list", "--from", f"{today - dt.timedelta(days=100)}", "--search", "all HANDS")
    assert [line.split("  ")[-2] for line in found.stdout.splitlines()] == ["All hands — Q3"]
    backwards = zoomclient(
        "recordings", "list", "--from", f"{today}", "--to", f"{today - dt.timedelta(days=2)}", ok=False
    )
    assert backwards.returncode == 1 and "is after --to" in backwards.stderr

    start = f"{today + dt.timedelta(days=2):%Y-%m-%d} 11:00"
    created = json.loads(
        zoomclient("calendar", "create", "--title", "Roadmap follow-up", "--start", start, "--json").stdout
    )
    out = zoomclient("recordings", "attach", "--event", created["id"], "--recording", recent[0]["uuid"]).stdout
    assert "Attached the cloud recording 'Roadmap review' to 'Roadmap follow-up'" in out
    stored = testmail.state.events[created["id"]]
    assert recent[0]["share_url"] in stored.description and "Passcode: Rv7#pQ2x" in stored.description
    zoomclient("recordings", "attach", "--event", created["id"], "--recording", recent[0]["uuid"])
    assert testmail.state.events[created["id"]].description.count("Passcode: Rv7#pQ2x") == 1
    missing = zoomclient("recordings", "attach", "--event", created["id"], "--recording", "nope==", ok=False)
    assert missing.returncode == 1 and "no recording" in missing.stderr.lower()


def test_without_the_plugin_there_is_no_recordings_command_and_the_rest_works(zoomclient) -> None:
    others = "zoomclient-testprovider,zoomclient-zoom-workplace"
    missing = zoomclient("recordings", "--help", ok=False, plugins=others)
    assert missing.returncode == 2 and "No such command 'recordings'" in missing.stderr
    listed = json.loads(zoomclient("plugins", "--json", plugins=others).stdout)
    assert "zoomclient-zoom-recordings" not in {p["name"] for p in listed} and all(
        p["status"] == "loaded" for p in listed
    )

"""``zoomclient phone numbers | attach`` end to end, each command a fresh process of the installed CLI,
against the Zoom and TestMail emulators of this process."""

from __future__ import annotations

import datetime as dt
import json

import pytest

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-zoom-phone"
ALEX, ANA = "alex.morgan@example.com", "ana.mueller@example.de"


@pytest.mark.slow
def test_list_the_numbers_and_put_one_into_an_event(zoomclient, zoom_url, testmail, testmail_url) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX)

    listed = json.loads(zoomclient("phone", "numbers", "--json").stdout)
    assert [n["tel"] for n in listed] == ["tel:+493012345601;ext=1001", "tel:+498999887766;ext=1001"]
    assert zoomclient("phone", "numbers").stdout.splitlines()[0] == (
        "+49 30 1234 5601, extension 1001\ttel:+493012345601;ext=1001"
    )

    tomorrow = f"{dt.date.today() + dt.timedelta(days=1):%Y-%m-%d} 15:00"
    created = json.loads(
        zoomclient("calendar", "create", "--title", "Supplier call", "--start", tomorrow, "--json").stdout
    )
    which = zoomclient("phone", "attach", "--event", created["id"], ok=False)
    assert which.returncode == 1 and "You have 2 Zoom Phone numbers" in which.stderr and "--number" in which.stderr
    out = zoomclient("phone", "attach", "--event", created["id"], "--number", "+49 89 99887766").stdout
    assert "Added Zoom Phone number +498999887766, extension 1001 to 'Supplier call'" in out
    stored = testmail.state.events[created["id"]]
    assert (
        stored.location == "tel:+498999887766;ext=1001" and "Call: +498999887766, extension 1001" in stored.description
    )

    zoomclient("zoom", "signout")
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ANA)
    refused = zoomclient("phone", "numbers", ok=False)
    assert refused.returncode == 1 and "no Zoom Phone licence" in refused.stderr and "Zoom admin" in refused.stderr


def test_without_the_plugin_there_is_no_phone_command_and_the_rest_works(zoomclient) -> None:
    others = "zoomclient-testprovider,zoomclient-zoom-workplace"
    missing = zoomclient("phone", "--help", ok=False, plugins=others)
    assert missing.returncode == 2 and "No such command 'phone'" in missing.stderr
    listed = json.loads(zoomclient("plugins", "--json", plugins=others).stdout)
    assert "zoomclient-zoom-phone" not in {p["name"] for p in listed} and all(p["status"] == "loaded" for p in listed)

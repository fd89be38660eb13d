"""``zoomclient chat share`` end to end: each command a fresh process of the installed CLI, with the
vault for secrets, against the Zoom and TestMail emulators of this process."""

from __future__ import annotations

import json

import pytest
from share_support import ALEX, ANA, SHARED_SUBJECT

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-testprovider,zoomclient-zoom-workplace,zoomclient-team-chat-share"


@pytest.mark.slow
def test_sharing_from_the_command_line(zoomclient, zoom, zoom_url, testmail, testmail_url) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    zoomclient("sync")
    listed = json.loads(zoomclient("mail", "list", "--json").stdout)
    (message_id,) = [m["id"] for m in listed if m["subject"] == SHARED_SUBJECT]

    nobody = zoomclient("chat", "share", message_id, "--to-contact", ANA, ok=False)
    assert "Nobody is signed in to Zoom. Sign in with `zoomclient zoom signin`." in nobody.stderr
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX)

    shared = json.loads(zoomclient("chat", "share", message_id, "--to-contact", ANA.upper(), "--json").stdout)
    assert shared["recipient"]["email"] == ANA and shared["file_message_id"] is None
    (sent,) = zoom.state.chat_messages
    assert sent["id"] == shared["message_id"] and sent["to_contact"] == ANA
    assert sent["message"] == shared["text"] and sent["message"].startswith(f"Email: {SHARED_SUBJECT}\n")

    out = zoomclient("chat", "share", message_id, "--to-channel", "product", "--eml").stdout
    assert out.startswith(f"Shared message {message_id} with Product, with the email as Q3 roadmap")
    (stored,) = zoom.state.chat_files.values()
    assert stored["data"] == testmail.state.raw(message_id)
    assert zoom.state.chat_messages[-1]["to_channel"] == "ch-product"


@pytest.mark.slow
def test_the_command_line_says_what_went_wrong_and_what_to_do(zoomclient, zoom, zoom_url, testmail_url) -> None:
    zoomclient("account", "add", "testmail", "--sandbox", testmail_url)
    zoomclient("zoom", "signin", "--sandbox", zoom_url, "--login-hint", ALEX)
    zoomclient("sync")
    (message_id, *_) = [m["id"] for m in json.loads(zoomclient("mail", "list", "--json").stdout)]

    unknown = zoomclient("chat", "share", message_id, "--to-contact", "nobody@example.com", ok=False).stderr
    assert "No Zoom contact has the address 'nobody@example.com'." in unknown and "Check the address" in unknown
    channel = zoomclient("chat", "share", message_id, "--to-channel", "Marketing", ok=False).stderr
    assert "You are in no Team Chat channel called 'Marketing'." in channel and "Your channels: Product." in channel
    both = zoomclient("chat", "share", message_id, "--to-contact", ANA, "--to-channel", "Product", ok=False).stderr
    assert "--to-contact EMAIL or --to-channel NAME_OR_ID (one of them)" in both
    missing = zoomclient("chat", "share", "no-such-id", "--to-contact", ANA, ok=False).stderr
    assert "There is no message 'no-such-id'." in missing and "zoomclient mail list" in missing
    assert zoom.state.chat_messages == []

    # Without the plugin there is no such command, and the rest of the CLI works as before.
    without = zoomclient(
        "chat", "share", message_id, "--to-contact", ANA, ok=False, plugins="zoomclient-testprovider"
    ).stderr
    assert "No such command 'chat'" in without
    zoomclient("mail", "show", message_id, plugins="zoomclient-testprovider")

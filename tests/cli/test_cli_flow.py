"""The engine's command line end to end, each command a fresh process, against TestMail's emulator.

The emulator runs in this test's process so its server state can be checked; the commands find the
TestMail plugin through its dist-info on PYTHONPATH, exactly as an installed provider is found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from testprovider.emulator import TestMailEmulator

from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions

TESTPROVIDER = Path(__file__).parents[1] / "testprovider"
ZOOMCLIENT = Path(sys.executable).with_name("zoomclient")


@pytest.fixture
def emulator() -> Iterator[tuple[TestMailEmulator, str]]:
    emulator = TestMailEmulator(SandboxOptions(messages=30, events=15))
    with ServerThread(emulator, name="testmail") as server:
        yield emulator, server.url


@pytest.fixture
def zoomclient(tmp_path: Path):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ZOOMCLIENT_")},
        "PYTHONPATH": os.pathsep.join([str(TESTPROVIDER / "site"), str(TESTPROVIDER)]),
        "ZOOMCLIENT_DATA_DIR": str(tmp_path / "data"),
        "ZOOMCLIENT_PASSPHRASE": "a passphrase for the vault",
        # No keyring on CI; force the vault everywhere so a developer's real keyring is never touched.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(ZOOMCLIENT), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if ok:
            assert done.returncode == 0, f"zoomclient {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done

    run.data_dir = tmp_path / "data"  # type: ignore[attr-defined]
    return run


def test_sign_in_sync_read_send_schedule_and_sign_out(zoomclient, emulator) -> None:
    server, url = emulator
    owner = server.state.owner.email

    assert f"Signed in as {owner}" in zoomclient("account", "add", "testmail", "--sandbox", url).stdout
    listed = json.loads(zoomclient("account", "list", "--json").stdout)
    assert [a["email"] for a in listed] == [owner] and listed[0]["sandbox_url"] == url

    second = zoomclient("account", "add", "testmail", "--sandbox", url, ok=False)
    assert second.returncode == 1 and "one mail account at a time" in second.stderr

    events = [json.loads(line) for line in zoomclient("sync", "--json").stdout.splitlines()]
    assert events[-1] == {"phase": "done", "messages": len(server.state.messages), "unread": events[-1]["unread"]}
    assert {e["phase"] for e in events} >= {"folders", "recent"}

    inbox = json.loads(zoomclient("mail", "list", "--limit", "5", "--json").stdout)
    assert 0 < len(inbox) <= 5
    dates = [m["date"] for m in inbox]
    assert dates == sorted(dates, reverse=True), "newest first"

    newest = inbox[0]
    shown = json.loads(zoomclient("mail", "show", newest["id"], "--json").stdout)
    assert shown["subject"] == newest["subject"] and "raw" not in shown

    word = newest["subject"].split()[0]
    found = json.loads(zoomclient("mail", "search", f"subject:{word}", "--json").stdout)
    assert newest["id"] in [m["id"] for m in found]

    zoomclient("mail", "send", "--to", "bo@example.com", "--subject", "Grüße aus dem CLI", "--body", "Hallo")
    assert any(m.subject == "Grüße aus dem CLI" for m in server.state.messages.values())

    created = json.loads(
        zoomclient(
            "calendar",
            "create",
            "--title",
            "CLI planning",
            "--start",
            "2026-12-01 10:00",
            "--attendee",
            "bo@example.com",
            "--json",
        ).stdout
    )
    assert created["title"] == "CLI planning" and created["id"]
    window = json.loads(zoomclient("calendar", "list", "--from", "2026-12-01", "--to", "2026-12-02", "--json").stdout)
    assert created["id"] in [e["id"] for e in window["events"]]

    zoomclient("account", "remove", "--yes")
    assert [p for p in zoomclient.data_dir.rglob("*") if p.is_file()] == []
    assert json.loads(zoomclient("account", "list", "--json").stdout) == []


def test_commands_without_an_account_say_how_to_sign_in(zoomclient) -> None:
    done = zoomclient("mail", "list", ok=False)
    assert done.returncode == 1
    assert "No account is signed in" in done.stderr and "zoomclient account add" in done.stderr


def test_an_unknown_folder_lists_the_real_ones(zoomclient, emulator) -> None:
    _, url = emulator
    zoomclient("account", "add", "testmail", "--sandbox", url)
    zoomclient("sync")

    done = zoomclient("mail", "list", "--folder", "Nowhere", ok=False)

    assert done.returncode == 1 and "There is no folder 'Nowhere'" in done.stderr and "Inbox" in done.stderr


def test_a_bad_date_is_a_usage_error(zoomclient) -> None:
    done = zoomclient("calendar", "create", "--title", "x", "--start", "tomorrow-ish", ok=False)
    assert done.returncode == 2 and "--start" in done.stderr

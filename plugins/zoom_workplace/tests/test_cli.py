"""``zoomclient zoom status`` and ``zoomclient account list`` for a Zoom Mail user, each command a fresh
process of the installed CLI against the Zoom Mail emulator of this process (whose origin serves the
Zoom platform): no Zoom sign-in of its own, the policy read anew, and a read that fails keeps the last
one and says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ZOOMCLIENT = Path(sys.executable).with_name("zoomclient")
ALEX = "alex.morgan@example.com"


@pytest.fixture
def zoomclient(tmp_path: Path):
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ZOOMCLIENT_")},
        "ZOOMCLIENT_DATA_DIR": str(tmp_path / "data"),
        "ZOOMCLIENT_PASSPHRASE": "a passphrase for the vault",
        "ZOOMCLIENT_LOAD_PLUGINS": "zoomclient-zoommail,zoomclient-zoom-workplace",
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

    return run


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

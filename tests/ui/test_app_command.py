"""`zoomclient app` starts the desktop app on the user's own (here: a temporary) data dir and stays up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def test_the_app_command_opens_the_window_and_keeps_running(tmp_path: Path) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ZOOMCLIENT_")},
        "QT_QPA_PLATFORM": "offscreen",
        "ZOOMCLIENT_DATA_DIR": str(tmp_path / "data"),
        "ZOOMCLIENT_PASSPHRASE": "a vault passphrase",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # QSettings of this run, not the developer's
    }
    app = subprocess.Popen(
        [str(Path(sys.executable).with_name("zoomclient")), "app"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(6)  # long enough to import Qt, build the window and reach its event loop
        assert app.poll() is None, f"the app ended early:\n{app.communicate()[1]}"
    finally:
        app.terminate()
        _, stderr = app.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr
    # Nobody signed in: the app made no account files (QSettings lives under XDG_CONFIG_HOME).
    assert not [p for p in (tmp_path / "data").rglob("*") if p.is_file()]

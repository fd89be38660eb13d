"""Shared set-up for the host's tests: offscreen Qt, and the test provider importable as `testprovider`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Qt must never look for a display; set before anything imports it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch a developer's real keyring: with keyring's fail backend the host falls back to the
# passphrase vault, as on a headless CI machine. Tests that need a keyring pass a backend explicitly.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

_TESTPROVIDER = Path(__file__).parent / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))

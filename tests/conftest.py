"""Shared set-up for the host's tests: offscreen Qt, and the test provider importable as `testprovider`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Qt must never look for a display; set before anything imports it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_TESTPROVIDER = Path(__file__).parent / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))

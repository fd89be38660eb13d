"""Loading every installed plugin stays light: registration imports no HTTP client, GUI or server.

`zoomclient plugins` must start in well under 300 ms (DESIGN §4); a plugin whose register_* hook imports
its provider's implementation (httpx, Qt, starlette) costs ~100 ms each. Factories import on open().
"""

from __future__ import annotations

import json
import subprocess
import sys

#: The domain model's mail and calendar modules build some fifty attrs classes (~40 ms): plugins name them
#: in annotations, and build them when they work.
HEAVY = ("httpx", "PyQt6", "starlette", "uvicorn", "authlib", "sqlcipher3", "host.model.mail", "host.model.calendar")

PROBE = f"""
import json, sys
from host.app import Host
host = Host.from_environment()
print(json.dumps({{"loaded": [r.name for r in host.plugin_records() if r.status.value == "loaded"],
                  "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def test_loading_every_installed_plugin_imports_nothing_heavy() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(done.stdout)

    assert len(result["loaded"]) >= 3, "the repository's provider distributions are installed and load"
    assert result["heavy"] == [], f"a plugin's registration imported {result['heavy']}"

"""The calendar view as a plugin: what it registers, and that it keeps to the shell's public API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import calendar_view.plugin as plugin

from host.views import ViewArea

PACKAGE = Path(__file__).parents[1] / "calendar_view"


def test_it_registers_the_calendar_pane(make_host) -> None:
    host = make_host(("zoomclient-calendar-view", plugin))
    views = [(v.id, v.area, v.shortcut) for v in host.registry.views]
    assert views == [("calendar", ViewArea.MAIN, "Ctrl+2")]
    assert host.loaded("zoomclient-calendar-view")


def test_loading_the_plugin_does_not_load_qt() -> None:
    code = "import sys, calendar_view.plugin; print(sorted(m for m in sys.modules if m.startswith('PyQt')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_it_uses_only_the_shells_public_api_and_its_qt_module() -> None:
    used = set()
    for path in PACKAGE.glob("*.py"):
        text = path.read_text()
        assert "PyQt6" not in text, f"{path.name} imports Qt around host.ui.qt"
        for line in text.splitlines():
            words = line.split()
            if len(words) > 1 and words[0] in ("from", "import") and words[1].startswith("host.ui"):
                used.add(words[1])
    assert used <= {"host.ui.qt", "host.ui.context"} and "host.ui.qt" in used


def test_nothing_but_layout_goes_to_qsettings() -> None:
    """Promise 4: the view's only QSettings writes are its mode and splitter (events stay in memory)."""
    writes = [
        line.strip()
        for path in PACKAGE.glob("*.py")
        for line in path.read_text().splitlines()
        if ".setValue(" in line and "layout" in line
    ]
    assert writes and all('_key("mode")' in w or '_key("splitter")' in w for w in writes)

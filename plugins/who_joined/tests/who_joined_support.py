"""Helpers of the who-joined tests: the event with a Zoom meeting, the sidebar, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).parent / "artifacts"
ALEX = "alex.morgan@example.com"
DISTRIBUTION = "zoomclient-who-joined"
EVENT_ID = "weekly-sync"
TITLE = "Weekly product sync"
PLAIN_EVENT_ID = "no-meeting"
#: an instance UUID that must be encoded twice in a path (it holds "//" and starts with "/")
UUID = "/wj4Kq//Xz9Tw=="


def sidebar(window: Any) -> Any:
    """The Who joined panel beside the calendar."""
    view = window.main_views["calendar"]
    tabs = view.sidebar_tabs
    (index,) = [i for i in range(tabs.count()) if tabs.tabText(i) == "Who joined"]
    return tabs.widget(index)


def rows(panel: Any) -> list[list[str]]:
    table = panel.table
    return [
        [table.topLevelItem(r).text(c) for c in range(table.columnCount())] for r in range(table.topLevelItemCount())
    ]


def screenshot(widget: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path

"""The hooks of zoomclient-calendar-view. Qt loads only when the shell builds the view (inside ``create``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from host.hookspecs import hookimpl
from host.views import View, ViewArea


def _calendar(context: Any) -> Any:
    from calendar_view.view import CalendarView

    return CalendarView(context)


@hookimpl
def register_views(register: Callable[[View], None]) -> None:
    register(View("calendar", "Calendar", ViewArea.MAIN, _calendar, order=20, shortcut="Ctrl+2"))

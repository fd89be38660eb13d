"""Other plugins in the calendar: workflow actions of the event editor (they hand back a changed event) and of
the event menu, and a sidebar told which event is selected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from calendar_support import at

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.hookspecs import hookimpl
from host.model.calendar import Event
from host.ui.qt import QLabel, Qt
from host.views import View, ViewArea

JOIN_URL = "https://zoom.example/j/123456789"


class WorkflowPlugin:
    """A plugin with one action for the editor and one for the event menu."""

    def __init__(self) -> None:
        self.seen: list[Event] = []
        self.shown: list[Event | None] = []

    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        def create(context: object) -> QLabel:
            label = QLabel("Who joined")
            label.show_item = self.shown.append  # the sidebar protocol: told what is in front
            return label

        register(View("test.sidebar", "Who joined", ViewArea.SIDEBAR, create))

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        async def add_link(context: ActionContext) -> ActionResult:
            assert context.event is not None
            return ActionResult("Zoom link added.", event=attrs.evolve(context.event, location=JOIN_URL))

        async def note(context: ActionContext) -> ActionResult:
            assert context.event is not None
            self.seen.append(context.event)
            return ActionResult("Noted.")

        register(Action("test.zoom", "Add Zoom link", frozenset({ActionPlace.EVENT_EDITOR}), add_link))
        register(
            Action(
                "test.only-delegated",
                "Only in delegated calendars",
                frozenset({ActionPlace.EVENT_EDITOR}),
                add_link,
                available=lambda context: context.event.calendar_id == "delegated-lena",
            )
        )
        register(Action("test.note", "Note it", frozenset({ActionPlace.EVENT}), note))
        register(
            Action(
                "test.never",
                "Never offered",
                frozenset({ActionPlace.EVENT}),
                note,
                available=lambda context: False,
            )
        )


@pytest.fixture
def workflow() -> WorkflowPlugin:
    return WorkflowPlugin()


@pytest.fixture
def extra_plugins(workflow: WorkflowPlugin) -> tuple[object, ...]:
    return (("zoomclient-test-workflow", workflow),)


def test_an_editor_action_changes_the_event_being_edited(view, qtbot, emulator, week) -> None:
    start = at(week + dt.timedelta(days=3), 16)
    editor = view.new_event(start)
    editor.title.setText("Customer call")
    button = editor.action_buttons["test.zoom"]
    assert button.text() == "Add Zoom link"
    assert "test.only-delegated" not in editor.action_buttons  # its check says no for this calendar
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.location.text() == JOIN_URL, timeout=10000)
    # What the user typed before the action ran is kept: the action got the edited event.
    assert editor.title.text() == "Customer call" and editor.times()[0] == start
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with emulator.state.lock:
            return next((e for e in emulator.state.events.values() if e.title == "Customer call"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    assert stored().location == JOIN_URL


def test_event_actions_are_in_the_event_menu_when_available(view, qtbot, workflow) -> None:
    event = next(e for e in view.events if e.title == "Standup")
    menu = view.event_menu(event)
    texts = [a.text() for a in menu.actions()]
    assert "Note it" in texts and "Never offered" not in texts
    next(a for a in menu.actions() if a.text() == "Note it").trigger()
    qtbot.waitUntil(lambda: bool(workflow.seen), timeout=10000)
    assert workflow.seen[0].id == "standup"


def test_a_sidebar_is_told_which_event_is_selected(view, workflow) -> None:
    assert view.sidebar_tabs.tabText(0) == "Who joined"
    event = next(e for e in view.events if e.title == "Standup")
    view.grid.select(event)
    assert workflow.shown[-1].id == "standup"
    view.grid.select(None)
    assert workflow.shown[-1] is None

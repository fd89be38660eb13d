"""The calendar view with the real Zoom meetings plugin, against the Zoom and TestMail emulators: "Add Zoom
meeting" in the editor, then cancel (the meeting is deleted again) or save (it is kept, moved to the time
saved); a new title or repeat in the editor reaches the meeting; dragging an event that has a meeting moves
the meeting, Undo moves it back, and a move the calendar refuses leaves the meeting where it was. The view
knows nothing of Zoom: the host's write path does this."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
from calendar_support import at, screenshot
from calendar_view.grid import HOUR_HEIGHT
from PyQt6.QtTest import QTest

from host.auth import headless_browser
from host.model.calendar import Event
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from host.ui.qt import QApplication, QMessageBox, QPoint, Qt, QTimer

pytest.importorskip("zoom_meetings")
from zoom_meetings.plugin import ZoomMeetingsPlugin
from zoom_meetings.provider import ZoomConferencing
from zoom_meetings.scheduling import meeting_request, with_meeting
from zoom_workplace.emulator.app import ZoomEmulator
from zoom_workplace.session import open_client, sign_in

ALEX = "alex.morgan@example.com"
ZOOM_TIME = "%Y-%m-%dT%H:%M:%SZ"
ADD_MEETING = "zoom.add-meeting"


@pytest.fixture
def zoom() -> ZoomEmulator:
    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_secrets(zoom: ZoomEmulator) -> Iterator[MemorySecretStore]:
    """Alex signed in to the Zoom emulator (the Zoom sign-in's own store)."""
    secrets = MemorySecretStore()
    with ServerThread(zoom, name="zoom") as server:
        signing_in = sign_in(
            secrets, sandbox_url=server.url, open_browser=headless_browser, login_hint=ALEX, timeout=20
        )
        asyncio.run(signing_in)
        yield secrets


@pytest.fixture
def meetings_plugin(zoom_secrets: MemorySecretStore) -> ZoomMeetingsPlugin:
    return ZoomMeetingsPlugin(connect=lambda host: open_client(zoom_secrets, host))


@pytest.fixture
def extra_plugins(meetings_plugin: ZoomMeetingsPlugin) -> tuple[object, ...]:
    return (("zoomclient-zoom-meetings", meetings_plugin),)


@pytest.fixture
def host(make_host, tmp_path, extra_plugins):
    import calendar_view.plugin as calendar_view_plugin
    from testprovider import plugin as testmail_plugin

    built = make_host(testmail_plugin, calendar_view_plugin, *extra_plugins, trusted=["zoomclient-zoom-meetings"])
    built.data_dir = tmp_path / "data"
    return built


@pytest.fixture
def emulator(emulator, week: dt.date, zoom_secrets: MemorySecretStore, zoom: ZoomEmulator):
    """The seeded week, plus "Zoom sync" on Tuesday 14:00 with a Zoom meeting made for it in Zoom."""
    tuesday = week + dt.timedelta(days=1)
    event = Event("zoom-sync", "primary", "Zoom sync", at(tuesday, 14), at(tuesday, 14, 30), time_zone="Europe/Berlin")
    provider = ZoomConferencing(lambda: open_client(zoom_secrets))
    meeting = asyncio.run(provider.create_meeting(meeting_request(event, None)))
    emulator.state.create_event(with_meeting(event, meeting))
    zoom.log.clear()
    return emulator


def server_event(emulator, event_id: str) -> Event | None:
    with emulator.state.lock:
        return emulator.state.events.get(event_id)


def hit(board, title: str):
    return next((rect, event) for rect, event in board._hits if event.title == title)


def drag(view, title: str, hours: int) -> None:
    grid = view.grid
    view.scroll.ensureVisible(0, 15 * HOUR_HEIGHT, 0, 300)
    rect, _ = hit(grid, title)
    press = QPoint(int(rect.center().x()), int(rect.top() + 5))
    drop = press + QPoint(0, hours * HOUR_HEIGHT)
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(grid, press + QPoint(0, 20))
    QTest.mouseMove(grid, drop)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)


def add_meeting_in(editor, qtbot, zoom) -> dict:
    qtbot.mouseClick(editor.action_buttons[ADD_MEETING], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.location.text().startswith("https://zoom.us/j/"), timeout=10000)
    (meeting,) = [m for m in zoom.state.meetings.values() if m["topic"] == editor.title.text()]
    return meeting


def test_cancelling_the_editor_after_adding_a_meeting_deletes_it(view, qtbot, zoom, emulator, week) -> None:
    editor = view.new_event(at(week + dt.timedelta(days=3), 15))
    editor.title.setText("Partner kick-off")
    editor.add_attendee("Ana Müller <ana.mueller@example.de>")
    meeting = add_meeting_in(editor, qtbot, zoom)
    assert str(meeting["id"]).replace(" ", "") in editor.description.toPlainText().replace(" ", "")
    assert not editor.action_buttons[ADD_MEETING].isVisibleTo(editor), "one meeting an event"
    qtbot.waitUntil(lambda: len(editor.availability.rows) == 2, timeout=10000)
    editor.resize(820, 780)
    screenshot(editor, "event-editor-zoom-meeting")
    qtbot.mouseClick(editor.buttons.button(editor.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    # The request log takes an answer once it is sent: wait for the entry, not only for the state.
    qtbot.waitUntil(lambda: bool(zoom.log.find("DELETE", f"/v2/meetings/{meeting['id']}")), timeout=10000)
    assert meeting["id"] in zoom.state.deleted_meetings
    assert not any(e.title == "Partner kick-off" for e in emulator.state.events.values()), "nothing was saved"


def test_closing_the_editor_window_counts_as_cancel(view, qtbot, zoom, week) -> None:
    editor = view.new_event(at(week + dt.timedelta(days=3), 16))
    editor.title.setText("Closed unsaved")
    meeting = add_meeting_in(editor, qtbot, zoom)
    editor.close()
    qtbot.waitUntil(lambda: meeting["id"] in zoom.state.deleted_meetings, timeout=10000)


def test_saving_keeps_the_meeting_at_the_time_saved(view, qtbot, zoom, emulator, week) -> None:
    start = at(week + dt.timedelta(days=3), 15)
    editor = view.new_event(start)
    editor.title.setText("Roadmap with Zoom")
    meeting = add_meeting_in(editor, qtbot, zoom)
    editor.start.setDateTime(editor.start.dateTime().addSecs(3600))  # moved in the editor after adding it
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def saved() -> Event | None:
        with emulator.state.lock:
            return next((e for e in emulator.state.events.values() if e.title == "Roadmap with Zoom"), None)

    qtbot.waitUntil(lambda: saved() is not None, timeout=10000)
    later = start + dt.timedelta(hours=1)
    assert saved().start == later and saved().online_meeting.meeting_id == str(meeting["id"])
    assert meeting["start_time"] == later.astimezone(dt.UTC).strftime(ZOOM_TIME) and meeting["duration"] == 60
    assert meeting["id"] in zoom.state.meetings and not zoom.state.deleted_meetings


def test_a_new_title_and_repeat_in_the_editor_reach_the_meeting(view, qtbot, zoom, emulator) -> None:
    (meeting,) = zoom.state.meetings.values()
    editor = view.open_event(hit(view.grid, "Zoom sync")[1])
    assert ADD_MEETING not in editor.action_buttons, "it has its meeting"
    editor.title.setText("Zoom sync (weekly)")
    editor.repeat.setCurrentIndex(editor.repeat.findData("WEEKLY"))
    editor.ends.setCurrentIndex(2)
    editor.count.setValue(6)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(zoom.log.find("PATCH", f"/v2/meetings/{meeting['id']}")), timeout=10000)
    assert meeting["topic"] == "Zoom sync (weekly)" and meeting["type"] == 8
    assert meeting["recurrence"]["type"] == 2 and meeting["recurrence"]["end_times"] == 6
    qtbot.waitUntil(lambda: server_event(emulator, "zoom-sync").title == "Zoom sync (weekly)", timeout=10000)


def test_dragging_an_event_moves_its_meeting_and_undo_moves_it_back(view, window, qtbot, zoom, emulator) -> None:
    before = server_event(emulator, "zoom-sync")
    (meeting,) = zoom.state.meetings.values()
    kept = meeting["start_time"]
    drag(view, "Zoom sync", 2)
    moved = before.start + dt.timedelta(hours=2)
    qtbot.waitUntil(lambda: server_event(emulator, "zoom-sync").start == moved, timeout=10000)
    qtbot.waitUntil(lambda: bool(zoom.log.find("PATCH", f"/v2/meetings/{meeting['id']}")), timeout=10000)
    (patch,) = zoom.log.find("PATCH", f"/v2/meetings/{meeting['id']}")
    assert patch.json["start_time"] == moved.astimezone(dt.UTC).strftime(ZOOM_TIME)
    assert meeting["start_time"] == patch.json["start_time"]
    bar = window.message_bar
    qtbot.waitUntil(lambda: "Moved “Zoom sync”" in bar.message(), timeout=10000)
    bar.action_button.click()
    qtbot.waitUntil(lambda: meeting["start_time"] == kept, timeout=10000)
    qtbot.waitUntil(lambda: server_event(emulator, "zoom-sync").start == before.start, timeout=10000)


def test_a_move_the_calendar_refuses_leaves_the_meeting_where_it_was(view, window, qtbot, zoom, emulator) -> None:
    (meeting,) = zoom.state.meetings.values()
    kept = meeting["start_time"]
    emulator.faults.queue_status(503, path="/api/calendars/primary/events/zoom-sync", method="PUT")
    drag(view, "Zoom sync", 1)
    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.is_error, timeout=10000)
    qtbot.waitUntil(lambda: len(zoom.log.find("PATCH", f"/v2/meetings/{meeting['id']}")) == 2, timeout=10000)
    there, back = zoom.log.find("PATCH", f"/v2/meetings/{meeting['id']}")
    assert there.json["start_time"] != kept and back.json["start_time"] == kept
    assert meeting["start_time"] == kept
    assert server_event(emulator, "zoom-sync").start.astimezone(dt.UTC).strftime(ZOOM_TIME) == kept


def test_deleting_the_event_deletes_its_meeting(view, qtbot, zoom, emulator) -> None:
    (meeting_id,) = zoom.state.meetings
    _, event = hit(view.grid, "Zoom sync")

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == "Delete").click()

    QTimer.singleShot(50, answer)
    view.delete(event)
    qtbot.waitUntil(lambda: meeting_id in zoom.state.deleted_meetings, timeout=10000)
    assert server_event(emulator, "zoom-sync") is None

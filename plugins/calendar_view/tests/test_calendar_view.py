"""The calendar view against the TestMail emulator: what the user sees and what reaches the server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from calendar_support import LATER_WEEKS, ZONE, at, screenshot
from calendar_view.days import Mode
from calendar_view.editor import ZOOM_HOST
from calendar_view.grid import HOUR_HEIGHT
from PyQt6.QtTest import QTest

from host.model.calendar import ResponseStatus
from host.ui.qt import QApplication, QMessageBox, QPoint, Qt, QTimer


def hit(board, title: str):
    return next((rect, event) for rect, event in board._hits if event.title == title)


def titles(board) -> set[str]:
    return {event.title for _, event in board._hits}


def server_event(emulator, event_id: str):
    with emulator.state.lock:
        return emulator.state.events.get(event_id)


def test_the_week_shows_each_seeded_event_in_its_slot(view, qtbot, week) -> None:
    grid, header = view.grid, view.header
    assert view.days()[0] == week and len(view.days()) == 7
    column = grid.column_width()

    standup, _ = hit(grid, "Standup")  # Tuesday 09:00–09:30
    assert standup.top() == pytest.approx(9 * HOUR_HEIGHT + 1, abs=1)
    assert grid.gutter + column <= standup.left() < grid.gutter + 2 * column

    # 09:00 in New York is 15:00 in Berlin (both on winter time in November, or both on summer time).
    ny, event = hit(grid, "New York call")
    offset = (event.start.astimezone(ZONE).utcoffset() - event.start.utcoffset()).total_seconds() / 3600
    assert ny.top() == pytest.approx((9 + offset) * HOUR_HEIGHT + 1, abs=1)
    assert grid.gutter + 3 * column <= ny.left() < grid.gutter + 4 * column

    # Two overlapping events share Wednesday's column side by side, each in its calendar's colour.
    a, event_a = hit(grid, "Overlap A")
    b, event_b = hit(grid, "Overlap B")
    assert a.width() < column / 2 and b.width() < column / 2 and not a.intersects(b)
    assert grid.fill_of(event_a) != grid.fill_of(event_b)

    # The all-day event is in the header's all-day row, over Friday, and not in the time grid.
    assert "Offsite" in titles(header) and "Offsite" not in titles(grid)
    offsite, _ = hit(header, "Offsite")
    assert grid.gutter + 4 * column <= offsite.left() < grid.gutter + 5 * column
    assert "Standup" in grid.accessibleDescription() or "events shown" in grid.accessibleDescription()
    screenshot(view.window(), "week-view")


def test_the_month_view_lists_the_events(view, qtbot) -> None:
    view.set_mode(Mode.MONTH)
    qtbot.waitUntil(lambda: view.loading == 0)
    assert view.pages.currentWidget() is view.month
    assert {"Standup", "Overlap A", "Offsite", "New York call"} <= titles(view.month)
    assert view.range_label.text() == view.anchor.strftime("%B %Y")
    screenshot(view.window(), "month-view")
    view.set_mode(Mode.WEEK)


def test_moving_far_ahead_loads_that_range_on_demand_without_waiting(view, qtbot, week) -> None:
    cache = view.context.session.calendars
    far = week + dt.timedelta(weeks=LATER_WEEKS)
    assert not cache.loaded("primary", at(far, 0), at(far + dt.timedelta(days=7), 0))
    view.go_to(far)
    # go_to returned at once: the new days are shown, their events are on their way.
    assert view.days()[0] == far and view.loading >= 1
    qtbot.waitUntil(lambda: "Far ahead" in titles(view.grid), timeout=10000)
    assert cache.loaded("primary", at(far, 0), at(far + dt.timedelta(days=7), 0))
    view.page(-1)
    assert view.days()[0] == far - dt.timedelta(weeks=1)


def test_unchecking_a_calendar_hides_its_events(view, qtbot) -> None:
    assert "Overlap B" in titles(view.grid) and "Offsite" in titles(view.header)
    view.calendar_list.set_shown("team", False)
    assert "Overlap B" not in titles(view.grid) and "Offsite" not in titles(view.header)
    assert "Overlap A" in titles(view.grid)
    # Alone now, Overlap A takes the whole column.
    rect, _ = hit(view.grid, "Overlap A")
    assert rect.width() > view.grid.column_width() * 0.9
    view.calendar_list.set_shown("team", True)
    assert "Overlap B" in titles(view.grid)


def test_the_calendar_list_groups_calendars_by_kind_with_colours(view) -> None:
    tree = view.calendar_list
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == ["My calendars", "Shared with me", "Rooms and resources", "Calendars I manage"]
    item = tree.item_for("delegated-lena")
    assert item.checkState(0) == Qt.CheckState.Checked and not item.icon(0).isNull()


def test_an_event_made_in_the_editor_reaches_the_server(view, qtbot, emulator, week) -> None:
    start = at(week + dt.timedelta(days=1), 13)
    editor = view.new_event(start)
    editor.title.setText("Roadmap chat")
    editor.location.setText("Berlin 4.01")
    editor.add_attendee("Ana Müller <ana.mueller@example.de>")
    editor.repeat.setCurrentIndex(editor.repeat.findData("WEEKLY"))
    editor.ends.setCurrentIndex(2)
    editor.count.setValue(3)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with emulator.state.lock:
            return next((e for e in emulator.state.events.values() if e.title == "Roadmap chat"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    event = stored()
    assert event.start == start and event.end == start + dt.timedelta(hours=1)
    assert event.location == "Berlin 4.01"
    assert "ana.mueller@example.de" in {a.address.email for a in event.attendees}
    assert event.recurrence[0] == "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3"
    qtbot.waitUntil(lambda: "Roadmap chat" in titles(view.grid), timeout=10000)


def test_a_delegators_calendar_asks_who_hosts_the_zoom_meeting(view, qtbot) -> None:
    editor = view.new_event()
    assert editor.calendar.findData("shared-ana") < 0  # read-only calendars are not offered
    assert not editor.delegate_box.isVisibleTo(editor)
    editor.calendar.setCurrentIndex(editor.calendar.findData("delegated-lena"))
    assert editor.delegate_box.isVisibleTo(editor)
    assert "Lena Schmidt" in editor.as_owner.text()
    editor.title.setText("Board prep")
    assert editor.edited_event().provider_data[ZOOM_HOST] == "owner"
    editor.as_me.setChecked(True)
    assert editor.edited_event().provider_data[ZOOM_HOST] == "me"
    editor.repeat.setCurrentIndex(editor.repeat.findData("WEEKLY"))
    editor.ends.setCurrentIndex(1)
    # Scheduling in Lena's calendar takes Lena's time: her free/busy is the first row.
    qtbot.waitUntil(lambda: bool(editor.availability.rows), timeout=10000)
    assert editor.availability.rows[0].label == "Lena Schmidt (calendar owner)"
    editor.resize(820, 760)
    screenshot(editor, "event-editor-delegated")
    editor.reject()


def test_dragging_an_event_moves_it_on_the_server_with_an_undo(view, window, qtbot, emulator) -> None:
    grid = view.grid
    before = server_event(emulator, "standup")
    view.scroll.ensureVisible(0, 10 * HOUR_HEIGHT, 0, 300)
    rect, _ = hit(grid, "Standup")
    press = QPoint(int(rect.center().x()), int(rect.top() + 5))
    drop = press + QPoint(0, 2 * HOUR_HEIGHT + 5)  # two hours down, a few pixels off: snaps to 15 minutes
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(grid, press + QPoint(0, 20))
    QTest.mouseMove(grid, drop)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    moved = before.start + dt.timedelta(hours=2)
    qtbot.waitUntil(lambda: server_event(emulator, "standup").start == moved, timeout=10000)
    assert server_event(emulator, "standup").end == before.end + dt.timedelta(hours=2)
    bar = window.message_bar
    qtbot.waitUntil(lambda: "Moved “Standup”" in bar.message())
    assert bar.action_button.text() == "Undo"
    bar.action_button.click()
    qtbot.waitUntil(lambda: server_event(emulator, "standup").start == before.start, timeout=10000)


def test_dragging_the_bottom_edge_resizes(view, qtbot, emulator) -> None:
    grid = view.grid
    rect, _ = hit(grid, "Overlap A")
    press = QPoint(int(rect.center().x()), int(rect.bottom() - 2))
    drop = press + QPoint(0, HOUR_HEIGHT // 2)
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(grid, press + QPoint(0, 10))
    QTest.mouseMove(grid, drop)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    before = server_event(emulator, "overlap-a")
    qtbot.waitUntil(lambda: server_event(emulator, "overlap-a").end - before.start == dt.timedelta(minutes=90))


def test_answering_an_invitation_changes_the_response_on_the_server(view, qtbot, emulator) -> None:
    _, invite = hit(view.grid, "Budget review")
    menu = view.event_menu(invite)
    texts = [a.text() for a in menu.actions()]
    assert {"Accept", "Tentative", "Decline"} <= set(texts)
    next(a for a in menu.actions() if a.text() == "Tentative").trigger()

    def mine():
        event = server_event(emulator, "invite")
        return next(a.response for a in event.attendees if a.address.email == emulator.state.owner.email)

    qtbot.waitUntil(lambda: mine() is ResponseStatus.TENTATIVE, timeout=10000)
    qtbot.waitUntil(lambda: hit(view.grid, "Budget review")[1].my_response is ResponseStatus.TENTATIVE)
    # The organiser's own event offers no answers.
    _, standup = hit(view.grid, "Standup")
    assert "Accept" not in [a.text() for a in view.event_menu(standup).actions()]


def test_the_availability_grid_shows_busy_time_and_suggests_a_free_slot(view, qtbot, week) -> None:
    tuesday = week + dt.timedelta(days=1)
    view.now = lambda: at(tuesday, 9, 20)  # a suggestion is never in the past
    editor = view.new_event(at(tuesday, 9))
    editor.title.setText("Clashes with the standup")
    editor.add_attendee("ana.mueller@example.de")
    editor.ask_free_busy()
    qtbot.waitUntil(lambda: len(editor.availability.rows) == 2, timeout=10000)
    rows = editor.availability.rows
    you = next(i for i, row in enumerate(rows) if row.label == "You")
    assert any(index == you for index, _ in editor.availability.busy_rects())
    assert "busy 09:00–09:30" in editor.availability.accessibleDescription()
    assert editor.suggested is not None
    slot_start, slot_end = editor.suggested
    assert slot_start >= at(tuesday, 9, 30) and slot_end - slot_start == dt.timedelta(hours=1)
    assert not any(a < slot_end and b > slot_start for row in rows for a, b in row.busy)
    assert editor.use_suggested.isEnabled()
    editor.show()
    editor.resize(820, 760)
    screenshot(editor, "event-editor")
    editor.apply_suggestion()
    assert editor.times() == (slot_start, slot_end)
    assert editor.availability_note.text() == "Everyone is free then."
    editor.reject()


def test_deleting_asks_first_then_removes_it_from_the_server(view, qtbot, emulator) -> None:
    _, event = hit(view.grid, "Overlap A")
    view.grid.select(event)

    def answer(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(50, lambda: answer("Cancel"))
    view.delete_selected()
    assert server_event(emulator, "overlap-a") is not None
    QTimer.singleShot(50, lambda: answer("Delete"))
    view.delete_selected()
    qtbot.waitUntil(lambda: server_event(emulator, "overlap-a") is None, timeout=10000)
    qtbot.waitUntil(lambda: "Overlap A" not in titles(view.grid))


def test_keys_move_through_time_and_switch_views(view, qtbot, window, week) -> None:
    window.activateWindow()
    view.grid.setFocus()
    qtbot.waitUntil(lambda: view.grid.hasFocus())
    QTest.keyClick(view.grid, Qt.Key.Key_J)
    assert view.days()[0] == week + dt.timedelta(weeks=1)
    QTest.keyClick(view.grid, Qt.Key.Key_Left)
    assert view.days()[0] == week
    QTest.keyClick(view.grid, Qt.Key.Key_X)
    assert view.mode is Mode.WORK_WEEK and view.days() == [week + dt.timedelta(days=n) for n in range(5)]
    QTest.keyClick(view.grid, Qt.Key.Key_D)
    assert view.mode is Mode.DAY
    qtbot.waitUntil(lambda: view.loading == 0)
    screenshot(view.window(), "day-view")
    QTest.keyClick(view.month if view.mode is Mode.MONTH else view.grid, Qt.Key.Key_M)
    assert view.mode is Mode.MONTH
    QTest.keyClick(view.month, Qt.Key.Key_W)
    assert view.mode is Mode.WEEK
    QTest.keyClick(view.grid, Qt.Key.Key_T)
    assert view.anchor == view.today()


def test_no_event_title_is_written_anywhere(window, view, qtbot, host, layout_file, emulator) -> None:
    editor = view.open_event(hit(view.grid, "Standup")[1])
    editor.reject()
    view.set_mode(Mode.MONTH)
    window.close()
    with emulator.state.lock:
        secrets = {e.title for e in emulator.state.events.values()} | {"Standup", "Budget review"}
    files = [p for p in Path(host.data_dir).rglob("*") if p.is_file()] + [layout_file]
    assert layout_file.exists()
    for path in files:
        data = path.read_bytes()
        for title in secrets:
            assert title.encode() not in data, f"{title!r} written to {path}"


def test_an_event_of_a_read_only_calendar_opens_read_only_and_can_be_answered(view, qtbot, emulator) -> None:
    rect, event = hit(view.grid, "Ana's planning")
    assert not view.can_edit(event)
    # A drag does nothing to it.
    press = rect.center().toPoint()
    drop = press + QPoint(0, HOUR_HEIGHT)
    QTest.mousePress(view.grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(view.grid, drop)
    QTest.mouseRelease(view.grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    editor = view.open_event(event)
    assert editor.read_only and not editor.title.isEnabled() and editor.save_button.isHidden()
    assert "read only" in editor.problem.text()
    accept = editor.response_buttons[ResponseStatus.ACCEPTED]
    assert accept.isVisibleTo(editor)
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)

    def mine():
        stored = server_event(emulator, "ana-focus")
        return next(a.response for a in stored.attendees if a.address.email == emulator.state.owner.email)

    qtbot.waitUntil(lambda: mine() is ResponseStatus.ACCEPTED, timeout=10000)
    assert server_event(emulator, "ana-focus").start == event.start


def test_signing_out_empties_the_calendar(view, window, qtbot) -> None:
    window.sign_out()
    qtbot.waitUntil(lambda: window.session is None, timeout=10000)
    assert view.events == [] and view.calendar_list.topLevelItemCount() == 0
    assert view.grid._hits == [] and view.status.text() == "Not signed in"


def test_an_all_day_event_from_the_editor_covers_whole_days(view, qtbot, emulator, week) -> None:
    editor = view.new_event(at(week + dt.timedelta(days=5), 9))
    editor.title.setText("Hiking")
    editor.all_day.setChecked(True)
    editor.end.setDateTime(editor.start.dateTime().addDays(1))  # Saturday and Sunday
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with emulator.state.lock:
            return next((e for e in emulator.state.events.values() if e.title == "Hiking"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    saturday = week + dt.timedelta(days=5)
    assert stored().all_day
    assert stored().start.astimezone(ZONE) == at(saturday, 0)
    assert stored().end.astimezone(ZONE) == at(saturday + dt.timedelta(days=2), 0)
    qtbot.waitUntil(lambda: "Hiking" in titles(view.header), timeout=10000)
    rect, _ = hit(view.header, "Hiking")
    assert rect.width() > 1.5 * view.grid.column_width()  # over both days


def test_moving_an_event_to_another_calendar_makes_it_there(view, qtbot, emulator) -> None:
    editor = view.open_event(hit(view.grid, "Overlap A")[1])
    editor.calendar.setCurrentIndex(editor.calendar.findData("room-berlin-4"))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def moved():
        with emulator.state.lock:
            return [e for e in emulator.state.events.values() if e.title == "Overlap A"]

    qtbot.waitUntil(lambda: server_event(emulator, "overlap-a") is None, timeout=10000)
    assert [e.calendar_id for e in moved()] == ["room-berlin-4"]


def test_saving_an_unchanged_event_sends_nothing(view, qtbot, emulator) -> None:
    before = server_event(emulator, "standup")
    editor = view.open_event(hit(view.grid, "Standup")[1])
    assert editor.edited_event() == editor.original  # every field reads back as it came
    seq = emulator.state.event_token()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    view.reload()
    qtbot.waitUntil(lambda: view.loading == 0)
    assert emulator.state.event_token() == seq
    assert server_event(emulator, "standup").updated == before.updated


def test_the_grids_follow_a_dark_palette(view, qtbot) -> None:
    from host.ui.qt import QColor, QPalette

    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#171717"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
        (QPalette.ColorRole.Mid, "#5f6368"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
    ):
        dark.setColor(role, QColor(colour))
    window = view.window()
    window.setPalette(dark)
    image = view.grid.grab().toImage()
    # An empty half hour early in the morning of a day that is not today (today's column is tinted): the
    # grid's background is the palette's Base.
    column = next(index for index, day in enumerate(view.days()) if day != view.today())
    point = QPoint(int(view.grid.gutter + (column + 0.5) * view.grid.column_width()), int(HOUR_HEIGHT * 2.25))
    assert image.pixelColor(point).name() == "#171717"
    screenshot(window, "week-view-dark")
    window.setPalette(QPalette())


def test_enter_opens_the_selected_event_and_n_a_new_one(view, qtbot, window) -> None:
    window.activateWindow()
    view.grid.setFocus()
    qtbot.waitUntil(lambda: view.grid.hasFocus())
    QTest.keyClick(view.grid, Qt.Key.Key_Down)  # the first event of the week
    first = min(view.grid.events, key=lambda e: (e.start, e.end, e.title))
    assert view.grid.selected_event() == first
    assert first.title in view.grid.accessibleDescription()
    QTest.keyClick(view.grid, Qt.Key.Key_Return)
    assert view.editor is not None and view.editor.title.text() == first.title
    view.editor.reject()
    view.grid.setFocus()
    QTest.keyClick(view.grid, Qt.Key.Key_N)
    assert view.editor is not None and view.editor.is_new and view.editor.windowTitle() == "New event"
    view.editor.reject()


def test_a_change_on_the_server_shows_after_a_refresh(view, qtbot, emulator) -> None:
    with emulator.state.lock:
        standup = emulator.state.events["standup"]
    emulator.state.update_event(attrs.evolve(standup, title="Standup (moved online)"))
    view.refresh()
    qtbot.waitUntil(lambda: "Standup (moved online)" in titles(view.grid), timeout=10000)
    assert "Standup" not in titles(view.grid)


def test_an_event_set_in_another_zone_is_saved_there_and_shown_in_local_time(view, qtbot, emulator, week) -> None:
    thursday = week + dt.timedelta(days=3)
    editor = view.new_event(at(thursday, 8))
    editor.title.setText("Call with Boston")
    editor.zone.setCurrentText("America/New_York")  # the wall time stays 08:00, now New York's
    assert editor.local_time.text().startswith("Your time: Thu 14:00")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    def stored():
        with emulator.state.lock:
            return next((e for e in emulator.state.events.values() if e.title == "Call with Boston"), None)

    qtbot.waitUntil(lambda: stored() is not None, timeout=10000)
    assert stored().time_zone == "America/New_York"
    assert stored().start == dt.datetime.combine(thursday, dt.time(8), ZoneInfo("America/New_York"))
    qtbot.waitUntil(lambda: "Call with Boston" in titles(view.grid), timeout=10000)
    rect, _ = hit(view.grid, "Call with Boston")
    offset = at(thursday, 8).utcoffset() - stored().start.utcoffset()
    assert rect.top() == pytest.approx((8 + offset.total_seconds() / 3600) * HOUR_HEIGHT + 1, abs=1)


def test_dropping_an_event_on_another_day_of_the_month_moves_it(view, qtbot, emulator) -> None:
    view.set_mode(Mode.MONTH)
    qtbot.waitUntil(lambda: "Standup" in titles(view.month))
    before = server_event(emulator, "standup")
    rect, _ = hit(view.month, "Standup")
    press = rect.center().toPoint()
    drop = press + QPoint(int(2 * view.month.width() / 7), 0)  # two days later, same week
    QTest.mousePress(view.month, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(view.month, drop)
    QTest.mouseRelease(view.month, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    qtbot.waitUntil(
        lambda: server_event(emulator, "standup").start == before.start + dt.timedelta(days=2), timeout=10000
    )


def test_the_editor_refuses_an_event_that_ends_before_it_starts(view, qtbot, emulator, week) -> None:
    editor = view.new_event(at(week + dt.timedelta(days=1), 15))
    editor.title.setText("Backwards")
    editor.end.setDateTime(editor.start.dateTime().addSecs(-3600))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and "ends before it starts" in editor.problem.text()
    editor.title.clear()
    editor.end.setDateTime(editor.start.dateTime().addSecs(1800))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and editor.problem.text() == "Give the event a title."
    editor.reject()


def test_a_change_the_server_refuses_is_shown_and_undone_on_screen(view, window, qtbot, emulator) -> None:
    _, event = hit(view.grid, "Ana's planning")  # read only: the server says no
    view.change_times(
        event, attrs.evolve(event, start=event.start + dt.timedelta(hours=3), end=event.end + dt.timedelta(hours=3))
    )
    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.is_error, timeout=10000)
    assert "read-only" in bar.message()
    qtbot.waitUntil(lambda: view.loading == 0)
    _, shown = hit(view.grid, "Ana's planning")
    assert shown.start == event.start and server_event(emulator, "ana-focus").start == event.start


def test_a_week_can_start_on_sunday(view, qtbot, week) -> None:
    view.set_first_weekday(6)
    assert view.days()[0] == week - dt.timedelta(days=1) and len(view.days()) == 7
    assert view.mini.firstDayOfWeek() == Qt.DayOfWeek.Sunday
    qtbot.waitUntil(lambda: view.loading == 0)
    rect, _ = hit(view.grid, "Standup")  # Tuesday is the third column now
    column = view.grid.column_width()
    assert view.grid.gutter + 2 * column <= rect.left() < view.grid.gutter + 3 * column
    view.set_mode(Mode.MONTH)
    assert view.days()[0].weekday() == 6


def test_sweeping_over_empty_time_opens_a_new_event_for_it(view, qtbot, week) -> None:
    grid = view.grid
    column = grid.column_width()
    friday_x = int(grid.gutter + 4.5 * column)
    press = QPoint(friday_x, int(14 * HOUR_HEIGHT + 3))
    drop = QPoint(friday_x, int(15.5 * HOUR_HEIGHT + 2))
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(grid, drop)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    friday = week + dt.timedelta(days=4)
    assert view.editor is not None and view.editor.is_new
    assert view.editor.times() == (at(friday, 14), at(friday, 15, 30))
    view.editor.reject()


def test_an_all_day_event_dragged_along_the_header_moves_by_whole_days(view, qtbot, emulator) -> None:
    header = view.header
    before = server_event(emulator, "offsite")
    rect, _ = hit(header, "Offsite")  # Friday
    press = rect.center().toPoint()
    drop = press + QPoint(int(view.grid.column_width()), 0)  # Saturday
    QTest.mousePress(header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(header, drop)
    QTest.mouseRelease(header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    qtbot.waitUntil(lambda: server_event(emulator, "offsite").start == before.start + dt.timedelta(days=1))
    after = server_event(emulator, "offsite")
    assert after.all_day and after.end - after.start == before.end - before.start

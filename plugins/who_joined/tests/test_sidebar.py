"""The Who joined sidebar beside the calendar, against the Zoom emulator: not started, live, ended; read in
the background and refreshed while shown; the states that have nothing to list; the calendar without it."""

from __future__ import annotations

import datetime as dt

import calendar_view.plugin as calendar_view_plugin
from testprovider import plugin as testmail_plugin
from who_joined_support import EVENT_ID, PLAIN_EVENT_ID, UUID, rows, screenshot, sidebar

from host.ui.qt import QTimer
from who_joined.view import IDLE, NO_MEETING, duration_text

LENA, ANA = "lena.schmidt@example.com", "ana.mueller@example.de"


def select(window, event_id: str):
    view = window.main_views["calendar"]
    event = next(e for e in view.events if e.id == event_id)
    view.grid.select(event)
    return event


def status(panel) -> str:
    return panel.status.text()


def meeting_requests(zoom, meeting_id: int) -> int:
    return len(zoom.log.find("GET", f"/v2/meetings/{meeting_id}"))


def test_live_participants_then_past_ones_after_the_meeting_ends(qtbot, window, zoom, meeting) -> None:
    panel = sidebar(window)
    assert status(panel) == IDLE
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel) == "Not started yet.", timeout=10000)
    assert rows(panel) == []

    meeting_id = meeting["id"]
    assert zoom.state.start_meeting(meeting_id, uuid=UUID) == UUID
    now = dt.datetime.now(dt.UTC)
    zoom.state.join_meeting(meeting_id, "Lena Schmidt", LENA, at=now - dt.timedelta(minutes=9))
    zoom.state.join_meeting(meeting_id, "Ana Müller", ANA, at=now - dt.timedelta(minutes=7, seconds=30))
    zoom.state.join_meeting(meeting_id, "Dial-in guest", at=now - dt.timedelta(minutes=3, seconds=10))
    qtbot.waitUntil(lambda: status(panel) == "Live now · 3 participants in the meeting", timeout=10000)
    live = rows(panel)
    assert [r[0] for r in live] == [f"Lena Schmidt\n{LENA}", f"Ana Müller\n{ANA}", "Dial-in guest\nguest, no email"]
    assert [r[2] for r in live] == ["—"] * 3, "nobody has left"
    assert [r[3] for r in live] == ["9 min", "7 min", "3 min"], "time in the meeting so far"
    assert zoom.log.find("GET", f"/metrics/meetings/{meeting_id}/participants")[-1].query_params["type"] == ["live"]
    qtbot.waitUntil(lambda: panel.updated.text().startswith("Updated"), timeout=5000)
    screenshot(window, "who_joined_live_beside_the_calendar")

    zoom.state.end_meeting(meeting_id)
    qtbot.waitUntil(lambda: status(panel) == "Ended · 3 participants joined", timeout=10000)
    past = rows(panel)
    assert [r[0].split("\n")[0] for r in past] == ["Lena Schmidt", "Ana Müller", "Dial-in guest"]
    assert all(r[2] != "—" for r in past), "each has left"
    # "/wj4Kq//Xz9Tw==" went out encoded twice: the server, decoding once, saw it encoded once.
    (read, *_) = zoom.log.find("GET", "/participants")[-1:]
    assert read.path == "/v2/past_meetings/%2Fwj4Kq%2F%2FXz9Tw%3D%3D/participants"
    screenshot(panel, "who_joined_ended")


def test_reading_runs_in_the_background_and_never_blocks_the_window(qtbot, window, zoom, meeting) -> None:
    meeting_id = meeting["id"]
    zoom.state.start_meeting(meeting_id)
    zoom.state.join_meeting(meeting_id, "Lena Schmidt", LENA)
    panel = sidebar(window)
    zoom.faults.queue_latency(1.5, path=f"/metrics/meetings/{meeting_id}/participants")
    select(window, EVENT_ID)  # starts the first read
    assert panel.refreshing and panel.updated.text() == "Refreshing…"
    assert not zoom.log.find("GET", "/metrics/"), "the slow answer has not come yet: show_item did not wait for it"
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)
    assert panel.refreshing, "the window ran its timers while the read was in flight"
    timer.stop()
    qtbot.waitUntil(lambda: status(panel) == "Live now · 1 participant in the meeting", timeout=10000)
    assert rows(panel)[0][0] == f"Lena Schmidt\n{LENA}"


def test_it_refreshes_while_shown_and_stops_when_hidden_or_another_item_is_in_front(
    qtbot, window, zoom, meeting
) -> None:
    meeting_id = meeting["id"]
    panel = sidebar(window)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: meeting_requests(zoom, meeting_id) >= 3, timeout=10000)  # every half second

    panel.hide()
    qtbot.waitUntil(lambda: not panel.refreshing, timeout=5000)
    hidden_at = meeting_requests(zoom, meeting_id)
    qtbot.wait(1500)
    assert meeting_requests(zoom, meeting_id) == hidden_at, "no refresh while hidden"

    panel.show()
    qtbot.waitUntil(lambda: meeting_requests(zoom, meeting_id) >= hidden_at + 2, timeout=10000)

    select(window, PLAIN_EVENT_ID)
    assert status(panel) == NO_MEETING and rows(panel) == []
    screenshot(panel, "who_joined_no_meeting")
    other_at = meeting_requests(zoom, meeting_id)
    qtbot.wait(1500)
    assert meeting_requests(zoom, meeting_id) == other_at, "no refresh for an event no longer in front"
    assert status(panel) == NO_MEETING, "a late answer for the old event is dropped"

    panel.show_item(None)
    assert status(panel) == IDLE


def test_many_participants_are_read_page_by_page(qtbot, window, zoom, meeting) -> None:
    meeting_id = meeting["id"]
    zoom.state.start_meeting(meeting_id)
    for n in range(305):
        zoom.state.join_meeting(meeting_id, f"Webinar guest {n:03d}", f"guest{n:03d}@example.org")
    panel = sidebar(window)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel) == "Live now · 305 participants in the meeting", timeout=10000)
    pages = zoom.log.find("GET", f"/metrics/meetings/{meeting_id}/participants")[:2]
    assert [p.query_params.get("next_page_token") for p in pages] == [None, ["300"]]
    assert len(rows(panel)) == 305 and rows(panel)[-1][0].startswith("Webinar guest 304")
    scrollbar = panel.table.verticalScrollBar()
    scrollbar.setValue(scrollbar.maximum() // 2)
    place, reads = scrollbar.value(), len(zoom.log.find("GET", "/metrics/"))
    qtbot.waitUntil(lambda: len(zoom.log.find("GET", "/metrics/")) >= reads + 2 and not panel.refreshing, timeout=10000)
    assert place > 0 and scrollbar.value() == place, "a refresh keeps the place in the list"


def test_signed_out_of_zoom_it_says_to_sign_in(qtbot, window, secrets, meeting) -> None:
    from zoom_workplace.session import sign_out

    sign_out(secrets)
    panel = sidebar(window)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel) == "Sign in to Zoom to see who joined.", timeout=10000)
    assert "Zoom page of the settings" in panel.hint.text() and panel.hint.isVisibleTo(panel)
    assert not panel.table.isVisibleTo(panel), "nobody to list"
    screenshot(panel, "who_joined_signed_out")


def test_an_error_shows_with_its_hint_and_the_next_refresh_recovers(qtbot, window, zoom, meeting) -> None:
    panel = sidebar(window)
    zoom.faults.queue_status(503, path=f"/v2/meetings/{meeting['id']}$", count=1)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel).startswith("Zoom had a server error"), timeout=10000)
    assert panel.hint.text() == "Try again in a moment." and panel.hint.isVisibleTo(panel)
    qtbot.waitUntil(lambda: status(panel) == "Not started yet.", timeout=10000)
    assert not panel.hint.isVisibleTo(panel)


def test_a_meeting_zoom_does_not_show_the_user_says_who_can_see_it(qtbot, window, zoom, meeting) -> None:
    with zoom.state.lock:
        zoom.state.meetings[meeting["id"]]["host_email"] = "ana.mueller@example.de"  # Ana's, not Alex's
    panel = sidebar(window)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel).startswith(f"Zoom does not show you meeting {meeting['id']}"), timeout=10000)
    assert "Only the meeting's host" in panel.hint.text()
    assert not zoom.log.find("GET", "/participants"), "nothing more was asked"


def test_a_message_or_a_change_of_account_leaves_nothing_shown(qtbot, window, meeting) -> None:
    panel = sidebar(window)
    select(window, EVENT_ID)
    qtbot.waitUntil(lambda: status(panel) == "Not started yet.", timeout=10000)
    window.context.signals.account_changed.emit(None)  # signed out: no session, no events
    assert status(panel) == IDLE and panel.event is None and not panel.timer.isActive()
    panel.show_item(object())  # what the mail view shows: a message
    assert status(panel) == IDLE


def test_without_the_plugin_the_calendar_has_no_such_sidebar(make_host, open_calendar, meeting) -> None:
    window = open_calendar(make_host(testmail_plugin, calendar_view_plugin))
    view = window.main_views["calendar"]
    assert not view.sidebars
    event = select(window, EVENT_ID)
    assert view.selected_event() == event and not window.message_bar.is_error


def test_times_in_the_meeting_read_as_people_say_them() -> None:
    assert [duration_text(dt.timedelta(seconds=s)) for s in (0, 40, 61, 3599, 3900, 7260)] == [
        "0 s",
        "40 s",
        "1 min",
        "59 min",
        "1 h 05 min",
        "2 h 01 min",
    ]
    assert duration_text(None) == ""

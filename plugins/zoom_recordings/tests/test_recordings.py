"""Cloud recordings from the Zoom emulator over real HTTP: a long range asked a month a call and every
page of each month, Zoom's refusal of a longer range, the details with the passcode (a UUID encoded
twice), and the event editor's "Attach cloud recording" action end to end into the calendar emulator."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest
from testprovider import plugin as testmail_plugin

from host.actions import ActionContext, ActionPlace
from host.model.calendar import Event
from host.plugins import PluginStatus
from host.testing import ScriptedActionUI
from zoom_recordings.recordings import (
    NoRecordings,
    list_recordings,
    month_windows,
    months_later,
    recording_details,
)
from zoom_workplace.client import ZoomApiError
from zoom_workplace.emulator.state import cloud_recording

DISTRIBUTION = "zoomclient-zoom-recordings"
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=5)
TODAY = dt.datetime.now(dt.UTC).date()
LAST_YEAR = [
    "Roadmap review",
    "Kundengespräch Müller GmbH",
    "Design critique",
    "All hands — Q3",
    "Onboarding: Zoom Phone",
    "Retrospective",
]


def new_event(**fields) -> Event:
    return Event(
        id="",
        calendar_id="primary",
        title="Follow-up with Müller GmbH",
        start=START,
        end=START + dt.timedelta(hours=1),
        time_zone="Europe/Berlin",
        description="What we agreed last time.",
        **fields,
    )


def attach_action(host):
    (action,) = [a for a in host.registry.actions if a.id == "zoom.attach-recording"]
    return action


def context(host, event: Event, ui) -> ActionContext:
    return ActionContext(host=host, place=ActionPlace.EVENT_EDITOR, ui=ui, event=event)


def assert_no_start_url_written(testmail) -> None:
    for request in testmail.log.entries:
        assert "start_url" not in request.text and "zak=" not in request.text, request.path


def test_month_windows_cover_the_range_newest_first_each_within_a_month() -> None:
    first, last = dt.date(2025, 12, 31), dt.date(2026, 12, 2)
    windows = month_windows(first, last)
    assert windows[0] == (dt.date(2026, 12, 1), last) and windows[1] == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert windows[-1] == (first, first) and len(windows) == 13
    for (newer_start, _), (_, older_end) in itertools.pairwise(windows):
        assert older_end + dt.timedelta(days=1) == newer_start, "no day left out, none twice"
    assert all(start <= end < months_later(start, 1) for start, end in windows)
    assert months_later(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert month_windows(last, last) == [(last, last)]


async def test_a_year_is_listed_a_month_a_call_newest_first(host, session, zoom, recordings_plugin) -> None:
    client = recordings_plugin.client()
    try:
        found = await list_recordings(client, months_later(TODAY, -12), TODAY)
    finally:
        await client.aclose()
    assert [r.topic for r in found] == LAST_YEAR, "Budget 2025 is older, Ana's interview is not Alex's"
    calls = zoom.log.find("GET", "/users/me/recordings")
    assert len(calls) == len(month_windows(months_later(TODAY, -12), TODAY)) >= 12
    for call in calls:
        start, end = (dt.date.fromisoformat(call.query_params[k][0]) for k in ("from", "to"))
        assert start <= end < months_later(start, 1) and call.status == 200
    roadmap = found[0]
    assert roadmap.share_url and roadmap.play_passcode and roadmap.passcode == "", "the listing has no passcode"
    assert found[2].topic == "Design critique" and not found[2].play_passcode


async def test_every_page_of_a_month_is_read(host, session, zoom, recordings_plugin) -> None:
    alex = zoom.state.users["alex.morgan@example.com"]
    day = TODAY - dt.timedelta(days=3)
    with zoom.state.lock:
        for n in range(5):
            moment = dt.datetime.combine(day, dt.time(12, n), dt.UTC)
            zoom.state.recordings.append(
                cloud_recording(alex, 84100000 + n, f"emuPaged{n}==", f"Sprint {n}", moment, 15, password="")
            )
    client = recordings_plugin.client()
    try:
        found = await list_recordings(client, day, day, page_size=2)
    finally:
        await client.aclose()
    assert [r.topic for r in found] == [f"Sprint {n}" for n in (4, 3, 2, 1, 0)]
    tokens = [c.query_params.get("next_page_token") for c in zoom.log.find("GET", "/users/me/recordings")]
    assert len(tokens) == 3 and tokens[0] is None and all(tokens[1:]), "5 recordings, 2 a page: 3 pages"


async def test_zoom_refuses_more_than_a_month_a_call(host, session, zoom, recordings_plugin) -> None:
    client = recordings_plugin.client()
    try:
        with pytest.raises(ZoomApiError, match="more than a month") as raised:
            await client.get("/users/me/recordings", **{"from": "2026-01-01", "to": "2026-02-15"})
        assert raised.value.status == 400 and raised.value.code == 300
        today_only = await client.get("/users/me/recordings")
        assert today_only["from"] == zoom.state.now.date().isoformat() and today_only["meetings"] == []
    finally:
        await client.aclose()


async def test_the_details_carry_the_passcode_of_a_uuid_encoded_twice(host, session, zoom, recordings_plugin) -> None:
    client = recordings_plugin.client()
    try:
        recording = await recording_details(client, "/ajXp112QmuoKj4854875===")
    finally:
        await client.aclose()
    assert recording.topic == "Roadmap review" and recording.passcode == "Rv7#pQ2x"
    assert recording.link == f"{recording.share_url}?pwd={recording.play_passcode}"
    (asked,) = zoom.log.find("GET", "/recordings")[-1:]
    # The log holds the path decoded once: a "%2F" left in it was sent as "%252F".
    assert asked.path == "/v2/meetings/%2FajXp112QmuoKj4854875%3D%3D%3D/recordings"


async def test_the_action_attaches_the_picked_recording_and_the_calendar_gets_it(host, session, zoom, testmail) -> None:
    action = attach_action(host)
    assert action.title == "Attach cloud recording" and ActionPlace.EVENT_EDITOR in action.places
    ui = ScriptedActionUI(choices=[0], picks=[("müller", "Kundengespräch Müller GmbH")])
    result = await action.run(context(host, new_event(), ui))

    assert ui.asked[0] == ("choose", "Cloud recordings from", ("Last 30 days", "Last 3 months", "Last 12 months"))
    (first, typed) = ui.searches
    assert [c.label for c in first[1]] == ["Roadmap review", "Kundengespräch Müller GmbH"]
    assert typed[0] == "müller" and [c.label for c in typed[1]] == ["Kundengespräch Müller GmbH"]
    assert "passcode protected" in typed[1][0].detail
    description = result.event.description
    assert description.startswith("What we agreed last time.\n\n──────── Zoom cloud recording")
    assert "Recording: Kundengespräch Müller GmbH (" in description
    assert "Watch: https://zoom.us/rec/share/emu84011112222?pwd=emuPlay84011112222x8Qz" in description
    assert "Passcode: Kd3!mU9z" in description
    assert result.event.location == "" and result.message == "Cloud recording 'Kundengespräch Müller GmbH' attached."

    testmail.log.clear()
    written = await session.require_calendars().create_event(result.event)
    assert "Passcode: Kd3!mU9z" in testmail.state.events[written.id].description
    assert_no_start_url_written(testmail)


async def test_attaching_twice_keeps_one_block_and_another_recording_adds_its_own(host, session, zoom) -> None:
    action = attach_action(host)
    once = await action.run(context(host, new_event(), ScriptedActionUI(choices=[0], picks=[("", "Roadmap review")])))
    twice = await action.run(context(host, once.event, ScriptedActionUI(choices=[1], picks=[("", "Roadmap review")])))
    assert twice.event.description == once.event.description
    other = await action.run(
        context(host, twice.event, ScriptedActionUI(choices=[1], picks=[("design", "Design critique")]))
    )
    text = other.event.description
    assert text.count("──────── Zoom cloud recording") == 2
    assert "Watch: https://zoom.us/rec/share/emu84022223333\n" in text, "no passcode, no pwd"
    assert text.count("Passcode:") == 1


async def test_cancelling_changes_nothing_and_an_empty_range_says_so(host, session, zoom) -> None:
    action = attach_action(host)
    assert (await action.run(context(host, new_event(), ScriptedActionUI(choices=[None])))).event is None
    picked_none = ScriptedActionUI(choices=[2], picks=[("", None)])
    assert (await action.run(context(host, new_event(), picked_none))).event is None
    with zoom.state.lock:
        zoom.state.recordings[:] = [r for r in zoom.state.recordings if r["topic"] == "Budget 2025"]
    with pytest.raises(NoRecordings, match="no cloud recordings from the last 12 months") as raised:
        await action.run(context(host, new_event(), ScriptedActionUI(choices=[2])))
    assert "longer range" in raised.value.hint


async def test_without_the_plugin_the_host_and_its_calendar_work_on(make_host, session, testmail) -> None:
    import calendar_view.plugin as calendar_view_plugin

    host = make_host(testmail_plugin, calendar_view_plugin)
    assert not [a for a in host.registry.actions if a.id == "zoom.attach-recording"]
    assert all(r.status is PluginStatus.LOADED for r in host.plugin_records())
    assert DISTRIBUTION not in {r.name for r in host.plugin_records()}
    written = await session.require_calendars().create_event(attrs.evolve(new_event(), title="No recording"))
    assert testmail.state.events[written.id].description == "What we agreed last time."


async def test_a_throttled_month_is_waited_out_and_a_failing_zoom_changes_nothing(host, session, zoom) -> None:
    from host.errors import TransientError

    action = attach_action(host)
    zoom.faults.queue_status(429, path="/users/me/recordings", retry_after=1)
    result = await action.run(context(host, new_event(), ScriptedActionUI(choices=[0], picks=[("", "Roadmap review")])))
    assert "Passcode: Rv7#pQ2x" in result.event.description
    assert [c.status for c in zoom.log.find("GET", "/users/me/recordings")][:2] == [429, 200]

    zoom.faults.queue_status(500, count=10, path="/users/me/recordings")
    with pytest.raises(TransientError, match="server error"):
        await action.run(context(host, new_event(), ScriptedActionUI(choices=[1])))

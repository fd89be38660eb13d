"""The event editor's "Add Zoom Phone number" action against the Zoom and TestMail emulators over real
HTTP: the number as a tel: link in the location and description, a choice when there are several, no
doubling, a clear error without Zoom Phone, and the host without the plugin."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from testprovider import plugin as testmail_plugin

from host.actions import ActionContext, ActionPlace
from host.plugins import PluginStatus
from host.testing import ScriptedActionUI
from zoom_phone.numbers import NoZoomPhone, from_profile, to_e164

DISTRIBUTION = "zoomclient-zoom-phone"
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
BERLIN_TEL = "tel:+493012345601;ext=1001"
MUNICH_TEL = "tel:+498999887766;ext=1001"


def phone_action(host):
    (action,) = [a for a in host.registry.actions if a.id == "zoom.phone-number"]
    return action


def context(host, event, ui) -> ActionContext:
    return ActionContext(host=host, place=ActionPlace.EVENT_EDITOR, ui=ui, event=event)


def new_event(**fields):
    from host.model.calendar import Event

    return Event(
        id="",
        calendar_id="primary",
        title="Call with the supplier",
        start=START,
        end=START + dt.timedelta(minutes=30),
        time_zone="Europe/Berlin",
        description="Prices for 2027.",
        **fields,
    )


async def test_the_chosen_number_goes_into_location_and_description_and_reaches_the_calendar(
    host, session, zoom, testmail
) -> None:
    action = phone_action(host)
    assert action.title == "Add Zoom Phone number" and ActionPlace.EVENT_EDITOR in action.places
    ui = ScriptedActionUI(choices=[1])
    result = await action.run(context(host, new_event(), ui))

    assert ui.asked == [
        ("choose", "Which Zoom Phone number?", ("+49 30 1234 5601, extension 1001", "+498999887766, extension 1001"))
    ]
    event = result.event
    assert event.location == MUNICH_TEL
    assert event.description.startswith("Prices for 2027.\n\n──────── Zoom Phone")
    assert "Call: +498999887766, extension 1001\n" + MUNICH_TEL in event.description
    assert result.message == "Zoom Phone number +498999887766, extension 1001 added."
    assert zoom.log.find("GET", "/phone/users/me")

    # The editor saves what the action handed back: the calendar emulator holds the link.
    written = await session.require_calendars().create_event(event)
    stored = testmail.state.events[written.id]
    assert stored.location == MUNICH_TEL and MUNICH_TEL in stored.description


async def test_adding_a_number_again_replaces_it_and_keeps_the_room(host, session, zoom) -> None:
    action = phone_action(host)
    first = await action.run(context(host, new_event(location="Room 4.2"), ScriptedActionUI(choices=[0])))
    assert first.event.location == f"Room 4.2 · {BERLIN_TEL}"
    again = await action.run(context(host, first.event, ScriptedActionUI(choices=[1])))
    assert again.event.location == f"Room 4.2 · {MUNICH_TEL}"
    assert again.event.description.count("Zoom Phone ─") == 1 and BERLIN_TEL not in again.event.description
    assert again.event.description.startswith("Prices for 2027.")


async def test_one_number_is_used_without_asking_and_a_cancelled_choice_changes_nothing(host, session, zoom) -> None:
    action = phone_action(host)
    cancelled = await action.run(context(host, new_event(), ScriptedActionUI(choices=[None])))
    assert cancelled.event is None and cancelled.message == ""
    with zoom.state.lock:
        zoom.state.users["alex.morgan@example.com"].extra_phone_numbers = ()
    ui = ScriptedActionUI()
    result = await action.run(context(host, new_event(), ui))
    assert ui.asked == [] and result.event.location == BERLIN_TEL


@pytest.mark.parametrize("zoom_user", ["ana.mueller@example.de"])
async def test_without_a_zoom_phone_licence_the_error_says_so(host, session, zoom, testmail) -> None:
    testmail.log.clear()
    with pytest.raises(NoZoomPhone, match="no Zoom Phone licence") as raised:
        await phone_action(host).run(context(host, new_event(), ScriptedActionUI()))
    assert "Zoom admin" in raised.value.hint
    (asked,) = zoom.log.find("GET", "/phone/users/me")
    assert asked.status == 404
    assert not testmail.log.find("POST") and not testmail.log.find("PUT")


def test_numbers_in_zooms_forms_become_e164_and_national_ones_are_refused() -> None:
    assert to_e164("+49 30 1234 5601") == "+493012345601"
    assert to_e164("14232058798") == "+14232058798"  # the spec's example
    assert to_e164("0049 (89) 998-877-66") == "+498999887766"
    assert to_e164("030 1234 5601") is None and to_e164("+12 34") is None and to_e164("ext. 12") is None
    with pytest.raises(NoZoomPhone, match=r"no phone number assigned \(only extension 1001\)"):
        from_profile({"extension_number": 1001, "phone_numbers": []})
    with pytest.raises(NoZoomPhone, match="not international numbers"):
        from_profile({"extension_number": 1001, "phone_numbers": [{"id": "pn", "number": "030 1234"}]})
    (number,) = from_profile({"phone_numbers": [{"id": "pn", "number": "14232058798"}]})
    assert number.tel == "tel:+14232058798" and number.label == "+14232058798"


async def test_without_the_plugin_the_host_and_its_calendar_work_on(make_host, session, testmail) -> None:
    import calendar_view.plugin as calendar_view_plugin

    host = make_host(testmail_plugin, calendar_view_plugin)
    assert not [a for a in host.registry.actions if a.id == "zoom.phone-number"]
    assert DISTRIBUTION not in {r.name for r in host.plugin_records()}
    assert all(r.status is PluginStatus.LOADED for r in host.plugin_records())
    assert [v.id for v in host.registry.views if v.id == "calendar"] == ["calendar"]
    written = await session.require_calendars().create_event(attrs.evolve(new_event(), title="No phone"))
    assert testmail.state.events[written.id].location == ""

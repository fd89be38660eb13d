"""The event action against the Zoom and TestMail emulators: who has a Zoom account, a group chat made
20 members a call, who was left out, and a failing later call that loses nobody."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from chat_support import ALEX, COLLEAGUES, OUTSIDERS, ROOM, TITLE, calendar_event, channel_of, colleague, members_asked

from host.actions import ActionContext, ActionPlace
from host.errors import UsageError, ZoomclientError
from host.model.calendar import Attendee
from host.testing import ScriptedActionUI
from participant_chat.chat import MEMBERS_A_CALL, MembersNotAdded
from participant_chat.plugin import ACTION_ID
from zoom_workplace.client import ZoomApiError


def chat_action(host):
    (action,) = [a for a in host.registry.actions if a.id == ACTION_ID]
    return action


def context_for(host, event, ui) -> ActionContext:
    return ActionContext(host=host, place=ActionPlace.EVENT, ui=ui, event=event)


async def test_more_than_20_attendees_are_added_20_a_call_and_those_without_zoom_are_named(host, session, zoom) -> None:
    action = chat_action(host)
    assert action.title == "Chat with the event's participants" and ActionPlace.EVENT in action.places
    event = calendar_event(session)
    ui = ScriptedActionUI(confirms=[True])
    result = await action.run(context_for(host, event, ui))

    (question,) = ui.asked
    assert question[0] == "confirm"
    assert f"{TITLE!r} with {COLLEAGUES} attendees" in question[1]
    assert (
        "Left out (no Zoom account): Priya Sharma <priya.sharma@example.in>, guest@partner.example.net." in question[1]
    )
    assert result.message == (
        f"Started the group chat {TITLE!r} with {COLLEAGUES} attendees. "
        "Left out (no Zoom account): Priya Sharma <priya.sharma@example.in>, guest@partner.example.net."
    )
    everyone = [colleague(n).email for n in range(1, COLLEAGUES + 1)]
    calls = members_asked(zoom)
    assert [len(c) for c in calls] == [MEMBERS_A_CALL, MEMBERS_A_CALL, COLLEAGUES - 2 * MEMBERS_A_CALL]
    assert [e for call in calls for e in call] == everyone, (
        "each attendee with a Zoom account once, in the event's order"
    )
    create, *adds = zoom.log.find("POST", "/chat/users/me/channels")
    assert create.path == "/v2/chat/users/me/channels" and create.json["type"] == 4 and create.json["name"] == TITLE
    channel = channel_of(zoom, TITLE)
    assert all(a.path == f"/v2/chat/users/me/channels/{channel['id']}/members" for a in adds)
    assert channel["owner"] == ALEX.email and channel["members"] == [ALEX.email, *everyone]
    asked = {e for call in calls for e in call}
    assert ALEX.email not in asked and ROOM.email not in asked and not asked & {o.email for o in OUTSIDERS}
    looked_up = [r.query_params["search_key"][0] for r in zoom.log.find("GET", "/contacts")]
    assert sorted(looked_up) == sorted([*everyone, *(o.email for o in OUTSIDERS)]), "the user and rooms not looked up"


async def test_saying_no_creates_nothing(host, session, zoom) -> None:
    result = await chat_action(host).run(context_for(host, calendar_event(session), ScriptedActionUI(confirms=[False])))
    assert result.message == "No group chat was started."
    assert not zoom.log.find("POST", "/chat/") and [c["name"] for c in zoom.state.channels] == ["Product"]


async def test_a_failing_later_call_says_who_was_added_and_who_was_not(host, session, zoom) -> None:
    zoom.faults.queue_status(500, path=r"/channels/[^/]+/members$", method="POST")
    with pytest.raises(MembersNotAdded) as raised:
        await chat_action(host).run(context_for(host, calendar_event(session), ScriptedActionUI(confirms=[True])))
    error = raised.value
    first = [colleague(n).email for n in range(1, MEMBERS_A_CALL + 1)]
    rest = [colleague(n).email for n in range(MEMBERS_A_CALL + 1, COLLEAGUES + 1)]
    assert list(error.chat.members) == first and list(error.not_added) == rest
    text = str(error)
    assert f"started with {MEMBERS_A_CALL} attendees" in text and f"but {len(rest)} could not be added" in text
    assert all(email in text for email in first + rest), "every attendee is named: nobody silently lost"
    assert "Zoom had a server error" in text and "Add them in Zoom Team Chat" in error.hint
    assert channel_of(zoom, TITLE)["members"] == [ALEX.email, *first]
    assert len(members_asked(zoom)) == 2, "no call after the failed one"


async def test_a_failing_first_call_creates_nothing_and_says_why(host, session, zoom) -> None:
    zoom.faults.queue_status(500, path=r"/chat/users/me/channels$", method="POST")
    with pytest.raises(ZoomclientError) as raised:
        await chat_action(host).run(context_for(host, calendar_event(session), ScriptedActionUI(confirms=[True])))
    assert str(raised.value).startswith(f"The group chat {TITLE!r} could not be started; nothing was created.")
    assert "Zoom had a server error" in str(raised.value) and raised.value.hint == "Try again in a moment."
    assert [c["name"] for c in zoom.state.channels] == ["Product"]


async def test_zoom_takes_no_more_than_20_members_a_call(host, session, chat_plugin) -> None:
    """The limit the action keeps to is the emulator's, as the spec states it: a 21st member is refused."""
    zoom_client = chat_plugin.client()
    try:
        members = [{"email": colleague(n).email} for n in range(1, 22)]
        with pytest.raises(ZoomApiError, match="at most 20 members"):
            await zoom_client.request(
                "POST", "/chat/users/me/channels", body={"name": "x", "type": 4, "members": members}
            )
        with pytest.raises(ZoomApiError, match="at most 20 members"):
            await zoom_client.request("POST", "/chat/users/me/channels/ch-product/members", body={"members": members})
        with pytest.raises(ZoomApiError, match="Channel does not exist"):
            await zoom_client.request("POST", "/chat/users/me/channels/ch-none/members", body={"members": members[:1]})
    finally:
        await zoom_client.aclose()


async def test_nobody_with_a_zoom_account_is_a_clear_error_and_asks_nothing(host, session, zoom) -> None:
    event = calendar_event(session)
    outsiders_only = attrs.evolve(
        event, attendees=tuple(a for a in event.attendees if not a.address.email.startswith("colleague"))
    )
    ui = ScriptedActionUI()
    with pytest.raises(UsageError) as raised:
        await chat_action(host).run(context_for(host, outsiders_only, ui))
    assert "None of the event's attendees has a Zoom account (Priya Sharma <priya.sharma@example.in>" in str(
        raised.value
    )
    assert "Nothing was created" in str(raised.value) and ui.asked == []
    assert not zoom.log.find("POST", "/chat/")


async def test_the_action_is_offered_for_events_with_other_people_only(host, session) -> None:
    action = chat_action(host)
    event = calendar_event(session)
    assert action.available(context_for(host, event, None))
    alone = attrs.evolve(event, attendees=(Attendee(ALEX, is_self=True),))
    assert not action.available(context_for(host, alone, None))
    assert not action.available(context_for(host, attrs.evolve(event, attendees=()), None))


async def test_the_user_is_left_out_by_their_zoom_email_too(host, session, zoom) -> None:
    """A Gmail or Microsoft 365 user's Zoom email may be listed as a plain attendee: never a member."""
    event = calendar_event(session)
    few = attrs.evolve(
        event,
        attendees=(Attendee(ALEX, is_self=False), Attendee(colleague(1))),
        start=event.start + dt.timedelta(days=1),
    )
    result = await chat_action(host).run(context_for(host, few, ScriptedActionUI(confirms=[True])))
    assert result.message == f"Started the group chat {TITLE!r} with 1 attendee."
    assert members_asked(zoom) == [[colleague(1).email]]


async def test_without_a_zoom_sign_in_the_action_says_to_sign_in(host, session, secrets) -> None:
    from zoom_workplace.session import sign_out

    sign_out(secrets)
    with pytest.raises(UsageError, match="Nobody is signed in to Zoom") as raised:
        await chat_action(host).run(context_for(host, calendar_event(session), ScriptedActionUI()))
    assert "zoomclient zoom signin" in raised.value.hint

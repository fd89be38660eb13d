"""Helpers of the participant chat's tests: the Zoom colleagues, the big event, what was asked of Zoom.

The Zoom account ``acc-pro`` gets :data:`COLLEAGUES` more users (see conftest), so that an event can have
more attendees with a Zoom account than one call may add; :func:`team_event` is such an event, with two
attendees who have no Zoom account, the user, and a meeting room.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from host.accounts import AccountSession
from host.model.calendar import Attendee, AttendeeRole, Event
from host.model.mail import Address
from zoom_workplace.emulator.app import ZoomEmulator

ARTIFACTS = Path(__file__).parent / "artifacts"
ALEX = Address("alex.morgan@example.com", "Alex Morgan")
DISTRIBUTION = "zoomclient-participant-chat"
#: Zoom users added to Alex's account: more than two calls' worth of members
COLLEAGUES = 45
#: attendees with no Zoom account
OUTSIDERS = (Address("priya.sharma@example.in", "Priya Sharma"), Address("guest@partner.example.net"))
ROOM = Address("room-berlin-3@resource.example.com", "Berlin 3rd floor")
EVENT_ID = "team-offsite"
TITLE = "Team offsite planning"


def colleague(number: int) -> Address:
    return Address(f"colleague{number:02d}@example.com", f"Colleague {number:02d}")


def team_event(start: dt.datetime, colleagues: int = COLLEAGUES) -> Event:
    attendees = [Attendee(ALEX, organizer=True), *(Attendee(colleague(n)) for n in range(1, colleagues + 1))]
    attendees += [Attendee(address) for address in OUTSIDERS]
    attendees.append(Attendee(ROOM, role=AttendeeRole.RESOURCE))
    return Event(
        EVENT_ID,
        "primary",
        TITLE,
        start,
        start + dt.timedelta(hours=1),
        time_zone="Europe/Berlin",
        organizer=ALEX,
        attendees=tuple(attendees),
    )


def event_start() -> dt.datetime:
    """Tomorrow at 10:00 UTC: inside the calendar's first window, and in the CLI's."""
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(10), dt.UTC)


def calendar_event(session: AccountSession, event_id: str = EVENT_ID) -> Event:
    found = session.require_calendars().get("primary", event_id)
    assert found is not None, f"the calendar holds no event {event_id!r}"
    return found


def members_asked(zoom: ZoomEmulator) -> list[list[str]]:
    """The member emails of each channel and members call, in order."""
    return [
        [member["email"] for member in request.json["members"]]
        for request in zoom.log.find("POST", "/chat/users/me/channels")
    ]


def channel_of(zoom: ZoomEmulator, name: str) -> dict[str, Any]:
    with zoom.state.lock:
        (channel,) = [c for c in zoom.state.channels if c["name"] == name]
        return dict(channel)


def screenshot(widget: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path

"""Helpers of the calendar view's tests: the seeded week, times in the test user's zone, screenshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from host.model.calendar import Attendee, Event, ResponseStatus
from host.model.mail import Address

ZONE = ZoneInfo("Europe/Berlin")
ARTIFACTS = Path(__file__).parent / "artifacts"
PRIYA = Address("priya.sharma@example.in", "Priya Sharma")


def this_monday(now: dt.datetime | None = None) -> dt.date:
    today = (now or dt.datetime.now(dt.UTC)).astimezone(ZONE).date()
    return today - dt.timedelta(days=today.weekday())


def at(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = ZONE) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zone)


def seeded(week: dt.date, owner: Address) -> list[Event]:
    """A week with an event in each situation the grid handles; titles say what they test."""
    tue, wed, thu, fri = (week + dt.timedelta(days=n) for n in (1, 2, 3, 4))
    new_york = ZoneInfo("America/New_York")
    return [
        Event("standup", "primary", "Standup", at(tue, 9), at(tue, 9, 30), time_zone="Europe/Berlin"),
        Event("overlap-a", "primary", "Overlap A", at(wed, 10), at(wed, 11), time_zone="Europe/Berlin"),
        Event("overlap-b", "team", "Overlap B", at(wed, 10, 30), at(wed, 11, 30), time_zone="Europe/Berlin"),
        Event(
            "ny-call",
            "delegated-lena",
            "New York call",
            at(thu, 9, 0, new_york),
            at(thu, 10, 0, new_york),
            time_zone="America/New_York",
        ),
        Event(
            "offsite",
            "team",
            "Offsite",
            dt.datetime.combine(fri, dt.time(), ZONE),
            dt.datetime.combine(fri + dt.timedelta(days=1), dt.time(), ZONE),
            all_day=True,
            time_zone="Europe/Berlin",
        ),
        Event(
            "invite",
            "primary",
            "Budget review",
            at(thu, 11),
            at(thu, 12),
            time_zone="Europe/Berlin",
            organizer=PRIYA,
            attendees=(Attendee(PRIYA, ResponseStatus.ACCEPTED, organizer=True), Attendee(owner)),
        ),
    ]


def shared_invitation(week: dt.date, owner: Address) -> Event:
    """An event in Ana's calendar, shared with the user read-only, to which the user is invited."""
    ana = Address("ana.mueller@example.de", "Ana Müller")
    return Event(
        "ana-focus",
        "shared-ana",
        "Ana's planning",
        at(week, 10),
        at(week, 11),
        time_zone="Europe/Berlin",
        organizer=ana,
        attendees=(Attendee(ana, ResponseStatus.ACCEPTED, organizer=True), Attendee(owner, is_self=True)),
        my_response=ResponseStatus.NEEDS_ACTION,
    )


#: far beyond the window the cache loads at start (two weeks back, six ahead): loaded on demand
LATER_WEEKS = 10


def screenshot(widget: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path

"""Answering an invitation that came by mail: find its event in the account's calendars and respond."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from host.errors import ZoomclientError
from host.model.calendar import ResponseStatus

if TYPE_CHECKING:
    from host.accounts import AccountSession
    from host.model.calendar import Event

_SAID = {"accepted": "accepted", "tentative": "tentatively accepted", "declined": "declined"}


def _invitation(data: bytes) -> tuple[str, dt.datetime | None]:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
        event = next(iter(calendar.walk("VEVENT")))
    except Exception as error:
        raise ZoomclientError(
            "This invitation cannot be read.", hint="Answer it from your calendar or ask the organiser to resend it."
        ) from error
    start = event.get("DTSTART")
    moment = start.dt if start is not None else None
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(), dt.UTC)
    if isinstance(moment, dt.datetime) and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return str(event.get("UID", "")), moment


def _matches(event: Event, uid: str) -> bool:
    ical = str(event.provider_data.get("iCalUID") or event.provider_data.get("ical_uid") or "")
    return bool(uid) and (ical == uid or event.id == uid or uid.split("@")[0] in (event.id, event.series_id))


async def respond_to_invitation(session: AccountSession, data: bytes, response: str) -> str:
    """Respond to the event the iCalendar ``data`` invites to; returns what to tell the user."""
    calendars = session.require_calendars()
    uid, start = _invitation(data)
    around = start or dt.datetime.now(dt.UTC)
    if not calendars.calendars:
        await calendars.load()
    start, end = around - dt.timedelta(days=1), around + dt.timedelta(days=1)
    await calendars.ensure_range(start, end)
    for event in calendars.events_between(start, end):
        if _matches(event, uid):
            await calendars.respond(event.calendar_id, event.id, ResponseStatus(response))
            return f"You {_SAID[response]} “{event.title}”."
    raise ZoomclientError(
        "This invitation's event is not in your calendars yet.",
        hint="Wait for the calendar to sync, then answer again; or answer it in the calendar view.",
    )

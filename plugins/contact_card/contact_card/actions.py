"""The contact card's actions: Chat (a first Team Chat message), Call (the system's phone handler) and
Schedule (a new event with the person invited, opened in the calendar's editor). They run on the core's
loop and ask the user through ``context.ui``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from contact_card.directory import ZoomDirectory
from host.actions import ActionContext, ActionResult
from host.errors import UsageError
from host.model.calendar import Attendee, Event
from host.model.contact import Contact
from host.model.mail import Address
from host.timezones import local_zone_name
from zoom_workplace.client import ZoomClient

#: Team Chat's limit for one message (``POST /chat/users/{userId}/messages``, ``message.maxLength``).
MESSAGE_LIMIT = 1024
#: How long a meeting "Schedule" proposes; the user changes it in the editor.
MEETING_LENGTH = dt.timedelta(minutes=30)


def _person(context: ActionContext) -> Contact:
    if context.contact is None:
        raise UsageError("There is nobody to do this with.", hint="Open a person's contact card first.")
    return context.contact


def _who(contact: Contact) -> str:
    return contact.name or contact.email


async def _zoom_contact(directory: ZoomDirectory, contact: Contact, doing: str) -> Contact:
    found = await directory.lookup(contact.email)
    if found is None:
        raise UsageError(
            f"{contact.email} is not one of your Zoom contacts, so zoomclient cannot {doing} them in Zoom.",
            hint="Write them an email instead.",
        )
    return found


async def chat(directory: ZoomDirectory, connect: Callable[[], ZoomClient], context: ActionContext) -> ActionResult:
    """Ask for a first message (a greeting is offered) and send it to the person in Zoom Team Chat."""
    found = await _zoom_contact(directory, _person(context), "chat with")
    who = _who(found)
    first_name = found.name.split()[0] if found.name else ""
    greeting = f"Hi {first_name}!" if first_name else "Hi!"

    typed = await context.ui.ask_text(f"Chat with {who}", "Your first message:", text=greeting, multiline=True)
    message = (typed or "").strip()
    if not message:
        return ActionResult(message="No message was sent.")
    if len(message) > MESSAGE_LIMIT:
        raise UsageError(
            f"Team Chat takes at most {MESSAGE_LIMIT} characters in one message; this one has {len(message)}.",
            hint="Shorten it, or send it in two messages.",
        )
    client = connect()
    try:
        await client.request("POST", "/chat/users/me/messages", body={"message": message, "to_contact": found.email})
    finally:
        await client.aclose()
    return ActionResult(message=f"Sent to {who} in Zoom Team Chat: “{message}”")


def tel_url(number: str) -> str:
    """A ``tel:`` URL (RFC 3966) for a number as people write it: the digits, a leading ``+`` kept."""
    digits = re.sub(r"[^0-9]", "", number)
    if not digits:
        raise UsageError(f"“{number}” is not a phone number.", hint="Call them from Zoom instead.")
    return "tel:" + ("+" if number.strip().startswith("+") else "") + digits


async def call(
    directory: ZoomDirectory, open_url: Callable[[str], Awaitable[bool]], context: ActionContext
) -> ActionResult:
    """Call one of the person's numbers (the user picks when there are several) with the system's phone
    app: Zoom Phone when it is the ``tel:`` handler."""
    found = await _zoom_contact(directory, _person(context), "call")
    who = _who(found)
    if not found.phone_numbers:
        raise UsageError(f"Zoom has no phone number for {who}.", hint="Chat with them or write an email instead.")
    number = found.phone_numbers[0]
    if len(found.phone_numbers) > 1:
        index = await context.ui.choose(f"Call {who} on", found.phone_numbers)
        if index is None:
            return ActionResult(message="Nobody was called.")
        number = found.phone_numbers[index]
    if not await open_url(tel_url(number)):
        raise UsageError(
            f"No app on this computer makes phone calls, so {who} was not called.",
            hint=f"Install Zoom and let it handle phone links, or dial {number} yourself.",
        )
    return ActionResult(message=f"Calling {who} on {number}…")


async def schedule(context: ActionContext, now: Callable[[], dt.datetime]) -> ActionResult:
    """A new event with the person invited at the next full hour, for the calendar's editor to open."""
    contact = _person(context)
    zone = ZoneInfo(local_zone_name())
    start = now().astimezone(zone).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    event = Event(
        id="",
        calendar_id="",
        title=f"Meeting with {_who(contact)}",
        start=start,
        end=start + MEETING_LENGTH,
        time_zone=zone.key,
        attendees=(Attendee(Address(contact.email, contact.name)),),
    )
    return ActionResult(event=event)

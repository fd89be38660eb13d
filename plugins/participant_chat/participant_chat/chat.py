"""A Team Chat group chat with an event's attendees: who of them has a Zoom account, and the chat itself.

Each attendee is looked up among the user's Zoom contacts by email (``GET /contacts?search_key=``);
one without a Zoom account is left out and named to the user. The group chat is a channel of type 4
(``POST /chat/users/me/channels``), which takes at most 20 members a call: the first call creates it
with 20, further calls add 20 more each (``POST /chat/users/me/channels/{channelId}/members``). The
user is the chat's owner, never one of the members asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from host.errors import UsageError, ZoomclientError
from host.model.calendar import AttendeeRole, Event
from host.model.mail import Address

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

#: "You can add a maximum of 20 members to the channel at once" (createChannel, inviteChannelMembers).
MEMBERS_A_CALL = 20
#: Team Chat's group chat: "an instant channel you create by adding members to a new chat".
GROUP_CHAT = 4
#: The spec's maxLength of a channel's name.
NAME_LENGTH = 256
#: The contacts API's largest page.
CONTACTS_PAGE = 25
#: Contact lookups at once: enough to be quick, few enough to stay inside Zoom's Medium rate.
LOOKUPS_AT_ONCE = 4


@attrs.frozen
class Roster:
    """The event's attendees (besides the user) who have a Zoom account, and those who have none."""

    members: tuple[Address, ...]
    without_zoom: tuple[Address, ...]


@attrs.frozen
class GroupChat:
    """A group chat started: its channel, and the attendees left out for having no Zoom account."""

    channel_id: str
    name: str
    members: tuple[str, ...]
    without_zoom: tuple[Address, ...]
    url: str = ""


class MembersNotAdded(ZoomclientError):
    """The group chat was created, but a later call to add members failed: who is in and who is not."""

    def __init__(self, chat: GroupChat, not_added: tuple[str, ...], cause: BaseException) -> None:
        reason = Exception.__str__(cause) if isinstance(cause, ZoomclientError) else str(cause)
        super().__init__(
            f"The group chat {chat.name!r} was started with {len(chat.members)} attendees "
            f"({', '.join(chat.members)}), but {len(not_added)} could not be added: {', '.join(not_added)}. "
            f"Zoom said: {reason}",
            hint="Add them in Zoom Team Chat (the chat is there), or try again later.",
        )
        self.chat = chat
        self.not_added = not_added


def chat_name(event: Event) -> str:
    return (event.title.strip() or "Event chat")[:NAME_LENGTH]


def attendees_to_invite(event: Event, me: Iterable[str]) -> list[Address]:
    """The event's people to chat with: each once, without the user and without rooms and equipment."""
    skip = {email.lower() for email in me}
    people: dict[str, Address] = {}
    for attendee in event.attendees:
        email = attendee.address.email.strip().lower()
        if attendee.is_self or attendee.role is AttendeeRole.RESOURCE or not email or email in skip:
            continue
        people.setdefault(email, attendee.address)
    return list(people.values())


async def zoom_contact(client: ZoomClient, email: str) -> dict[str, Any] | None:
    """The Zoom user among the contacts whose email is ``email`` (the search also matches names)."""
    token = ""
    while True:
        page = await client.get(
            "/contacts", search_key=email, page_size=CONTACTS_PAGE, contact_types=1, next_page_token=token or None
        )
        for contact in page.get("contacts", []):
            if str(contact.get("email", "")).lower() == email.lower():
                return contact
        token = page.get("next_page_token") or ""
        if not token:
            return None


async def roster(client: ZoomClient, event: Event) -> Roster:
    """Who of ``event``'s attendees can be in the chat; the Zoom user is never one of them."""
    me = await client.me()
    people = attendees_to_invite(event, [str(me.get("email", ""))])
    gate = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def look_up(address: Address) -> dict[str, Any] | None:
        async with gate:
            return await zoom_contact(client, address.email)

    found = await asyncio.gather(*(look_up(address) for address in people))
    return Roster(
        members=tuple(a for a, contact in zip(people, found, strict=True) if contact is not None),
        without_zoom=tuple(a for a, contact in zip(people, found, strict=True) if contact is None),
    )


def require_members(found: Roster) -> None:
    """Refuse a chat with nobody in it, naming who was left out."""
    if found.members:
        return
    nobody = "The event has no attendees besides you" if not found.without_zoom else "None of the event's attendees"
    without = f" has a Zoom account ({', '.join(map(str, found.without_zoom))})" if found.without_zoom else ""
    raise UsageError(
        f"{nobody}{without}, so there is nobody to chat with. Nothing was created.",
        hint="Invite them to Zoom, or write to them by email.",
    )


async def start_group_chat(client: ZoomClient, name: str, found: Roster) -> GroupChat:
    """Create the group chat with ``found.members``, 20 a call. A failing first call creates nothing (and
    says so); a failing later one raises :class:`MembersNotAdded` naming who is in and who is not."""
    require_members(found)
    emails = [address.email for address in found.members]
    batches = [emails[i : i + MEMBERS_A_CALL] for i in range(0, len(emails), MEMBERS_A_CALL)]
    try:
        created = await client.request(
            "POST",
            "/chat/users/me/channels",
            body={"name": name, "type": GROUP_CHAT, "members": [{"email": e} for e in batches[0]]},
        )
    except ZoomclientError as error:
        raise ZoomclientError(
            f"The group chat {name!r} could not be started; nothing was created. {Exception.__str__(error)}",
            hint=error.hint or "Try again in a moment.",
        ) from error
    chat = GroupChat(
        channel_id=str(created["id"]),
        name=str(created.get("name") or name),
        members=tuple(batches[0]),
        without_zoom=found.without_zoom,
        url=str(created.get("channel_url", "")),
    )
    for number, batch in enumerate(batches[1:], start=1):
        try:
            await client.request(
                "POST",
                f"/chat/users/me/channels/{chat.channel_id}/members",
                body={"members": [{"email": e} for e in batch]},
            )
        except Exception as error:
            not_added = tuple(e for later in batches[number:] for e in later)
            raise MembersNotAdded(chat, not_added, error) from error
        chat = attrs.evolve(chat, members=chat.members + tuple(batch))
    return chat


def left_out(without_zoom: Iterable[Address]) -> str:
    """The sentence naming the attendees left out, or "" when there are none."""
    names = [str(address) for address in without_zoom]
    return f"Left out (no Zoom account): {', '.join(names)}." if names else ""


def confirmation(name: str, found: Roster) -> str:
    """What the user is asked before the chat is started."""
    people = len(found.members)
    text = f"Start a Zoom Team Chat group chat {name!r} with {people} attendee{'s' if people != 1 else ''}?"
    return "\n\n".join(part for part in (text, left_out(found.without_zoom)) if part)


def summary(chat: GroupChat) -> str:
    """What the user is told after the chat is started."""
    people = len(chat.members)
    text = f"Started the group chat {chat.name!r} with {people} attendee{'s' if people != 1 else ''}."
    return " ".join(part for part in (text, left_out(chat.without_zoom)) if part)

"""Whom an email can be shared with: Zoom contacts (``GET /contacts``, searched by Zoom) and the user's
Team Chat channels (``GET /chat/users/me/channels``, read once and filtered here as the user types)."""

from __future__ import annotations

import asyncio
import enum
from typing import TYPE_CHECKING, Any

import attrs

from host.actions import Choice
from host.errors import UsageError

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

#: ``GET /contacts`` returns at most 25 a page (the spec's maximum); a picker shows no more.
CONTACTS_PAGE = 25
#: ``GET /chat/users/{userId}/channels`` takes up to 1000 a page; ten pages is more channels than anyone reads.
CHANNELS_PAGE = 1000
CHANNEL_PAGES = 10
#: The spec's channel types, as the picker names them.
CHANNEL_KINDS = {1: "private channel", 2: "private channel", 3: "public channel", 4: "group chat", 5: "public channel"}


class RecipientKind(enum.Enum):
    CONTACT = "contact"
    CHANNEL = "channel"


@attrs.frozen
class Recipient:
    """A contact (``id`` is the Zoom user id, ``email`` the address) or a channel (``id`` its channel id)."""

    kind: RecipientKind
    id: str
    name: str
    email: str = ""
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.kind is RecipientKind.CONTACT and self.email else self.name

    def message_target(self) -> dict[str, str]:
        """Where ``POST /chat/users/me/messages`` sends: a contact by email (it takes one), a channel by id."""
        if self.kind is RecipientKind.CHANNEL:
            return {"to_channel": self.id}
        return {"to_contact": self.email or self.id}

    def file_target(self) -> dict[str, str]:
        """Where ``POST /chat/users/me/messages/files`` sends: it takes a contact's user id, not an email."""
        if self.kind is RecipientKind.CHANNEL:
            return {"to_channel": self.id}
        if not self.id:
            raise UsageError(
                f"Zoom gives no user id for {self.label}, so Team Chat cannot be sent a file for them.",
                hint="Share without the .eml file.",
            )
        return {"to_contact": self.id}

    def choice(self) -> Choice:
        return Choice(label=self.label, detail=self.detail, value=self)


def contact_from_json(data: dict[str, Any]) -> Recipient:
    name = str(data.get("display_name") or f"{data.get('first_name', '')} {data.get('last_name', '')}".strip())
    email = str(data.get("email", ""))
    work = ", ".join(str(data[k]) for k in ("job_title", "dept") if data.get(k))
    presence = str(data.get("presence_status", "")).replace("_", " ")
    detail = " · ".join(part for part in ("Contact", presence, work) if part)
    return Recipient(
        RecipientKind.CONTACT, str(data.get("id") or data.get("member_id") or ""), name or email, email, detail
    )


def channel_from_json(data: dict[str, Any]) -> Recipient:
    kind = CHANNEL_KINDS.get(int(data.get("type") or 0), "channel")
    return Recipient(
        RecipientKind.CHANNEL, str(data["id"]), str(data.get("name") or data["id"]), detail=f"Team Chat {kind}"
    )


class Directory:
    """The contacts and channels of the signed-in Zoom user; the channel list is read once per directory."""

    def __init__(self, client: ZoomClient) -> None:
        self.client = client
        self._channels: list[Recipient] | None = None
        self._lock = asyncio.Lock()

    async def contacts(self, text: str) -> list[Recipient]:
        """Zoom's own search of the company contacts (first name, last name or email); none for no text,
        since the API needs a ``search_key``."""
        if not text.strip():
            return []
        found = await self.client.get(
            "/contacts", search_key=text.strip(), query_presence_status=True, page_size=CONTACTS_PAGE
        )
        return [contact_from_json(c) for c in (found or {}).get("contacts", []) if c.get("email") or c.get("id")]

    async def channels(self) -> list[Recipient]:
        async with self._lock:  # the picker may search twice at once: read the list once
            if self._channels is None:
                channels: list[Recipient] = []
                token: str | None = None
                for _ in range(CHANNEL_PAGES):
                    page = await self.client.get(
                        "/chat/users/me/channels", page_size=CHANNELS_PAGE, next_page_token=token
                    )
                    channels.extend(channel_from_json(c) for c in (page or {}).get("channels", []))
                    token = (page or {}).get("next_page_token") or None
                    if token is None:
                        break
                self._channels = sorted(channels, key=lambda c: c.name.casefold())
            return self._channels

    async def matching_channels(self, text: str) -> list[Recipient]:
        words = text.casefold().split()
        return [c for c in await self.channels() if all(w in c.name.casefold() for w in words)]

    async def search(self, text: str) -> list[Choice]:
        """What the picker shows for ``text``: matching contacts, then matching channels (all channels for "")."""
        contacts, channels = await asyncio.gather(self.contacts(text), self.matching_channels(text))
        return [r.choice() for r in (*contacts, *channels)]

    async def contact(self, email: str) -> Recipient:
        """The contact with exactly this address; UsageError when Zoom knows none."""
        wanted = email.strip().casefold()
        for contact in await self.contacts(wanted):
            if contact.email.casefold() == wanted:
                return contact
        raise UsageError(
            f"No Zoom contact has the address {email!r}.",
            hint="Check the address; Team Chat reaches the people of your Zoom organisation "
            "(`zoomclient chat share` takes their exact email).",
        )

    async def channel(self, name_or_id: str) -> Recipient:
        """One of the user's channels by id or by its exact name (any case); UsageError when none or several."""
        channels = await self.channels()
        by_id = [c for c in channels if c.id == name_or_id]
        named = by_id or [c for c in channels if c.name.casefold() == name_or_id.strip().casefold()]
        if len(named) == 1:
            return named[0]
        if named:
            ids = ", ".join(f"{c.id} ({c.name})" for c in named)
            raise UsageError(
                f"Several of your channels are called {name_or_id!r}: {ids}.", hint="Pass the channel's id."
            )
        known = ", ".join(c.name for c in channels[:10]) or "none"
        raise UsageError(
            f"You are in no Team Chat channel called {name_or_id!r}.",
            hint=f"Your channels: {known}. Pass one's name or id, or join the channel in Zoom first.",
        )

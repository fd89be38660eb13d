"""Who an address is in Zoom: ``GET /contacts?search_key=EMAIL&query_presence_status=true``, kept briefly.

The answers live in memory only, for :data:`TTL` seconds: presence changes by the minute, and nothing about
a person needs to be on disk. A lookup already under way is shared, so the card and an action asking at
once cost one request.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from host.model.contact import Contact, Presence

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

#: How long an answer (a contact, or "not a Zoom contact") is used before Zoom is asked again.
TTL = 60.0
#: How many people are remembered at most; the longest unasked goes first.
CACHE_SIZE = 256
#: Zoom's page size limit for a contact search.
PAGE_SIZE = 25

_PRESENCE = {presence.value.lower(): presence for presence in Presence}


def presence_of(value: object) -> Presence:
    """Zoom's ``presence_status`` (it writes ``Away`` and ``away`` alike) as the host's Presence."""
    return _PRESENCE.get(str(value or "").lower(), Presence.UNKNOWN)


def _numbers(data: dict[str, Any]) -> tuple[str, ...]:
    """Every number a contact can be called on: profile numbers, Zoom Phone direct numbers, the extension."""
    found: Iterable[object] = (
        *(entry.get("number") for entry in data.get("phone_numbers") or () if isinstance(entry, dict)),
        *(data.get("direct_numbers") or ()),
        data.get("phone_number"),
        data.get("extension_number"),
    )
    return tuple(dict.fromkeys(str(number).strip() for number in found if number and str(number).strip()))


def contact_from(data: dict[str, Any]) -> Contact:
    """One entry of ``contacts`` from ``GET /contacts`` as a Contact."""
    name = data.get("display_name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
    return Contact(
        email=str(data.get("email") or ""),
        name=str(name or ""),
        title=str(data.get("job_title") or ""),
        department=str(data.get("dept") or ""),
        phone_numbers=_numbers(data),
        presence=presence_of(data.get("presence_status")),
        zoom_user_id=str(data["id"]) if data.get("id") else None,
    )


class ZoomDirectory:
    """Looks people up in the signed-in user's Zoom contacts. ``connect()`` gives a Zoom client (closed after
    each lookup); it raises UsageError when nobody is signed in to Zoom. Used on the core's loop only."""

    def __init__(
        self,
        connect: Callable[[], ZoomClient],
        *,
        ttl: float = TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self.ttl = ttl
        self._clock = clock
        self._known: OrderedDict[str, tuple[float, Contact | None]] = OrderedDict()
        self._asking: dict[str, asyncio.Future[Contact | None]] = {}

    async def lookup(self, email: str) -> Contact | None:
        """The Zoom contact with this address, or None when the address is not one of the user's Zoom contacts."""
        key = email.strip().lower()
        known = self._known.get(key)
        if known is not None and self._clock() - known[0] < self.ttl:
            self._known.move_to_end(key)
            return known[1]
        asking = self._asking.get(key)
        if asking is None:
            asking = asyncio.ensure_future(self._ask(key))
            self._asking[key] = asking
            asking.add_done_callback(lambda _: self._asking.pop(key, None))
        # Shielded: one caller giving up (its card closed) does not cancel the others' answer.
        return await asyncio.shield(asking)

    async def _ask(self, key: str) -> Contact | None:
        client = self._connect()
        try:
            answer = await client.get("/contacts", search_key=key, query_presence_status=True, page_size=PAGE_SIZE)
        finally:
            await client.aclose()
        # The search matches names and parts of addresses too: only the very address is this person.
        entries = (answer.get("contacts") or []) if isinstance(answer, dict) else []
        match = next((e for e in entries if str(e.get("email", "")).lower() == key), None)
        found = contact_from(match) if match is not None else None
        self._known[key] = (self._clock(), found)
        self._known.move_to_end(key)
        while len(self._known) > CACHE_SIZE:
            self._known.popitem(last=False)
        return found

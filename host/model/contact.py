"""People: the address book the composer completes from, and Zoom contact cards."""

from __future__ import annotations

import enum

import attrs


class Presence(enum.Enum):
    AVAILABLE = "Available"
    AWAY = "Away"
    DO_NOT_DISTURB = "Do_Not_Disturb"
    IN_MEETING = "In_Meeting"
    IN_CALL = "In_Calling"
    OFFLINE = "Offline"
    UNKNOWN = "Unknown"


@attrs.frozen
class Contact:
    email: str
    name: str = ""
    title: str = ""
    department: str = ""
    phone_numbers: tuple[str, ...] = ()
    presence: Presence = Presence.UNKNOWN
    zoom_user_id: str | None = None

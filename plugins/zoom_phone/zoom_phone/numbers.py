"""The user's Zoom Phone numbers (``GET /phone/users/me``) and how an event carries one.

Zoom gives numbers as it stores them: ``+49 30 1234 5601`` or, as in the spec's example, bare digits
with the country code (``14232058798``); both become E.164 (``+493012345601``). An event gets a
``tel:`` link (RFC 3966, the extension as ``;ext=``) in its location, and the number, the extension
and the link in a marked block of its description, which adding a number again replaces.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from host.errors import ZoomclientError
from host.model.calendar import Event

if TYPE_CHECKING:
    from zoom_workplace.client import ZoomClient

BEGIN = "──────── Zoom Phone ────────"
END = "────────────────────────────"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
#: A tel: link this plugin wrote into a location, with the separator before it.
_TEL_IN_LOCATION = re.compile(r"(?:\s*·\s*)?tel:\+\d+(?:;ext=\d+)?")
_PUNCTUATION = re.compile(r"[\s().\-/]")


class NoZoomPhone(ZoomclientError):
    """The user has no Zoom Phone number to give out."""


@attrs.frozen
class PhoneNumber:
    """One of the user's Zoom Phone numbers: as Zoom shows it, in E.164, and the user's extension."""

    shown: str
    e164: str
    extension: str = ""

    @property
    def tel(self) -> str:
        """The RFC 3966 link a phone or softphone dials."""
        return f"tel:{self.e164}" + (f";ext={self.extension}" if self.extension else "")

    @property
    def label(self) -> str:
        return self.shown + (f", extension {self.extension}" if self.extension else "")


def to_e164(number: str) -> str | None:
    """``number`` in E.164 (``+`` and 8 to 15 digits), or None when it is not an international number."""
    digits = _PUNCTUATION.sub("", number.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        return None  # a national number: its country is unknown
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        return None
    return "+" + digits


def from_profile(profile: dict[str, Any]) -> list[PhoneNumber]:
    """The numbers of a Zoom Phone user profile; NoZoomPhone when none can be dialled from outside."""
    extension = str(profile.get("extension_number") or "")
    given = [str(item.get("number") or "") for item in profile.get("phone_numbers") or []]
    numbers = []
    for shown in given:
        e164 = to_e164(shown)
        if e164 is not None:
            numbers.append(PhoneNumber(shown if shown.startswith("+") else e164, e164, extension))
    if numbers:
        return numbers
    if given:
        raise NoZoomPhone(
            f"Zoom gave your Zoom Phone numbers as {', '.join(given)}, which are not international numbers, "
            "so no tel: link can be made from them.",
            hint="Ask your Zoom admin to check the numbers assigned to you.",
        )
    only = f" (only extension {extension})" if extension else ""
    raise NoZoomPhone(
        f"Your Zoom Phone has no phone number assigned{only}, so callers outside your company cannot reach it.",
        hint="Ask your Zoom admin to assign you a Zoom Phone number.",
    )


async def phone_numbers(client: ZoomClient) -> list[PhoneNumber]:
    """The signed-in user's Zoom Phone numbers; NoZoomPhone when they have no licence or no number."""
    from zoom_workplace.client import ZoomApiError

    try:
        profile = await client.get("/phone/users/me")
    except ZoomApiError as error:
        if error.status != 404:
            raise
        raise NoZoomPhone(
            "You have no Zoom Phone number: your Zoom account has no Zoom Phone licence.",
            hint="Ask your Zoom admin for a Zoom Phone licence and number; until then, add a Zoom meeting instead.",
        ) from error
    return from_profile(profile)


def invitation(number: PhoneNumber) -> str:
    return "\n".join([BEGIN, f"Call: {number.label}", number.tel, END]) + "\n"


def with_phone(event: Event, number: PhoneNumber) -> Event:
    """``event`` with ``number``: its tel: link in the location (beside a room already there) and a block
    in the description; a number added before is replaced, never doubled."""
    text = _BLOCK.sub("", event.description).rstrip()
    place = _TEL_IN_LOCATION.sub("", event.location).strip()
    return attrs.evolve(
        event,
        location=f"{place} · {number.tel}" if place else number.tel,
        description=(text + "\n\n" if text else "") + invitation(number),
    )

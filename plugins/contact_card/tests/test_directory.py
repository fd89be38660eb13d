"""Looking people up in Zoom against the Zoom emulator: presence, title, department, numbers; the short
in-memory cache; "not a Zoom contact" and "nobody signed in to Zoom"."""

from __future__ import annotations

import asyncio

import pytest
from contact_support import ANA, CHRIS, LENA

from contact_card.directory import ZoomDirectory, contact_from, presence_of
from host.errors import UsageError
from host.model.contact import Contact, Presence
from host.secrets import MemorySecretStore
from zoom_workplace.emulator.app import ZoomEmulator
from zoom_workplace.session import open_client


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory(secrets: MemorySecretStore, zoom_signed_in, clock: Clock) -> ZoomDirectory:
    return ZoomDirectory(lambda: open_client(secrets), clock=clock)


def contact_requests(zoom: ZoomEmulator) -> list[str]:
    return [entry.path for entry in zoom.log.find("GET", "/contacts")]


async def test_a_colleague_comes_back_with_presence_title_department_and_numbers(directory: ZoomDirectory) -> None:
    lena = await directory.lookup(LENA.email)
    ana = await directory.lookup(ANA.email.upper())  # an address is the same person in any case

    assert lena == Contact(
        email=LENA.email,
        name="Lena Schmidt",
        title="Director",
        phone_numbers=("+1 212 555 0102",),
        presence=Presence.IN_MEETING,
        zoom_user_id=lena.zoom_user_id,
    )
    assert lena.zoom_user_id
    assert (ana.name, ana.department, ana.presence, ana.phone_numbers) == ("Ana Müller", "Product", Presence.AWAY, ())


async def test_the_lookup_asks_for_presence_by_the_very_address(directory: ZoomDirectory, zoom: ZoomEmulator) -> None:
    await directory.lookup(LENA.email)
    [entry] = zoom.log.find("GET", "/contacts")
    assert entry.query_params["search_key"] == [LENA.email]
    assert entry.query_params["query_presence_status"] == ["true"]


async def test_an_address_outside_zoom_is_not_a_contact(directory: ZoomDirectory) -> None:
    assert await directory.lookup(CHRIS.email) is None
    # The search also matches parts of addresses and names: "example.com" is nobody's address.
    assert await directory.lookup("example.com") is None


async def test_answers_are_kept_briefly_in_memory(directory: ZoomDirectory, zoom: ZoomEmulator, clock: Clock) -> None:
    first = await directory.lookup(LENA.email)
    assert await directory.lookup(LENA.email) == first
    assert await directory.lookup(CHRIS.email) is None
    assert await directory.lookup(CHRIS.email) is None  # "not a contact" is an answer too
    assert len(contact_requests(zoom)) == 2

    with zoom.state.lock:
        zoom.state.users[LENA.email].presence = "Available"
    clock.now += directory.ttl + 1  # a minute on: presence is asked anew
    assert (await directory.lookup(LENA.email)).presence is Presence.AVAILABLE
    assert len(contact_requests(zoom)) == 3


async def test_the_card_and_an_action_asking_at_once_cost_one_request(
    directory: ZoomDirectory, zoom: ZoomEmulator
) -> None:
    answers = await asyncio.gather(*(directory.lookup(LENA.email) for _ in range(3)))
    assert len({a.email for a in answers}) == 1 and answers[0].name == "Lena Schmidt"
    assert len(contact_requests(zoom)) == 1


async def test_nobody_signed_in_to_zoom_says_how_to_sign_in(zoom_url: str) -> None:
    directory = ZoomDirectory(lambda: open_client(MemorySecretStore()))
    with pytest.raises(UsageError) as raised:
        await directory.lookup(LENA.email)
    assert "signed in to Zoom" in str(raised.value) and raised.value.hint


def test_a_contact_in_the_specs_shape_reads_whole() -> None:
    """Fields the emulator leaves out (display name, Zoom Phone numbers, extension) as the spec has them."""
    contact = contact_from(
        {
            "id": "v4iyWT1LTfy8QvPG4GTvdg",
            "email": "jchill@example.com",
            "display_name": "Jill Chill",
            "first_name": "Jill",
            "last_name": "Chill",
            "dept": "Developer",
            "job_title": "Engineer",
            "phone_numbers": [{"code": "+1", "number": "5550100", "label": "Mobile"}, {"label": "Fax"}],
            "direct_numbers": ["+1111111", "5550100"],
            "extension_number": "31",
            "presence_status": "away",
        }
    )
    assert contact == Contact(
        email="jchill@example.com",
        name="Jill Chill",
        title="Engineer",
        department="Developer",
        phone_numbers=("5550100", "+1111111", "31"),
        presence=Presence.AWAY,
        zoom_user_id="v4iyWT1LTfy8QvPG4GTvdg",
    )
    assert presence_of("Do_Not_Disturb") is Presence.DO_NOT_DISTURB and presence_of(None) is Presence.UNKNOWN

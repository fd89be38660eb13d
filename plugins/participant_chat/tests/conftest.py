"""Two emulators on 127.0.0.1 (Zoom, and TestMail for the calendar), Alex signed in to both, and a host
with TestMail and a participant chat plugin whose Zoom client comes from Alex's Zoom sign-in."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))
sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402
from chat_support import ALEX, COLLEAGUES, DISTRIBUTION, colleague, event_start, team_event  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.accounts import Accounts, AccountSession  # noqa: E402
from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from participant_chat.plugin import ParticipantChatPlugin  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.emulator.state import ZoomUserRecord  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402


@pytest.fixture
def zoom() -> ZoomEmulator:
    emulator = ZoomEmulator(SandboxOptions())
    for n in range(1, COLLEAGUES + 1):
        address = colleague(n)
        emulator.state.users[address.email] = ZoomUserRecord(
            f"u{100 + n}colleague", address.email, "Colleague", f"{n:02d}", "acc-pro", pmi=5551000000 + n
        )
    return emulator


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=5))
    emulator.state.create_event(team_event(event_start()))
    return emulator


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def zoom_secrets() -> MemorySecretStore:
    """Where the Zoom sign-in lives (the desktop window keeps the mail account in a store of its own)."""
    return MemorySecretStore()


@pytest.fixture
async def zoom_signed_in(zoom_url: str, zoom_secrets: MemorySecretStore) -> None:
    await sign_in(zoom_secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=ALEX.email, timeout=20)


@pytest.fixture
def chat_plugin(zoom_secrets: MemorySecretStore) -> ParticipantChatPlugin:
    return ParticipantChatPlugin(connect=lambda host: open_client(zoom_secrets, host))


@pytest.fixture
def host(make_host, chat_plugin: ParticipantChatPlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, chat_plugin))


@pytest.fixture
async def session(
    host: Host, zoom_secrets: MemorySecretStore, testmail_url: str, zoom_signed_in
) -> AsyncIterator[AccountSession]:
    accounts = Accounts(host, zoom_secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    await opened.require_calendars().load()
    yield opened
    await opened.aclose()


@pytest.fixture
def sandbox_urls(testmail_url: str) -> dict[str, str]:
    return {names.ACCOUNT_TYPE: testmail_url}

"""Two emulators on 127.0.0.1 (Zoom, and TestMail for the calendar side), Alex signed in to both, and a
host with TestMail and a Zoom recordings plugin whose Zoom client comes from the Zoom sign-in."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))

from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.accounts import Accounts, AccountSession  # noqa: E402
from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from zoom_recordings.plugin import ZoomRecordingsPlugin  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402

ALEX = "alex.morgan@example.com"
DISTRIBUTION = "zoomclient-zoom-recordings"


@pytest.fixture
def zoom() -> ZoomEmulator:
    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    return TestMailEmulator(SandboxOptions(messages=5, events=10))


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def secrets() -> MemorySecretStore:
    """The one secret store: the mail account's sign-in and the Zoom sign-in side by side."""
    return MemorySecretStore()


@pytest.fixture
def zoom_user() -> str:
    """Who signs in to Zoom (a test overrides it for a user without recordings)."""
    return ALEX


@pytest.fixture
async def zoom_signed_in(zoom_url: str, secrets: MemorySecretStore, zoom_user: str) -> None:
    await sign_in(secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=zoom_user, timeout=20)


@pytest.fixture
def recordings_plugin(secrets: MemorySecretStore) -> ZoomRecordingsPlugin:
    return ZoomRecordingsPlugin(connect=lambda host: open_client(secrets, host))


@pytest.fixture
def host(make_host, recordings_plugin: ZoomRecordingsPlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, recordings_plugin))


@pytest.fixture
async def session(
    host: Host, secrets: MemorySecretStore, testmail_url: str, zoom_signed_in
) -> AsyncIterator[AccountSession]:
    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    await opened.require_calendars().load()
    yield opened
    await opened.aclose()

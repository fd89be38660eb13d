"""Two emulators on 127.0.0.1 (Zoom, and TestMail for the mail), Alex signed in to both, and a host with
TestMail and a Team Chat share plugin whose Zoom client comes from Alex's Zoom sign-in.

The TestMail inbox holds a message made for sharing (``share_support.SHARED_SUBJECT``): non-ASCII, a quoted
reply and a signature below the text, and an attachment, so its .eml is more than plain text.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

sys.path.insert(0, str(Path(__file__).parent))
_TESTPROVIDER = Path(__file__).resolve().parents[3] / "tests" / "testprovider"
if str(_TESTPROVIDER) not in sys.path:
    sys.path.insert(0, str(_TESTPROVIDER))

from share_support import ALEX, DISTRIBUTION, shared_mail  # noqa: E402
from testprovider import plugin as testmail_plugin  # noqa: E402
from testprovider.emulator import TestMailEmulator  # noqa: E402

from host.accounts import Accounts, AccountSession  # noqa: E402
from host.app import Host  # noqa: E402
from host.auth import headless_browser  # noqa: E402
from host.sandbox.runner import ServerThread  # noqa: E402
from host.sandbox.service import SandboxOptions  # noqa: E402
from host.secrets import MemorySecretStore  # noqa: E402
from team_chat_share.plugin import TeamChatSharePlugin  # noqa: E402
from zoom_workplace.emulator.app import ZoomEmulator  # noqa: E402
from zoom_workplace.session import open_client, sign_in  # noqa: E402


@pytest.fixture
def zoom() -> ZoomEmulator:
    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=0))
    emulator.state.add_message(shared_mail(), date=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    return emulator


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def secrets() -> MemorySecretStore:
    """The one secret store: the mail account's sign-in and the Zoom sign-in side by side."""
    return MemorySecretStore()


@pytest.fixture
async def zoom_signed_in(zoom_url: str, secrets: MemorySecretStore) -> None:
    await sign_in(secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=ALEX, timeout=20)


@pytest.fixture
def share_plugin(secrets: MemorySecretStore) -> TeamChatSharePlugin:
    return TeamChatSharePlugin(connect=lambda host: open_client(secrets, host))


@pytest.fixture
def host(make_host, share_plugin: TeamChatSharePlugin) -> Host:
    return make_host(testmail_plugin, (DISTRIBUTION, share_plugin))


@pytest.fixture
async def session(
    host: Host, secrets: MemorySecretStore, testmail_url: str, zoom_signed_in
) -> AsyncIterator[AccountSession]:
    """Alex's mail account, opened and synced into its encrypted store."""
    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    _, engine = opened.require_mail()
    await engine.sync()
    yield opened
    await opened.aclose()

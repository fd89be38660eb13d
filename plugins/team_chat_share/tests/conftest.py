"""A host with TestMail and a Team Chat share plugin whose Zoom client comes from Alex's Zoom sign-in (the
emulators, the secret store and the sign-in: zoom_workplace.testing).

The TestMail inbox holds a message made for sharing (``share_support.SHARED_SUBJECT``): non-ASCII, a quoted
reply and a signature below the text, and an attachment, so its .eml is more than plain text.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from share_support import DISTRIBUTION, shared_mail
from testprovider import plugin as testmail_plugin
from testprovider.emulator import TestMailEmulator

from host.accounts import Accounts, AccountSession
from host.app import Host
from host.auth import headless_browser
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from team_chat_share.plugin import TeamChatSharePlugin
from zoom_workplace.session import open_client


@pytest.fixture
def testmail() -> TestMailEmulator:
    emulator = TestMailEmulator(SandboxOptions(messages=5, events=0))
    emulator.state.add_message(shared_mail(), date=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    return emulator


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
    """Alex's mail account, opened and synced into its encrypted store (not its calendars, as the shared one)."""
    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    _, engine = opened.require_mail()
    await engine.sync()
    yield opened
    await opened.aclose()

"""Fixtures for every Zoom plugin's tests, installed as a pytest plugin (``pytest11`` entry point).

The pieces each Zoom workflow plugin's tests stand on, real as the project's rules ask: the Zoom emulator and
the TestMail emulator served on 127.0.0.1 (``zoom_url``, ``testmail_url``), one ``secrets`` store, a real
PKCE sign-in to Zoom as ``zoom_user`` (Alex), an opened ``session`` of the TestMail account with its
calendars loaded, the desktop's main window (``open_main_window``) and the installed CLI as a fresh process
(``zoomclient``). A plugin's conftest adds what is its own: its ``host`` (with ``make_host``), and overrides
of these (a ``testmail`` with its own mails and events, a ``zoom`` with more users) where it needs them.

pytest loads this module in every run of every distribution's tests: it imports nothing heavy at the top
(the emulators, Qt and httpx are imported inside the fixtures).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

if TYPE_CHECKING:
    from testprovider.emulator import TestMailEmulator

    from host.accounts import AccountSession
    from host.app import Host
    from host.secrets import MemorySecretStore
    from host.ui.loop import LoopThread
    from zoom_workplace.emulator.app import ZoomEmulator

#: who signs in to Zoom unless a test says otherwise (``zoom_user``)
ALEX = "alex.morgan@example.com"
#: the installed CLI beside this interpreter
ZOOMCLIENT = Path(sys.executable).with_name("zoomclient")


def testprovider_dir(rootpath: Path) -> Path:
    """Where the repository keeps the TestMail provider (``testprovider``) and its dist-info (``site``)."""
    return rootpath / "tests" / "testprovider"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Make ``testprovider`` importable before any conftest imports it (as tests/conftest.py does for the
    host's own tests); a checkout without it (an installed distribution's tests) is left as it is."""
    helpers = testprovider_dir(early_config.rootpath)
    if helpers.is_dir() and str(helpers) not in sys.path:
        sys.path.insert(0, str(helpers))


@pytest.fixture
def zoom() -> ZoomEmulator:
    """The Zoom emulator (its default users and data; a conftest overrides it to add more)."""
    from host.sandbox.service import SandboxOptions
    from zoom_workplace.emulator.app import ZoomEmulator

    return ZoomEmulator(SandboxOptions())


@pytest.fixture
def zoom_url(zoom: ZoomEmulator) -> Iterator[str]:
    from host.sandbox.runner import ServerThread

    with ServerThread(zoom, name="zoom") as server:
        yield server.url


@pytest.fixture
def testmail() -> TestMailEmulator:
    """The TestMail emulator for the mail and calendar side (a conftest overrides it for its own mails and events)."""
    from testprovider.emulator import TestMailEmulator

    from host.sandbox.service import SandboxOptions

    return TestMailEmulator(SandboxOptions(messages=5, events=10))


@pytest.fixture
def testmail_url(testmail: TestMailEmulator) -> Iterator[str]:
    from host.sandbox.runner import ServerThread

    with ServerThread(testmail, name="testmail") as server:
        yield server.url


@pytest.fixture
def secrets() -> MemorySecretStore:
    """The one secret store: the mail account's sign-in and the Zoom sign-in side by side."""
    from host.secrets import MemorySecretStore

    return MemorySecretStore()


@pytest.fixture
def zoom_user() -> str:
    """Who signs in to Zoom (a test overrides it, e.g. for a user without Zoom Phone)."""
    return ALEX


@pytest_asyncio.fixture
async def zoom_signed_in(zoom_url: str, secrets: MemorySecretStore, zoom_user: str) -> None:
    """``zoom_user`` signed in to Zoom through the emulator's real PKCE flow, the tokens in ``secrets``."""
    from host.auth import headless_browser
    from zoom_workplace.session import sign_in

    await sign_in(secrets, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=zoom_user, timeout=20)


@pytest_asyncio.fixture
async def session(
    host: Host, secrets: MemorySecretStore, testmail_url: str, zoom_signed_in: None
) -> AsyncIterator[AccountSession]:
    """The TestMail account added to the plugin's ``host`` and opened, its calendars loaded; Zoom signed in."""
    from host.accounts import Accounts
    from host.auth import headless_browser

    accounts = Accounts(host, secrets)
    await accounts.add("testmail", sandbox_url=testmail_url, open_browser=headless_browser, timeout=20)
    opened = await accounts.open()
    await opened.require_calendars().load()
    yield opened
    await opened.aclose()


@pytest.fixture
def open_main_window(qtbot: Any, loop: LoopThread, testmail_url: str, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Open the desktop's main window: ``open_main_window(host, secrets=None, size=(1400, 900))`` signs in to
    TestMail (into ``secrets``, a fresh store when None) and returns the window at once (the caller waits for
    what it needs loaded). Every window is closed after the test."""
    from testprovider import names

    from host.secrets import MemorySecretStore
    from host.sync import SyncSettings
    from host.ui.app import open_window
    from host.ui.qt import QSettings

    windows: list[Any] = []

    def open_for(host: Host, secrets: MemorySecretStore | None = None, size: tuple[int, int] = (1400, 900)) -> Any:
        window = open_window(
            host,
            MemorySecretStore() if secrets is None else secrets,
            loop=loop,
            settings=QSettings(str(tmp_path / f"layout{len(windows)}.ini"), QSettings.Format.IniFormat),
            sync_settings=SyncSettings(undo_delay=dt.timedelta(seconds=30), poll_interval=3600),
            sandbox_urls={names.ACCOUNT_TYPE: testmail_url},
            sign_in=names.ACCOUNT_TYPE,
        )
        windows.append(window)
        qtbot.addWidget(window)
        window.resize(*size)
        return window

    yield open_for
    for window in windows:
        window.close()
    # The shell's "mail changed" timer (250 ms) may still run after close: let it fire while the window lives.
    qtbot.wait(300)


@pytest.fixture
def zoomclient(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed CLI as a fresh process: ``zoomclient(*args, ok=True, plugins=None)``, with its own data
    dir and vault, TestMail importable, and only the plugins named in ``plugins`` (by default the test module's
    ``PLUGINS``, comma-separated distribution names) loaded. ``ok`` says whether it must succeed or fail."""
    testprovider = testprovider_dir(request.config.rootpath)
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ZOOMCLIENT_")},
        "PYTHONPATH": os.pathsep.join([str(testprovider / "site"), str(testprovider)]),
        "ZOOMCLIENT_DATA_DIR": str(tmp_path / "data"),
        "ZOOMCLIENT_PASSPHRASE": "a passphrase for the vault",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    default_plugins: str = request.module.PLUGINS

    def run(*args: str, ok: bool = True, plugins: str | None = None) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(ZOOMCLIENT), *args],
            env={**environment, "ZOOMCLIENT_LOAD_PLUGINS": default_plugins if plugins is None else plugins},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if ok:
            assert done.returncode == 0, f"zoomclient {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        else:
            assert done.returncode != 0, f"zoomclient {' '.join(args)} should have failed:\n{done.stdout}"
        return done

    return run

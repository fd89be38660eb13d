"""The Zoom emulator on 127.0.0.1, a secret store, and sign-ins against the emulator; the TestMail
emulator for a mail account beside the Zoom sign-in, and the Zoom Mail emulator (whose origin also
serves the Zoom platform) for a Zoom Mail user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest

from host.auth import headless_browser
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from zoom_workplace.client import ZoomClient
from zoom_workplace.emulator.app import ZoomEmulator
from zoom_workplace.session import ZoomSignIn, open_client, sign_in

ALEX = "alex.morgan@example.com"


@pytest.fixture
def emulator(zoom: ZoomEmulator) -> ZoomEmulator:
    """The Zoom emulator of :mod:`zoom_workplace.testing` (served at its ``zoom_url``), as these tests name it."""
    return zoom


@pytest.fixture
def store() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
def zoom_sign_in(zoom_url: str) -> Callable[..., Awaitable[ZoomSignIn]]:
    """``await zoom_sign_in(email, store)``: a real PKCE sign-in against the emulator as ``email``."""

    async def run(email: str, store: MemorySecretStore) -> ZoomSignIn:
        return await sign_in(store, sandbox_url=zoom_url, open_browser=headless_browser, login_hint=email, timeout=20)

    return run


@pytest.fixture
async def client(zoom_sign_in, store: MemorySecretStore) -> AsyncIterator[ZoomClient]:
    """Alex's Zoom client."""
    await zoom_sign_in(ALEX, store)
    zoom = open_client(store)
    yield zoom
    await zoom.aclose()


@pytest.fixture
def testmail_url() -> Iterator[str]:
    from testprovider.emulator import TestMailEmulator

    with ServerThread(TestMailEmulator(SandboxOptions(messages=20, events=5)), name="testmail") as server:
        yield server.url


@pytest.fixture
def zoommail():
    """The Zoom Mail emulator, unmetered (metering is the provider's tests' business)."""
    from provider_zoommail.emulator import create_app

    emulator = create_app(SandboxOptions(messages=5, events=10))
    emulator.faults.set_quota(None)
    return emulator


@pytest.fixture
def zoommail_url(zoommail) -> Iterator[str]:
    with ServerThread(zoommail, name="zoommail") as server:
        yield server.url

"""An in-process host with the TestMail provider, its emulator on 127.0.0.1, and an account manager."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from testprovider import plugin as testmail_plugin
from testprovider.emulator import TestMailEmulator

from host.accounts import Accounts
from host.app import Host
from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore, SecretStore, VaultSecretStore


@pytest.fixture
def emulator() -> TestMailEmulator:
    return TestMailEmulator(SandboxOptions(messages=40, events=20))


@pytest.fixture
def server(emulator: TestMailEmulator) -> Iterator[ServerThread]:
    with ServerThread(emulator, name="testmail") as running:
        yield running


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(params=["memory", "vault"])
def secrets(request: pytest.FixtureRequest, data_dir: Path) -> SecretStore:
    """Both places secrets live: the keyring (as memory) and the passphrase vault under the data dir."""
    if request.param == "memory":
        return MemorySecretStore()
    return VaultSecretStore(data_dir / "secrets.vault", "correct horse battery staple", scrypt_n=2**10)


@pytest.fixture
def host(make_host, data_dir: Path) -> Host:
    built: Host = make_host(testmail_plugin)
    built.data_dir = data_dir
    return built


@pytest.fixture
def accounts(host: Host, secrets: SecretStore) -> Accounts:
    return Accounts(host, secrets)

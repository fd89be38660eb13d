"""The host's provider contract kit against the Google emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.testing.contract import ContractTarget, ProviderContract
from provider_gmail import plugin
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.emulator.control import GoogleControl


class TestGmailContract(ProviderContract):
    @pytest.fixture
    def contract_target(self) -> Iterator[ContractTarget]:
        emulator = GoogleEmulator(SandboxOptions(messages=40, events=20, seed=5))
        with ServerThread(emulator, name="gmail") as server:
            yield ContractTarget(plugin, "gmail", server.url, GoogleControl(emulator))

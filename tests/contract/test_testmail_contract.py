"""The provider contract kit run against TestMail, its first user."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from testprovider import names, plugin
from testprovider.control import TestMailControl
from testprovider.emulator import TestMailEmulator

from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.testing.contract import ContractTarget, ProviderContract


class TestTestMailContract(ProviderContract):
    @pytest.fixture
    def contract_target(self) -> Iterator[ContractTarget]:
        emulator = TestMailEmulator(SandboxOptions(messages=40, events=20))
        with ServerThread(emulator, name="testmail") as server:
            yield ContractTarget(plugin, names.ACCOUNT_TYPE, server.url, TestMailControl(emulator))

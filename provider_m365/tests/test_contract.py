"""The host's provider contract kit against the Graph emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.testing.contract import ContractTarget, ProviderContract
from provider_m365 import plugin
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.control import GraphControl


class TestM365Contract(ProviderContract):
    @pytest.fixture
    def contract_target(self) -> Iterator[ContractTarget]:
        emulator = GraphEmulator(SandboxOptions(messages=40, events=20, seed=5))
        with ServerThread(emulator, name="m365") as server:
            yield ContractTarget(plugin, "m365", server.url, GraphControl(emulator))

"""The host's provider contract kit against the Zoom emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from host.sandbox.runner import ServerThread
from host.sandbox.service import SandboxOptions
from host.testing.contract import ContractTarget, ProviderContract
from provider_zoommail import plugin
from provider_zoommail.emulator import ZoomEmulator
from provider_zoommail.emulator.control import ZoomControl


class TestZoomMailContract(ProviderContract):
    @pytest.fixture
    def contract_target(self) -> Iterator[ContractTarget]:
        # Zoom's rate limits stay on: the kit runs inside them as the host does against Zoom.
        emulator = ZoomEmulator(SandboxOptions(messages=40, events=20, seed=5))
        with ServerThread(emulator, name="zoommail") as server:
            yield ContractTarget(plugin, "zoommail", server.url, ZoomControl(emulator))

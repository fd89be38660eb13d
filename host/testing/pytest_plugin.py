"""The pytest plugin zoomclient installs: fixtures for building hosts in-process and running the core's loop.

Kept light: pytest loads it in every run of every distribution's tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from host.app import Host
    from host.policy import AdminPolicy
    from host.ui.loop import LoopThread


@pytest.fixture
def make_host(tmp_path: Path) -> Iterable[Callable[..., Host]]:
    """Build hosts from plugin objects in-process (no entry points); stopped after the test.

    ``make_host(plugin_module, ("name", obj), trusted=["name"], start=False, policy=AdminPolicy(...),
    include_defaults=False)`` returns a host of exactly these plugins (plus the host's own unless
    ``include_defaults`` is False), started unless ``start=False``, whose data dir is under tmp_path.
    """
    from host.app import Host

    hosts: list[Host] = []

    def build(
        *plugins: object,
        trusted: Iterable[str] = (),
        start: bool = True,
        policy: AdminPolicy | None = None,
        include_defaults: bool = True,
    ) -> Host:
        host = Host.from_plugins(
            plugins,
            trusted=trusted,
            policy=policy,
            include_defaults=include_defaults,
            data_dir=tmp_path / f"data{len(hosts)}",
        )
        hosts.append(host)
        if start:
            host.start()
        return host

    yield build
    for host in hosts:
        host.stop()


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    """The core's asyncio loop on its own thread, as the desktop app runs it; stopped after the test."""
    from host.ui.loop import LoopThread

    thread = LoopThread().start()
    yield thread
    thread.stop()

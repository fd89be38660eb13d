"""How a plugin declares its API emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs


@attrs.frozen
class SandboxOptions:
    """How to seed and disturb an emulator: ``faults`` is the toolkit's fault spec string."""

    messages: int = 500
    events: int = 200
    faults: str = ""
    seed: int = 1
    unattended_consent: bool = True


@attrs.frozen
class SandboxService:
    """An emulator a plugin ships: ``create_app(options)`` returns an ASGI app.

    ``account_type`` names the account type it emulates (None for platform services such as the
    Zoom API that are not a mail account).
    """

    name: str
    create_app: Callable[[SandboxOptions], Any]
    account_type: str | None = None

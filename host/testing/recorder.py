"""A pass-through that counts which provider methods were called.

The contract kit needs to tell an incremental sync from a full listing that happens to end in the
same state (a provider whose ``changes`` always failed would otherwise go unnoticed, since the host
falls back to listing everything). Every call still reaches the real provider.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any


class CallRecorder:
    """Stands in for ``target``: its async methods are counted in :attr:`calls`, everything is passed on."""

    def __init__(self, target: Any) -> None:
        self._target = target
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not inspect.iscoroutinefunction(value):
            return value

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await value(*args, **kwargs)

        return call

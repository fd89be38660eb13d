"""Package exports that are imported on first use (PEP 562).

Every plugin imports ``host.model`` and ``host.providers`` at load time, for a name or two; importing
every submodule then (each builds many attrs classes) cost ``zoomclient plugins`` a sixth of its
start-up. A package lists its exports by submodule and hands out :func:`lazy_exports`' ``__getattr__``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, Sequence[str]]) -> tuple[Callable[[str], Any], list[str]]:
    """A module ``__getattr__`` for ``package`` that imports ``modules``' names on first use, and ``__all__``.

    ``modules`` maps a submodule's name to the names it exports.
    """
    where = {name: f"{package}.{module}" for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # found without this function from now on
        return value

    return __getattr__, sorted(where)

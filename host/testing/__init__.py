"""Testing support for zoomclient and its plugins: fixtures and the provider contract kit.

Loaded by pytest through the ``pytest11`` entry point, so every distribution's tests get the fixtures
without importing anything.
"""

from typing import Any

__all__ = ["ScriptedActionUI"]


def __getattr__(name: str) -> Any:
    # Imported on first use: pytest loads this package in every run, and the domain model is not light.
    if name == "ScriptedActionUI":
        from host.testing.scripted_ui import ScriptedActionUI

        return ScriptedActionUI
    raise AttributeError(name)

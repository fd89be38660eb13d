"""Fixtures of the secret-store tests: no passphrase leaks in from the environment."""

from __future__ import annotations

import pytest

from host.secrets.choose import PASSPHRASE_ENV


@pytest.fixture(autouse=True)
def no_passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)

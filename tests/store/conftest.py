"""Fixtures for the mail store's tests: a real SQLCipher file in a temporary directory."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from host.store import MailStore, new_key

sys.path.insert(0, str(Path(__file__).parent))

from store_helpers import FOLDERS


@pytest.fixture
def key() -> bytes:
    return new_key()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "account" / "mail.db"


@pytest.fixture
def store(db_path: Path, key: bytes) -> Iterator[MailStore]:
    store = MailStore.open(db_path, key)
    store.replace_folders(FOLDERS)
    yield store
    store.close()

"""An account's token and database key in a secret store, and their removal at sign-out."""

from __future__ import annotations

import pytest

from host.errors import SecretStoreError
from host.model.account import Account
from host.secrets import (
    MemorySecretStore,
    VaultSecretStore,
    db_key,
    delete_account_secrets,
    load_token,
    save_token,
)

ADA = Account("Ada@Example.com", "gmail")
GRACE = Account("grace@example.com", "gmail")


def test_tokens_round_trip_under_the_account_key():
    store = MemorySecretStore()
    token = {"access_token": "a", "refresh_token": "r", "expires_at": 1_800_000_000, "scope": "x y"}
    save_token(store, ADA, token)
    assert load_token(store, ADA) == token
    assert load_token(store, GRACE) is None
    assert list(store.secrets) == ["gmail:ada@example.com/oauth-token"]


def test_the_database_key_is_made_once_and_kept():
    store = MemorySecretStore()
    key = db_key(store, ADA, create=True)
    assert len(key) == 32
    assert db_key(store, ADA) == key
    assert db_key(store, ADA, create=True) == key
    assert db_key(store, GRACE, create=True) != key
    assert store.secrets["gmail:ada@example.com/db-key"] == key.hex()


def test_a_missing_database_key_is_not_made_up():
    with pytest.raises(SecretStoreError, match=r"key of Ada@Example\.com's mail database is missing") as caught:
        db_key(MemorySecretStore(), ADA)
    assert "Sign out" in caught.value.hint


def test_sign_out_forgets_every_secret_of_the_account_only():
    store = MemorySecretStore()
    for account in (ADA, GRACE):
        save_token(store, account, {"access_token": account.email})
        db_key(store, account, create=True)
    delete_account_secrets(store, ADA)
    assert load_token(store, ADA) is None
    with pytest.raises(SecretStoreError):
        db_key(store, ADA)
    assert load_token(store, GRACE) == {"access_token": "grace@example.com"}


def test_sign_out_of_the_only_account_leaves_no_vault_file(tmp_path):
    path = tmp_path / "secrets.vault"
    store = VaultSecretStore(path, "passphrase", scrypt_n=2**14)
    save_token(store, ADA, {"access_token": "a", "refresh_token": "r"})
    key = db_key(store, ADA, create=True)
    assert key.hex().encode() not in path.read_bytes()
    delete_account_secrets(store, ADA)
    assert list(tmp_path.iterdir()) == []

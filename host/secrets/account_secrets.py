"""An account's secrets: its OAuth token and its database key, filed under the account's key."""

from __future__ import annotations

import json
import secrets
from typing import Any

from host.errors import SecretStoreError
from host.model.account import Account
from host.secrets.store import SecretStore

DB_KEY_BYTES = 32


def token_name(account: Account) -> str:
    return f"{account.key}/oauth-token"


def db_key_name(account: Account) -> str:
    return f"{account.key}/db-key"


def save_token(store: SecretStore, account: Account, token: dict[str, Any]) -> None:
    """Save the token response (access and refresh token, ``expires_at``, ``scope``) as JSON."""
    store.set(token_name(account), json.dumps(dict(token), sort_keys=True))


def load_token(store: SecretStore, account: Account) -> dict[str, Any] | None:
    raw = store.get(token_name(account))
    if raw is None:
        return None
    token: dict[str, Any] = json.loads(raw)
    return token


def db_key(store: SecretStore, account: Account, *, create: bool = False) -> bytes:
    """The raw 32-byte key of the account's database; ``create`` makes one when there is none."""
    raw = store.get(db_key_name(account))
    if raw is None:
        if not create:
            raise SecretStoreError(
                f"The key of {account.email}'s mail database is missing from the secret store.",
                hint="Sign out of the account and sign in again; mail is downloaded anew.",
            )
        key = secrets.token_bytes(DB_KEY_BYTES)
        store.set(db_key_name(account), key.hex())
        return key
    return bytes.fromhex(raw)


def delete_account_secrets(store: SecretStore, account: Account) -> None:
    """Forget every secret of ``account`` (sign-out)."""
    store.delete(token_name(account))
    store.delete(db_key_name(account))

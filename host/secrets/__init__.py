"""Secrets: OAuth tokens and database keys, in the OS keyring or a passphrase vault, never in plain text.

:func:`open_secret_store` picks the backend; the helpers in :mod:`host.secrets.account_secrets` file
an account's token and database key under names derived from :attr:`Account.key`.
"""

from host.secrets.account_secrets import (
    db_key,
    delete_account_secrets,
    load_token,
    save_token,
)
from host.secrets.choose import PASSPHRASE_ENV, AskPassphrase, open_secret_store
from host.secrets.keyring_store import KeyringSecretStore
from host.secrets.store import MemorySecretStore, SecretStore
from host.secrets.vault import VaultSecretStore

__all__ = [
    "PASSPHRASE_ENV",
    "AskPassphrase",
    "KeyringSecretStore",
    "MemorySecretStore",
    "SecretStore",
    "VaultSecretStore",
    "db_key",
    "delete_account_secrets",
    "load_token",
    "open_secret_store",
    "save_token",
]

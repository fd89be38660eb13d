"""Choosing where secrets live: the OS keyring where one works, else the passphrase vault."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import keyring
from keyring.backend import KeyringBackend

from host.errors import SecretStoreError
from host.secrets.keyring_store import KeyringSecretStore, usable
from host.secrets.store import SecretStore
from host.secrets.vault import VaultSecretStore

PASSPHRASE_ENV = "ZOOMCLIENT_PASSPHRASE"
VAULT_FILE = "secrets.vault"


class AskPassphrase(Protocol):
    """Asks the user for the vault passphrase; ``new`` is True when the vault is about to be created
    (the UI then asks twice). Returns the passphrase, or raises to cancel."""

    def __call__(self, *, new: bool) -> str: ...


def open_secret_store(
    data_dir: Path,
    *,
    ask_passphrase: AskPassphrase | None = None,
    backend: KeyringBackend | None = None,
) -> SecretStore:
    """The OS keyring when it works, else the vault ``data_dir/secrets.vault``.

    The vault's passphrase comes from ``$ZOOMCLIENT_PASSPHRASE`` (unattended runs) or from
    ``ask_passphrase``; with neither this raises SecretStoreError rather than keep a secret in plain
    text (promise 7). ``backend`` replaces keyring's own choice (tests pass fail or fake backends).
    """
    backend = backend if backend is not None else keyring.get_keyring()
    if usable(backend):
        return KeyringSecretStore(backend)
    path = data_dir / VAULT_FILE
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase and ask_passphrase is not None:
        passphrase = ask_passphrase(new=not path.exists())
    if not passphrase:
        raise SecretStoreError(
            "There is no system keyring to keep your sign-in secret, and no passphrase for a vault.",
            hint=(
                f"Set {PASSPHRASE_ENV} to a passphrase for an encrypted vault, "
                "or run the desktop app, which asks for one."
            ),
        )
    return VaultSecretStore(path, passphrase)

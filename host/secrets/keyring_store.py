"""Secrets in the operating system's keyring (macOS Keychain, Windows Credential Locker, Secret Service)."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from host.errors import SecretStoreError

#: The keyring "service" under which every zoomclient secret is filed.
SERVICE = "zoomclient"


def usable(backend: KeyringBackend) -> bool:
    """Whether ``backend`` can hold secrets safely.

    keyring marks the backends it recommends with a priority of 1 or more; below that are its
    fail and null backends and plain-text ones (keyrings.alt), none of which may hold a token.
    A read tells whether a recommended backend works at all on this session (a headless Linux
    has Secret Service installed but no D-Bus session to reach it).
    """
    if backend.priority < 1:
        return False
    try:
        backend.get_password(SERVICE, "probe")
    except Exception:  # a broken backend fails in its own ways (D-Bus errors, a locked collection)
        return False
    return True


class KeyringSecretStore:
    """A :class:`~host.secrets.SecretStore` over a keyring backend."""

    def __init__(self, backend: KeyringBackend) -> None:
        self.backend = backend

    def get(self, name: str) -> str | None:
        try:
            return self.backend.get_password(SERVICE, name)
        except KeyringError as error:
            raise _failed("read", name, error) from error

    def set(self, name: str, value: str) -> None:
        try:
            self.backend.set_password(SERVICE, name, value)
        except KeyringError as error:
            raise _failed("save", name, error) from error

    def delete(self, name: str) -> None:
        try:
            self.backend.delete_password(SERVICE, name)
        except PasswordDeleteError:
            pass  # not there: nothing to forget
        except KeyringError as error:
            raise _failed("delete", name, error) from error


def _failed(action: str, name: str, error: Exception) -> SecretStoreError:
    return SecretStoreError(
        f"The system keyring could not {action} the secret {name!r}: {error}.",
        hint="Unlock the keyring (your login keychain or wallet) and try again.",
    )

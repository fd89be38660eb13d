"""Choosing the backend: keyring where one works, else a vault, never plain text.

The fake keyring backends are duck-typed rather than subclasses of ``keyring.backend.KeyringBackend``,
whose metaclass would register them for keyring's own choice of backend in the rest of the session.
"""

from __future__ import annotations

import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError

from host.errors import SecretStoreError
from host.secrets import KeyringSecretStore, VaultSecretStore, open_secret_store
from host.secrets.choose import PASSPHRASE_ENV, VAULT_FILE


class DictKeyring:
    """A working, recommended backend (priority 5, as Secret Service or the macOS Keychain)."""

    priority = 5

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(DictKeyring):
    """Recommended but unreachable: a headless session whose Secret Service cannot be unlocked."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")


class PlaintextKeyring(DictKeyring):
    """A backend keyring does not recommend (keyrings.alt's plain-text file has priority 0.5)."""

    priority = 0.5


@pytest.fixture
def dict_keyring() -> DictKeyring:
    return DictKeyring()


def test_a_working_keyring_is_used(tmp_path, dict_keyring):
    store = open_secret_store(tmp_path, backend=dict_keyring)
    assert isinstance(store, KeyringSecretStore)
    store.set("gmail:ada@example.com/oauth-token", "secret")
    assert dict_keyring.passwords == {("zoomclient", "gmail:ada@example.com/oauth-token"): "secret"}
    assert store.get("gmail:ada@example.com/oauth-token") == "secret"
    store.delete("gmail:ada@example.com/oauth-token")
    store.delete("gmail:ada@example.com/oauth-token")  # deleting what is gone is no error
    assert store.get("gmail:ada@example.com/oauth-token") is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), LockedKeyring(), PlaintextKeyring()])
def test_no_keyring_and_no_passphrase_refuses(tmp_path, backend):
    with pytest.raises(SecretStoreError, match="no system keyring") as caught:
        open_secret_store(tmp_path, backend=backend)
    assert PASSPHRASE_ENV in caught.value.hint
    assert list(tmp_path.iterdir()) == []
    assert not getattr(backend, "passwords", {})


@pytest.mark.parametrize("backend", [fail.Keyring(), LockedKeyring(), PlaintextKeyring()])
def test_without_a_keyring_the_passphrase_from_the_environment_opens_a_vault(tmp_path, monkeypatch, backend):
    monkeypatch.setenv(PASSPHRASE_ENV, "from the environment")
    store = open_secret_store(tmp_path, backend=backend)
    assert isinstance(store, VaultSecretStore)
    store.set("name", "value")
    assert (tmp_path / VAULT_FILE).exists()
    assert not getattr(backend, "passwords", {})


def test_without_a_keyring_the_host_asks_for_the_passphrase(tmp_path):
    asked: list[bool] = []

    def ask(*, new: bool) -> str:
        asked.append(new)
        return "typed by the user"

    open_secret_store(tmp_path, ask_passphrase=ask, backend=fail.Keyring()).set("name", "value")
    store = open_secret_store(tmp_path, ask_passphrase=ask, backend=fail.Keyring())
    assert asked == [True, False]
    assert store.get("name") == "value"


def test_a_wrong_typed_passphrase_is_refused(tmp_path):
    open_secret_store(tmp_path, ask_passphrase=lambda new: "right", backend=fail.Keyring()).set("n", "v")
    with pytest.raises(SecretStoreError, match="passphrase does not open"):
        open_secret_store(tmp_path, ask_passphrase=lambda *, new: "wrong", backend=fail.Keyring())


def test_the_environment_wins_over_asking(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, "env")

    def ask(*, new: bool) -> str:
        raise AssertionError("must not ask when the environment has the passphrase")

    assert isinstance(open_secret_store(tmp_path, ask_passphrase=ask, backend=fail.Keyring()), VaultSecretStore)


def test_keyring_failures_are_secret_store_errors(dict_keyring):
    class Broken(DictKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise PasswordSetError("denied")

    store = KeyringSecretStore(Broken())
    with pytest.raises(SecretStoreError, match="could not save") as caught:
        store.set("name", "value")
    assert "Unlock the keyring" in caught.value.hint

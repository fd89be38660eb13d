"""Asking for the secrets vault's passphrase where the system has no keyring (promise 7)."""

from __future__ import annotations

from host.errors import SecretStoreError
from host.ui.qt import QInputDialog, QLineEdit, QMessageBox


def ask_passphrase(*, new: bool) -> str:
    """A passphrase from the user: asked twice when the vault is about to be made. Cancel raises."""
    title = "zoomclient: secrets vault"
    if not new:
        return _ask(title, "This computer has no keyring. The passphrase of zoomclient's vault:")
    while True:
        first = _ask(
            title,
            "This computer has no keyring, so zoomclient keeps your sign-in in a vault encrypted with a "
            "passphrase. Choose one:",
        )
        if first == _ask(title, "The same passphrase again:"):
            return first
        QMessageBox.warning(None, title, "The two passphrases differ. Choose one again.")


def _ask(title: str, label: str) -> str:
    text, ok = QInputDialog.getText(None, title, label, QLineEdit.EchoMode.Password)
    if not ok or not text:
        raise SecretStoreError("No passphrase was given for the secrets vault.", hint="Start zoomclient again.")
    return str(text)

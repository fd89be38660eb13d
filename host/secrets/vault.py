"""Secrets in a file encrypted with a passphrase, for machines without a working keyring (CI, servers).

The file holds one JSON object: the scrypt parameters and salt, an AES-256-GCM nonce and the
ciphertext of every secret as one JSON object. The header is the cipher's associated data, so a
file whose parameters were tampered with fails to open like one with the wrong passphrase. Each
write goes to a new 0600 file in the same directory that then replaces the vault, so a crash leaves
the old vault or the new one, never half of one. Every read goes back to the file, so two host
processes (the CLI beside the UI) see each other's rotated tokens.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from host.errors import SecretStoreError

FORMAT = "zoomclient-vault"
VERSION = 1
#: scrypt cost: 2**15 x 8 x 128 bytes = 32 MiB and ~0.1 s a derivation (RFC 7914's interactive figure).
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
#: The most a vault file may ask for (1 GiB); a larger figure is a damaged or hostile file.
MAX_SCRYPT_N = 2**20

#: salt, n, r, p
_KdfParams = tuple[bytes, int, int, int]


class VaultSecretStore:
    """A :class:`~host.secrets.SecretStore` in the encrypted file ``path``.

    Raises SecretStoreError at once when the file exists and ``passphrase`` does not open it.
    The file disappears when its last secret is deleted, so a sign-out leaves no file behind.
    """

    def __init__(self, path: Path, passphrase: str, *, scrypt_n: int = SCRYPT_N) -> None:
        if not passphrase:
            raise SecretStoreError("The vault passphrase is empty.", hint="Choose a passphrase that is not empty.")
        self.path = path
        self._passphrase = passphrase.encode()
        self._scrypt_n = scrypt_n
        self._keys: dict[_KdfParams, bytes] = {}
        self._params: _KdfParams | None = None
        self._read()

    def get(self, name: str) -> str | None:
        return self._read().get(name)

    def set(self, name: str, value: str) -> None:
        entries = self._read()
        entries[name] = value
        self._write(entries)

    def delete(self, name: str) -> None:
        entries = self._read()
        if entries.pop(name, None) is None:
            return
        if entries:
            self._write(entries)
        else:
            self.path.unlink(missing_ok=True)

    def _key(self, params: _KdfParams) -> bytes:
        if params not in self._keys:
            salt, n, r, p = params
            self._keys[params] = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(self._passphrase)
        return self._keys[params]

    def _read(self) -> dict[str, str]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._params = None
            return {}
        try:
            document = json.loads(raw)
            header = document["header"]
            kdf = header["kdf"]
            params = (base64.b64decode(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
            nonce = base64.b64decode(document["nonce"])
            ciphertext = base64.b64decode(document["ciphertext"])
            if header.get("format") != FORMAT or header.get("version") != VERSION or not 2 <= params[1] <= MAX_SCRYPT_N:
                raise ValueError("unknown format")
        except (ValueError, KeyError, TypeError) as error:
            raise SecretStoreError(
                f"The secret vault {self.path} is damaged or not a zoomclient vault ({error}).",
                hint=f"Delete {self.path} and sign in again.",
            ) from error
        try:
            plaintext = AESGCM(self._key(params)).decrypt(nonce, ciphertext, _aad(header))
        except InvalidTag:
            raise SecretStoreError(
                f"The passphrase does not open the secret vault {self.path}.",
                hint=(
                    "Type the passphrase you chose for it (or set ZOOMCLIENT_PASSPHRASE to it). "
                    f"If it is lost, delete {self.path} and sign in again."
                ),
            ) from None
        self._params = params
        entries: dict[str, str] = json.loads(plaintext)
        return entries

    def _write(self, entries: dict[str, str]) -> None:
        # The salt stays for the life of the vault so that a write costs no derivation; a random
        # 96-bit nonce per write is safe for far more writes than a vault sees (NIST SP 800-38D).
        params = self._params or (secrets.token_bytes(16), self._scrypt_n, SCRYPT_R, SCRYPT_P)
        salt, n, r, p = params
        header = {
            "format": FORMAT,
            "version": VERSION,
            "kdf": {"name": "scrypt", "salt": base64.b64encode(salt).decode(), "n": n, "r": r, "p": p},
        }
        nonce = secrets.token_bytes(12)
        ciphertext = AESGCM(self._key(params)).encrypt(nonce, json.dumps(entries).encode(), _aad(header))
        document = {
            "header": header,
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(ciphertext).decode(),
        }
        _write_private(self.path, json.dumps(document, indent=1).encode())
        self._params = params


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def _write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, readable by this user alone."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

"""The passphrase vault: round trips, wrong passphrases, damage, and nothing readable on disk."""

from __future__ import annotations

import base64
import json
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from host.errors import SecretStoreError
from host.secrets import VaultSecretStore

TOKEN = '{"access_token": "ya29.PLAINTEXT-ACCESS-MARKER", "refresh_token": "1//PLAINTEXT-REFRESH-MARKER"}'


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "secrets.vault"


def test_round_trip_across_opens(path):
    vault = VaultSecretStore(path, "correct horse battery staple")
    assert vault.get("gmail:ada@example.com/oauth-token") is None
    vault.set("gmail:ada@example.com/oauth-token", TOKEN)
    vault.set("gmail:ada@example.com/db-key", "00" * 32)
    vault.set("gmail:ada@example.com/db-key", "ff" * 32)
    reopened = VaultSecretStore(path, "correct horse battery staple")
    assert reopened.get("gmail:ada@example.com/oauth-token") == TOKEN
    assert reopened.get("gmail:ada@example.com/db-key") == "ff" * 32


def test_the_file_holds_no_secret_in_plain_text_and_is_private(path):
    vault = VaultSecretStore(path, "correct horse battery staple")
    vault.set("gmail:ada@example.com/oauth-token", TOKEN)
    raw = path.read_bytes()
    for marker in (b"PLAINTEXT-ACCESS-MARKER", b"PLAINTEXT-REFRESH-MARKER", b"ada@example.com", b"oauth-token"):
        assert marker not in raw
        assert base64.b64encode(marker)[:12] not in raw
    assert b"correct horse" not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secrets.vault"]  # no temporary file left behind


def test_a_wrong_passphrase_is_a_clear_error(path):
    VaultSecretStore(path, "right").set("name", "value")
    with pytest.raises(SecretStoreError, match="passphrase does not open") as caught:
        VaultSecretStore(path, "wrong")
    assert "ZOOMCLIENT_PASSPHRASE" in caught.value.hint
    assert str(path) in caught.value.hint


def test_an_empty_passphrase_is_refused(path):
    with pytest.raises(SecretStoreError, match="empty"):
        VaultSecretStore(path, "")


def test_tampered_parameters_fail_like_a_wrong_passphrase(path):
    vault = VaultSecretStore(path, "right", scrypt_n=2**14)
    vault.set("name", "value")
    document = json.loads(path.read_bytes())
    document["header"]["kdf"]["n"] = 2**15
    path.write_text(json.dumps(document))
    with pytest.raises(SecretStoreError, match="passphrase does not open"):
        VaultSecretStore(path, "right")


@pytest.mark.parametrize(
    "content",
    [b"not json", b"{}", b'{"header": {"format": "other", "version": 1, "kdf": {}}}', b"[1, 2]"],
)
def test_a_damaged_file_is_a_clear_error(path, content):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(SecretStoreError, match="damaged or not a zoomclient vault"):
        VaultSecretStore(path, "right")


def test_a_hostile_cost_is_refused_before_deriving(path):
    vault = VaultSecretStore(path, "right", scrypt_n=2**14)
    vault.set("name", "value")
    document = json.loads(path.read_bytes())
    document["header"]["kdf"]["n"] = 2**30
    path.write_text(json.dumps(document))
    with pytest.raises(SecretStoreError, match="damaged"):
        VaultSecretStore(path, "right")


def test_deleting_the_last_secret_removes_the_file(path):
    vault = VaultSecretStore(path, "right")
    vault.set("a", "1")
    vault.set("b", "2")
    vault.delete("a")
    vault.delete("missing")
    assert VaultSecretStore(path, "right").get("b") == "2"
    vault.delete("b")
    assert not path.exists()
    assert vault.get("b") is None


def test_two_handles_see_each_others_writes(path):
    ui = VaultSecretStore(path, "right")
    cli = VaultSecretStore(path, "right")
    ui.set("token", "first")
    cli.set("token", "rotated")
    assert ui.get("token") == "rotated"
    ui.set("other", "x")
    assert cli.get("token") == "rotated"


@settings(max_examples=25, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=40),
        st.text(max_size=200),
        max_size=8,
    )
)
def test_any_secrets_round_trip(entries):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "secrets.vault"
        vault = VaultSecretStore(path, "pass", scrypt_n=2**10)
        for name, value in entries.items():
            vault.set(name, value)
        reopened = VaultSecretStore(path, "pass")
        assert {name: reopened.get(name) for name in entries} == entries
        for name in entries:
            reopened.delete(name)
        assert not path.exists()

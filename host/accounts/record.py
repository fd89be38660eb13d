"""The record of which account is signed in, kept in the secret store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from host.model.account import Account, Feature
from host.secrets import SecretStore

RECORD_NAME = "zoomclient/signed-in-account"


def save_record(store: SecretStore, account: Account) -> None:
    store.set(
        RECORD_NAME,
        json.dumps(
            {
                "email": account.email,
                "account_type": account.account_type,
                "display_name": account.display_name,
                "features": sorted(f.value for f in account.features),
                "granted_scopes": list(account.granted_scopes),
                "sandbox_url": account.sandbox_url,
            }
        ),
    )


def load_record(store: SecretStore) -> Account | None:
    raw = store.get(RECORD_NAME)
    if raw is None:
        return None
    data = json.loads(raw)
    return Account(
        email=data["email"],
        account_type=data["account_type"],
        display_name=data.get("display_name", ""),
        features=frozenset(Feature(f) for f in data["features"]),
        granted_scopes=tuple(data.get("granted_scopes", ())),
        sandbox_url=data.get("sandbox_url"),
    )


def delete_record(store: SecretStore) -> None:
    store.delete(RECORD_NAME)


def database_path(data_dir: Path, account: Account) -> Path:
    """The account's mail database. Named by a hash so that not even the address shows in the file name."""
    digest = hashlib.sha256(account.key.encode()).hexdigest()[:24]
    return data_dir / "mail" / f"{digest}.db"

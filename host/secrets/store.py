"""Where secrets live: the protocol every backend keeps, and the in-memory backend tests use."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class SecretStore(Protocol):
    """Named secrets (OAuth tokens, database keys) as strings.

    Names are the host's own (``"gmail:ada@example.com/oauth-token"``); a backend never lists them, so
    whoever saves a secret also knows its name to delete it.
    """

    def get(self, name: str) -> str | None:
        """The secret, or None when there is none under ``name``."""

    def set(self, name: str, value: str) -> None:
        """Save ``value`` under ``name``, replacing what was there."""

    def delete(self, name: str) -> None:
        """Forget ``name``; nothing happens when it is not there."""


class MemorySecretStore:
    """Secrets in a dict, gone with the process: for tests and throwaway sandbox runs."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.secrets.get(name)

    def set(self, name: str, value: str) -> None:
        self.secrets[name] = value

    def delete(self, name: str) -> None:
        self.secrets.pop(name, None)

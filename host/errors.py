"""The errors the core raises: each says what happened and, in ``hint``, what the user can do."""

from __future__ import annotations


class ZoomclientError(Exception):
    """Base of every error the host reports to a user.

    ``hint`` is the sentence that tells the user what to do next; the UI and the CLI show it
    under the message.
    """

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} {self.hint}" if self.hint else message


class UsageError(ZoomclientError):
    """The user asked for something that cannot be done as asked (an unknown plugin name, say)."""


class PluginError(ZoomclientError):
    """A plugin could not be loaded or used."""


class NotSupported(ZoomclientError):
    """A provider was asked for a capability it declares it does not have."""

    def __init__(self, provider: str, capability: str) -> None:
        super().__init__(
            f"{provider} does not support {capability}.",
            hint="The host hides this feature for this account.",
        )
        self.provider = provider
        self.capability = capability


class ProviderError(ZoomclientError):
    """A provider's server answered with an error the host cannot work around."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class RateLimited(ProviderError):
    """The server throttled us (HTTP 429 or a quota error); ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float, status: int = 429) -> None:
        super().__init__(message, status=status, hint=f"The host retries in {retry_after:g} s.")
        self.retry_after = retry_after


class TransientError(ProviderError):
    """A 5xx answer or a dropped connection: worth retrying with back-off."""


class CursorExpired(ProviderError):
    """The server no longer knows a sync cursor (Gmail/Zoom 404, Calendar/Graph 410): resync in full."""

    def __init__(self, message: str = "The server no longer knows the sync position.") -> None:
        super().__init__(message, status=410, hint="The host resyncs in full; nothing is lost.")


class AuthError(ZoomclientError):
    """Sign-in failed or a token was refused."""


class SecretStoreError(ZoomclientError):
    """No safe place for secrets (no keyring and no vault passphrase)."""

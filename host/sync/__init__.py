"""The mail sync engine: the provider's mailbox into the encrypted store, and local changes back."""

from host.sync.engine import SyncEngine, SyncSettings
from host.sync.limiter import RetryPolicy
from host.sync.progress import SyncPhase, SyncProgress

__all__ = ["RetryPolicy", "SyncEngine", "SyncPhase", "SyncProgress", "SyncSettings"]

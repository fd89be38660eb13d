"""Where the host keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "ZOOMCLIENT_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``$ZOOMCLIENT_DATA_DIR``, else the platform's user data dir."""
    if override is not None:
        return Path(override)
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_data_dir("zoomclient", appauthor=False))

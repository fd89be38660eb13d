"""``zoomclient demo``: the app signed in to the installed emulators, with seeded data, touching nothing real.

Every emulator runs in-process on 127.0.0.1; the data dir is a temporary folder and the secrets live in
memory, so the user's keyring, mail and settings stay untouched and everything is gone at exit.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from host.errors import UsageError

if TYPE_CHECKING:
    from host.app import Host

#: Tried first when several installed account types have an emulator and a mail provider.
PREFERRED = ("gmail", "m365", "zoommail")


def demo_account_type(host: Host, wanted: str | None = None) -> str:
    """The account type to sign in to: one with an emulator and a mail provider (``wanted`` if given)."""
    registry = host.registry
    emulated = {s.account_type for s in registry.sandbox_services if s.account_type}
    usable = [t.name for t in registry.account_types if t.name in emulated and registry.mail_provider(t.name)]
    if wanted is not None:
        if wanted not in usable:
            raise UsageError(
                f"No installed plugin brings both an emulator and a mail provider for {wanted!r}.",
                hint=f"Choose one of: {', '.join(usable) or 'none installed'}.",
            )
        return wanted
    if not usable:
        raise UsageError(
            "No installed provider plugin brings an emulator with a mail provider, so there is nothing to demo.",
            hint="Install a provider plugin (zoomclient-gmail, say) with `./dev setup`.",
        )
    return next((name for name in PREFERRED if name in usable), usable[0])


def run_demo(host: Host, *, messages: int = 500, events: int = 200, account_type: str | None = None) -> int:
    """Serve every emulator, sign in unattended to one of them, sync, and run the main window."""
    from host.sandbox.runner import serve_services
    from host.sandbox.service import SandboxOptions
    from host.secrets import MemorySecretStore
    from host.ui.app import run
    from host.ui.qt import QSettings

    chosen = demo_account_type(host, account_type)
    with tempfile.TemporaryDirectory(prefix="zoomclient-demo-") as folder:
        host.data_dir = Path(folder) / "data"
        options = SandboxOptions(messages=messages, events=events)
        with serve_services(host.registry.sandbox_services, options) as running:
            # By account type; a platform service by its name (the Zoom sign-in's account type is "zoom").
            urls = {service.provider or service.name: service.url for service in running}
            settings = QSettings(str(Path(folder) / "layout.ini"), QSettings.Format.IniFormat)
            host.start()
            try:
                return run(host, MemorySecretStore(), settings=settings, sandbox_urls=urls, sign_in=chosen)
            finally:
                host.stop()

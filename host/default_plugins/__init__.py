"""The host's own features, registered through the same hooks as any plugin (datasette's habit).

They always load, and ``zoomclient plugins`` lists them only with ``--all``.
"""

from __future__ import annotations

import importlib

from host import __version__
from host.plugins import PluginSource

#: Modules under host.default_plugins, each a plugin of its own.
DEFAULT_PLUGINS = (
    "host.default_plugins.core_commands",
    "host.default_plugins.sandbox_commands",
    "host.default_plugins.account_commands",
    "host.default_plugins.mail_commands",
    "host.default_plugins.calendar_commands",
    "host.default_plugins.demo_command",
    "host.default_plugins.app_command",
)


def default_sources() -> list[PluginSource]:
    return [
        PluginSource(
            name=module,
            version=__version__,
            load=lambda module=module: [importlib.import_module(module)],
            builtin=True,
        )
        for module in DEFAULT_PLUGINS
    ]

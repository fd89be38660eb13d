"""The host: one plugin manager, what the plugins registered, and the lifecycle around them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from host.paths import data_dir as resolve_data_dir
from host.plugins import (
    PluginManager,
    PluginRecord,
    PluginSource,
    PluginStatus,
    discover,
    in_process_sources,
    load_plugins,
    parse_selection,
    select,
    selection_from_environment,
)
from host.policy import AdminPolicy
from host.registry import Registry

log = logging.getLogger(__name__)


class Host:
    """A running zoomclient host.

    Build one with :meth:`from_environment` (what the CLI and the app do) or :meth:`from_plugins`
    (tests: plugin objects in-process, no entry points). The host's own features are plugins too
    (:mod:`host.default_plugins`) and always load.
    """

    def __init__(
        self,
        sources: Sequence[PluginSource],
        *,
        policy: AdminPolicy | None = None,
        data_dir: str | Path | None = None,
        include_defaults: bool = True,
    ) -> None:
        if include_defaults:
            from host.default_plugins import default_sources

            sources = [*default_sources(), *sources]
        loaded = load_plugins(sources, policy=policy)
        self.pm: PluginManager = loaded.pm
        self.registry: Registry = loaded.registry
        self.records: list[PluginRecord] = loaded.records
        self.data_dir: Path = resolve_data_dir(data_dir)
        self.started = False

    @classmethod
    def from_environment(
        cls,
        *,
        load_plugins: str | None = None,
        data_dir: str | Path | None = None,
        policy: AdminPolicy | None = None,
    ) -> Host:
        """Installed plugins, narrowed by ``load_plugins`` (the CLI option) or ``$ZOOMCLIENT_LOAD_PLUGINS``."""
        selection = parse_selection(load_plugins) if load_plugins is not None else selection_from_environment()
        sources = select(discover(), selection)
        return cls(sources, policy=policy if policy is not None else AdminPolicy.load(), data_dir=data_dir)

    @classmethod
    def from_plugins(
        cls,
        plugins: Iterable[object],
        *,
        trusted: Iterable[str] = (),
        data_dir: str | Path | None = None,
        policy: AdminPolicy | None = None,
        include_defaults: bool = True,
    ) -> Host:
        """A host of exactly these plugin objects: modules, instances, or ``(name, object)`` pairs."""
        return cls(
            in_process_sources(plugins, trusted=trusted),
            policy=policy,
            data_dir=data_dir,
            include_defaults=include_defaults,
        )

    # -- what the plugins brought -------------------------------------------------------------------

    def plugin_records(self, *, include_builtin: bool = False) -> list[PluginRecord]:
        return [r for r in self.records if include_builtin or not r.builtin]

    def loaded(self, name: str) -> bool:
        return any(r.name == name and r.status is PluginStatus.LOADED for r in self.records)

    # -- lifecycle -----------------------------------------------------------------------------------

    def notify(self, hook_name: str, **kwargs: Any) -> list[tuple[str, BaseException]]:
        """Call a lifecycle hook on every plugin; an exception in one is logged, reported and skipped."""
        errors: list[tuple[str, BaseException]] = []
        for impl in reversed(getattr(self.pm.hook, hook_name).get_hookimpls()):
            try:
                impl.function(**{name: kwargs[name] for name in impl.argnames})
            except Exception as error:  # one broken plugin must not stop the others
                log.exception("plugin %s failed in %s", impl.plugin_name, hook_name)
                errors.append((impl.plugin_name, error))
        return errors

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.notify("host_started", host=self)

    def stop(self) -> None:
        if self.started:
            self.started = False
            self.notify("host_stopping", host=self)

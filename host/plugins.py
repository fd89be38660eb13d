"""Finding, selecting, loading and judging plugins.

One :class:`PluginManager` per host (pytest's ``get_config()`` pattern), never a module global, so
that tests can build as many hosts as they like with any subset of plugins.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import pluggy

from host import hookspecs
from host.errors import PluginError, UsageError
from host.policy import AdminPolicy, Refusal, check_conferencing
from host.registry import REGISTRATION_HOOKS, Registrations, Registry

ENTRY_POINT_GROUP = "zoomclient"
LOAD_PLUGINS_ENV = "ZOOMCLIENT_LOAD_PLUGINS"


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with zoomclient's hookspecs; one per host."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)


class PluginStatus(enum.Enum):
    LOADED = "loaded"
    REFUSED = "refused"
    FAILED = "failed"


@attrs.define
class PluginRecord:
    """What ``zoomclient plugins`` shows of one plugin."""

    name: str
    version: str | None
    hooks: list[str]
    status: PluginStatus
    reason: str | None = None
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "hooks": self.hooks,
            "status": self.status.value,
            "reason": self.reason,
        }


@attrs.frozen
class PluginSource:
    """Something to load as one plugin: an installed distribution's entry points, or objects in-process.

    ``load`` returns the plugin objects (modules or instances with hook implementations); it may
    raise, and the plugin is then reported as failed. ``trusted`` marks a source whose Zoom
    conferencing the policy accepts.
    """

    name: str
    version: str | None
    load: Callable[[], list[object]]
    trusted: bool = False
    builtin: bool = False


def parse_selection(value: str | None) -> frozenset[str] | None:
    """``None`` (unset) selects every plugin; ``""`` none; ``"a, b"`` those distributions."""
    if value is None:
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def discover() -> list[PluginSource]:
    """Every installed distribution with entry points in the ``zoomclient`` group, one source each."""
    import importlib_metadata

    by_distribution: dict[str, list[Any]] = {}
    versions: dict[str, str | None] = {}
    for entry_point in importlib_metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        name = dist.name if dist is not None else entry_point.name
        # Two copies of a distribution on sys.path list their entry points twice; keep the first.
        if any(ep.name == entry_point.name for ep in by_distribution.get(name, [])):
            continue
        by_distribution.setdefault(name, []).append(entry_point)
        versions[name] = dist.version if dist is not None else None

    from host.policy import TRUSTED_ZOOM_DISTRIBUTIONS

    return [
        PluginSource(
            name=name,
            version=versions[name],
            load=lambda eps=tuple(entry_points): [ep.load() for ep in eps],
            trusted=name in TRUSTED_ZOOM_DISTRIBUTIONS,
        )
        for name, entry_points in sorted(by_distribution.items())
    ]


def select(sources: Sequence[PluginSource], selection: frozenset[str] | None) -> list[PluginSource]:
    """Keep the selected sources; an unknown name is a UsageError that lists what is installed."""
    if selection is None:
        return list(sources)
    known = {source.name for source in sources}
    unknown = sorted(selection - known)
    if unknown:
        installed = ", ".join(sorted(known)) or "none"
        raise UsageError(
            f"Unknown plugin{'s' if len(unknown) > 1 else ''} selected: {', '.join(unknown)}. Installed: {installed}.",
            hint=f"In --load-plugins or {LOAD_PLUGINS_ENV}, use distribution names as `zoomclient plugins` lists them.",
        )
    return [source for source in sources if source.name in selection]


def in_process_sources(plugins: Iterable[object], *, trusted: Iterable[str] = ()) -> list[PluginSource]:
    """Sources for plugin objects given in-process (tests): a module, an object, or ``(name, object)``."""
    trusted = set(trusted)
    sources = []
    for plugin in plugins:
        if isinstance(plugin, tuple):
            name, obj = plugin
        else:
            obj = plugin
            name = getattr(obj, "__name__", None) or type(obj).__name__
        sources.append(PluginSource(name=name, version=None, load=lambda obj=obj: [obj], trusted=name in trusted))
    return sources


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _hook_names(pm: PluginManager, plugin: object) -> list[str]:
    return sorted({caller.name for caller in pm.get_hookcallers(plugin) or []})


def _stage(pm: PluginManager, plugin: object) -> Registrations:
    """Call the registration hooks of one plugin alone and collect what it registers."""
    staged = Registrations()
    for hook_name, kind in REGISTRATION_HOOKS.items():
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            if impl.plugin is plugin:
                # pluggy lets an implementation take fewer arguments than its spec names.
                arguments = {"register": getattr(staged, kind).append}
                impl.function(**{name: arguments[name] for name in impl.argnames})
    return staged


@attrs.define
class LoadedPlugins:
    pm: PluginManager
    registry: Registry
    records: list[PluginRecord]


def load_plugins(sources: Sequence[PluginSource], *, policy: AdminPolicy | None = None) -> LoadedPlugins:
    """Load each source into a fresh manager, judging it before any of its hooks but registration runs.

    A source that fails (on import, an unknown hook, on registration, a name clash) is recorded as
    failed with its error; one the policy refuses as refused with the rule; the others as loaded.
    """
    policy = policy or AdminPolicy()
    pm = PluginManager()
    registry = Registry()
    records: list[PluginRecord] = []

    for source in sources:
        refusal = None if source.builtin else policy.check_plugin(source.name)
        if refusal is not None:
            records.append(PluginRecord(source.name, source.version, [], PluginStatus.REFUSED, str(refusal)))
            continue
        record = _load_one(pm, registry, source)
        records.append(record)
    return LoadedPlugins(pm, registry, records)


def _load_one(pm: PluginManager, registry: Registry, source: PluginSource) -> PluginRecord:
    def record(status: PluginStatus, reason: str | None, hooks: list[str]) -> PluginRecord:
        return PluginRecord(source.name, source.version, hooks, status, reason, builtin=source.builtin)

    try:
        objects = source.load()
    except Exception as error:  # a broken plugin must not take the host down
        return record(PluginStatus.FAILED, f"failed to import: {_error_text(error)}", [])

    registered: list[object] = []
    try:
        for index, obj in enumerate(objects):
            name = source.name if len(objects) == 1 else f"{source.name}:{index}"
            pm.register(obj, name=name)
            registered.append(obj)
        # pytest's trick: an implementation of a hook nobody specified is a typo that fails loudly.
        pm.check_pending()
    except Exception as error:
        for obj in registered:
            pm.unregister(obj)
        return record(PluginStatus.FAILED, f"invalid hooks: {_error_text(error)}", [])

    hooks = sorted({name for obj in registered for name in _hook_names(pm, obj)})
    staged = Registrations()
    try:
        for obj in registered:
            part = _stage(pm, obj)
            for kind in REGISTRATION_HOOKS.values():
                getattr(staged, kind).extend(getattr(part, kind))
        refusal: Refusal | None = check_conferencing(
            staged.conferencing, distribution=source.name, trusted=source.trusted
        )
        if refusal is None:
            registry.add(source.name, staged)
    except Exception as error:
        for obj in registered:
            pm.unregister(obj)
        reason = str(error) if isinstance(error, PluginError) else _error_text(error)
        return record(PluginStatus.FAILED, f"failed to register: {reason}", hooks)

    if refusal is not None:
        for obj in registered:
            pm.unregister(obj)
        return record(PluginStatus.REFUSED, str(refusal), hooks)
    return record(PluginStatus.LOADED, None, hooks)


def selection_from_environment() -> frozenset[str] | None:
    return parse_selection(os.environ.get(LOAD_PLUGINS_ENV))

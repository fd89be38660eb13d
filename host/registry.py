"""What the loaded plugins registered, with who registered each object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from host.errors import PluginError

if TYPE_CHECKING:  # only for annotations: `zoomclient plugins` starts without the domain model
    from host.actions import Action
    from host.conferencing import ConferencingProvider
    from host.providers import AccountType, CalendarProviderFactory, MailProviderFactory
    from host.sandbox.service import SandboxService
    from host.views import View

#: registration hook name -> the Registrations attribute it fills
REGISTRATION_HOOKS: dict[str, str] = {
    "register_account_types": "account_types",
    "register_mail_providers": "mail_providers",
    "register_calendar_providers": "calendar_providers",
    "register_views": "views",
    "register_actions": "actions",
    "register_conferencing": "conferencing",
    "register_sandbox_services": "sandbox_services",
}


@attrs.define
class Registrations:
    """The objects one plugin (or all of them) registered, kind by kind."""

    account_types: list[AccountType] = attrs.field(factory=list)
    mail_providers: list[MailProviderFactory] = attrs.field(factory=list)
    calendar_providers: list[CalendarProviderFactory] = attrs.field(factory=list)
    views: list[View] = attrs.field(factory=list)
    actions: list[Action] = attrs.field(factory=list)
    conferencing: list[ConferencingProvider] = attrs.field(factory=list)
    sandbox_services: list[SandboxService] = attrs.field(factory=list)

    def is_empty(self) -> bool:
        return not any(getattr(self, kind) for kind in REGISTRATION_HOOKS.values())


def _key(kind: str, obj: Any) -> str | None:
    """The name under which an object must be unique, for the kinds where two would clash."""
    match kind:
        case "account_types" | "sandbox_services":
            return str(obj.name)
        case "mail_providers" | "calendar_providers":
            return str(obj.account_type)
        case "views" | "actions":
            return str(obj.id)
    return None


@attrs.define
class Registry(Registrations):
    """Everything the host's loaded plugins registered.

    ``origin`` maps ``(kind, key)`` to the plugin that registered it, so that a clash names both
    plugins and ``zoomclient plugins`` can say who brings what.
    """

    origin: dict[tuple[str, str], str] = attrs.field(factory=dict)

    def check_clashes(self, plugin: str, staged: Registrations) -> None:
        """Raise PluginError when ``staged`` registers a name another plugin already has."""
        for kind in REGISTRATION_HOOKS.values():
            seen: set[str] = set()
            for obj in getattr(staged, kind):
                key = _key(kind, obj)
                if key is None:
                    continue
                owner = self.origin.get((kind, key))
                if owner is not None or key in seen:
                    raise PluginError(
                        f"{kind.replace('_', ' ')[:-1]} {key!r} is already registered by {owner or plugin}.",
                        hint="Uninstall one of the two plugins.",
                    )
                seen.add(key)

    def add(self, plugin: str, staged: Registrations) -> None:
        self.check_clashes(plugin, staged)
        for kind in REGISTRATION_HOOKS.values():
            for obj in getattr(staged, kind):
                getattr(self, kind).append(obj)
                key = _key(kind, obj)
                if key is not None:
                    self.origin[(kind, key)] = plugin

    def account_type(self, name: str) -> AccountType:
        for account_type in self.account_types:
            if account_type.name == name:
                return account_type
        known = ", ".join(sorted(a.name for a in self.account_types)) or "none"
        raise PluginError(
            f"No provider plugin brings the account type {name!r} (installed: {known}).",
            hint="Install the provider's package, or check ZOOMCLIENT_LOAD_PLUGINS.",
        )

    def mail_provider(self, account_type: str) -> MailProviderFactory | None:
        return next((p for p in self.mail_providers if p.account_type == account_type), None)

    def calendar_provider(self, account_type: str) -> CalendarProviderFactory | None:
        return next((p for p in self.calendar_providers if p.account_type == account_type), None)

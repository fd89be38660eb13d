"""The hooks of zoomclient-zoom-workplace: kept light, everything heavy is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.hookspecs import hookimpl
from host.sandbox.service import SandboxOptions, SandboxService
from host.views import View, ViewArea

if TYPE_CHECKING:
    import click

    from host.app import Host
    from host.model.account import Account, FeatureRestriction
    from host.secrets import SecretStore


def _create_app(options: SandboxOptions) -> Any:
    from zoom_workplace.emulator.app import ZoomEmulator

    return ZoomEmulator(options)


#: The Zoom platform emulator: a platform service, not a mail account, so no account type.
SANDBOX_SERVICE = SandboxService("zoom", _create_app, account_type=None)


@hookimpl
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    register(SANDBOX_SERVICE)


def _settings_page(context: Any) -> Any:
    from zoom_workplace.settings_page import ZoomSettingsPage

    return ZoomSettingsPage(context)


def _status(context: Any) -> Any:
    from zoom_workplace.status_widget import ZoomStatus

    return ZoomStatus(context)


@hookimpl
def register_views(register: Callable[[View], None]) -> None:
    register(View("zoom.account", "Zoom", ViewArea.SETTINGS, _settings_page, order=50))
    register(View("zoom.status", "Zoom status", ViewArea.STATUS, _status))


@hookimpl
def register_commands(cli: click.Group) -> None:
    from zoom_workplace.cli import zoom

    cli.add_command(zoom)


@hookimpl
def feature_restrictions(host: Host, secrets: SecretStore) -> list[FeatureRestriction]:
    from host.model.account import FeatureRestriction
    from zoom_workplace.session import saved_check, zoom_account

    checked, found = saved_check(secrets), zoom_account(secrets, host)
    # Only the policy of whoever is signed in to Zoom now: not one left by a Zoom Mail account signed out since.
    if checked is None or checked.policy is None or found is None or found[1].email.lower() != checked.email.lower():
        return []
    return [FeatureRestriction(feature, reason) for feature, reason in checked.policy.withheld()]


@hookimpl
def account_signed_out(account: Account, secrets: SecretStore) -> None:
    """A Zoom Mail account was the Zoom sign-in: its policy goes with it (a Zoom sign-in of its own stays)."""
    from zoom_workplace.background import POLICY_READS
    from zoom_workplace.session import forget_policy_of

    if forget_policy_of(secrets, account):
        POLICY_READS.announce(secrets)


@hookimpl
def account_signed_in(host: Host, secrets: SecretStore) -> None:
    """At every sign-in and account open (the app's start): read the admin policy anew, in the background."""
    from zoom_workplace.background import POLICY_READS

    POLICY_READS.start(secrets, host)

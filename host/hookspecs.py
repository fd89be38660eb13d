"""The hooks a zoomclient plugin may implement.

Registration hooks follow llm's shape: the host calls ``register_*(register)`` and the plugin calls
``register(obj)`` once per object it brings. These hooks return at once and never touch the network;
the registered objects do the I/O later, on the core's asyncio loop. The host calls each plugin's
registration hooks once, alone, while it loads the plugin, so that policy can judge what the plugin
brings before anything of it runs: a refused plugin's registrations are discarded and none of its
other hooks is ever called.

Lifecycle hooks are notifications: their return values are ignored, and an exception in one is
reported and does not stop the host.

The host's own features register through these same hooks (datasette's ``DEFAULT_PLUGINS``), see
:mod:`host.default_plugins`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from host.actions import Action
    from host.app import Host
    from host.conferencing import ConferencingProvider
    from host.model.account import Account, FeatureRestriction
    from host.providers import AccountType, CalendarProviderFactory, MailProviderFactory
    from host.sandbox.service import SandboxService
    from host.secrets import SecretStore
    from host.views import View

PROJECT = "zoomclient"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_account_types(register: Callable[[AccountType], None]) -> None:
    """Register the kinds of account the user can sign in to.

    :param register: call with an :class:`~host.providers.AccountType` for each kind: its OAuth 2.0
        client (authorize and token URLs, client id, a redirect path of its own) and the base URL of
        each API it uses. The account type's ``name`` is what ``zoomclient account add NAME`` takes.
    """


@hookspec
def register_mail_providers(register: Callable[[MailProviderFactory], None]) -> None:
    """Register mail providers.

    :param register: call with a :class:`~host.providers.MailProviderFactory` for an account type:
        the scopes it needs, the :class:`~host.providers.MailCapability` values it has (a capability it
        lacks is left out, never faked), and ``open(connection)`` returning the
        :class:`~host.providers.MailProvider` session that does the I/O.
    """


@hookspec
def register_calendar_providers(register: Callable[[CalendarProviderFactory], None]) -> None:
    """Register calendar providers.

    :param register: call with a :class:`~host.providers.CalendarProviderFactory`; as for mail. What a
        calendar provider returns is kept in memory only.
    """


@hookspec
def register_views(register: Callable[[View], None]) -> None:
    """Register panes for the desktop shell: main panes, sidebars and settings pages.

    :param register: call with a :class:`~host.views.View`. Its ``create`` builds the widget and is
        only called by the shell, so the plugin imports Qt inside it and never at module level.
    """


@hookspec
def register_actions(register: Callable[[Action], None]) -> None:
    """Register workflow actions on messages, events, contacts, in the composer and the event editor.

    :param register: call with an :class:`~host.actions.Action`; its ``places`` say where the shell shows
        it and its ``run`` does the work on the core's loop.
    """


@hookspec
def register_conferencing(register: Callable[[ConferencingProvider], None]) -> None:
    """Register a meeting-scheduling provider. Only Zoom is allowed (promise 1).

    :param register: call with a :class:`~host.conferencing.ConferencingProvider`. A provider whose
        ``service`` is not ``"zoom"`` refuses the whole plugin at load time; one that says ``"zoom"``
        must come from a trusted distribution; and every meeting it creates must have a Zoom join URL,
        or the host refuses to attach it. See :mod:`host.conferencing` for the full rule. The host's
        calendar write path then moves and deletes each meeting with its event through the provider's
        ``event_changed`` and ``event_deleted`` steps.
    """


@hookspec
def register_sandbox_services(register: Callable[[SandboxService], None]) -> None:
    """Register the API emulators a plugin ships, for tests, the demo and ``zoomclient sandbox``.

    :param register: call with a :class:`~host.sandbox.service.SandboxService`. Its ``create_app`` is
        only called when the sandbox starts, so starlette stays unimported otherwise.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``zoomclient`` command line.

    :param cli: the top-level click group; add commands or groups to it. Import heavy modules inside
        the command functions so that ``zoomclient`` starts fast.
    """


@hookspec
def host_started(host: Host) -> None:
    """Called once the host has loaded every plugin and is ready.

    :param host: the running host.
    """


@hookspec
def host_stopping(host: Host) -> None:
    """Called when the host is about to stop; release what the plugin holds.

    :param host: the stopping host.
    """


@hookspec
def account_signed_in(host: Host, account: Account, secrets: SecretStore) -> None:
    """Called after the user signed in, and each time the host opens the signed-in account (the app's start).

    It is called on the core's asyncio loop. Return at once: work that needs the network goes into a
    task on the running loop (``asyncio.get_running_loop().create_task``), whose reference the plugin
    keeps; the loop cancels what is left when it ends.

    :param host: the running host.
    :param account: the account, with the features its granted scopes allow (at an open, less those an
        administrator turned off).
    :param secrets: the host's secret store, where a plugin keeps what it read (see ``feature_restrictions``).
    """


@hookspec
def account_signed_out(host: Host, account: Account, secrets: SecretStore) -> None:
    """Called after sign-out wiped the account's data: forget anything of it held in memory.

    :param host: the running host.
    :param account: the account that was signed out.
    :param secrets: the host's secret store, from which a plugin deletes what it kept for the account.
    """


@hookspec
def feature_restrictions(host: Host, secrets: SecretStore) -> list[FeatureRestriction]:
    """Say which of the client's features an administrator turned off, and why (promise 6).

    The host asks when it opens the account (it then leaves those features off) and when it shows it
    (``zoomclient account list``, the app's notices). Answer from what the plugin read at its last
    check, without touching the network; an exception is reported and counts as no restriction.

    :param host: the running host.
    :param secrets: the host's secret store, where the plugin keeps what it read at its last check.
    :return: a :class:`~host.model.account.FeatureRestriction` for each feature that is off.
    """

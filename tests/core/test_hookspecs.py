"""Every hookspec is documented and has a test of its own here (datasette's two meta-tests).

Each ``test_hook_<name>`` uses a real plugin implementing the hook and fails if the host never calls it:
registration hooks through ``Host.registry``, ``register_commands`` through the CLI, lifecycle hooks
through ``Host.start()``/``stop()`` and ``Host.notify``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable

import attrs
import pytest
from click.testing import CliRunner

from host import hookspecs
from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.cli.main import cli
from host.conferencing import ConferencingProvider, MeetingRequest
from host.hookspecs import hookimpl
from host.model.account import Account
from host.model.calendar import Event, OnlineMeeting
from host.plugins import PluginStatus
from host.policy import check_meeting
from host.providers import (
    AccountType,
    CalendarCapability,
    CalendarProviderFactory,
    MailCapability,
    MailProviderFactory,
    OAuthSpec,
)
from host.registry import REGISTRATION_HOOKS
from host.sandbox.service import SandboxOptions, SandboxService
from host.views import View, ViewArea

HOOKSPECS = sorted(
    name for name, value in vars(hookspecs).items() if hasattr(value, f"{hookspecs.PROJECT}_spec") and callable(value)
)


def test_hookspecs_are_found() -> None:
    """Else the meta-tests below would pass on nothing."""
    assert len(HOOKSPECS) >= 12
    assert {"register_views", "register_conferencing", "host_started", "account_signed_out"} <= set(HOOKSPECS)


@pytest.mark.parametrize("name", HOOKSPECS)
def test_every_hookspec_is_documented(name: str) -> None:
    spec = getattr(hookspecs, name)
    doc = inspect.getdoc(spec)
    assert doc, f"hookspec {name} has no docstring"
    for parameter in inspect.signature(spec).parameters:
        assert re.search(rf":param {parameter}:\s*\S", doc), f"{name} does not document {parameter!r}"


def test_every_hookspec_has_a_test_of_its_own() -> None:
    tests = {name.removeprefix("test_hook_") for name in list(globals()) if name.startswith("test_hook_")}
    assert sorted(set(HOOKSPECS) - tests) == [], "write test_hook_<name> for each new hookspec"
    assert sorted(tests - set(HOOKSPECS)) == [], "a test_hook_<name> names no hookspec"


def test_every_registration_hook_is_judged_at_load_time() -> None:
    """A register_* hook the loader does not stage would run unjudged by the policy."""
    assert {name for name in HOOKSPECS if name.startswith("register_")} == {*REGISTRATION_HOOKS, "register_commands"}


# -- the objects the plugins below register -------------------------------------------------------------

ACCOUNT_TYPE = AccountType(
    name="fixture-account",
    title="Fixture account",
    oauth=OAuthSpec(
        authorize_url="https://auth.example.test/authorize",
        token_url="https://auth.example.test/token",
        client_id="fixture",
        redirect_path="/oauth/fixture",
    ),
)
ACCOUNT = Account(email="ada@example.test", account_type="fixture-account")
MEETING_START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@attrs.frozen
class MailFactory:
    account_type: str = "fixture-account"
    scopes: tuple[str, ...] = ("mail",)
    capabilities: frozenset[MailCapability] = frozenset({MailCapability.DRAFTS})

    def open(self, connection: object) -> object:
        raise AssertionError("a test opened a session it never meant to")


@attrs.frozen
class CalendarFactory:
    account_type: str = "fixture-account"
    scopes: tuple[str, ...] = ("calendar",)
    capabilities: frozenset[CalendarCapability] = frozenset()

    def open(self, connection: object) -> object:
        raise AssertionError("a test opened a session it never meant to")


@attrs.frozen
class FixtureZoom:
    service: str = "zoom"
    title: str = "Zoom (fixture)"

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting:
        return OnlineMeeting(provider="zoom", join_url="https://us02web.zoom.us/j/123", meeting_id="123")

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting:
        return meeting

    async def delete_meeting(self, meeting: OnlineMeeting) -> None:
        return None

    def meeting_of(self, event: Event) -> OnlineMeeting | None:
        return event.online_meeting

    async def event_changed(self, before: Event | None, after: Event) -> Event:
        return after

    async def event_deleted(self, event: Event) -> None:
        return None


def registering(hook: str, obj: object) -> object:
    """A plugin object whose only hook is ``hook``, registering ``obj``."""

    class Plugin:
        pass

    def implementation(self: object, register: Callable[[object], None]) -> None:
        register(obj)

    implementation.__name__ = hook
    setattr(Plugin, hook, hookimpl(implementation))
    return Plugin()


def loaded(host, name: str):
    (record,) = [r for r in host.plugin_records() if r.name == name]
    assert record.status is PluginStatus.LOADED, record.reason
    return record


# -- one test per hookspec ------------------------------------------------------------------------------


def test_hook_register_account_types(make_host) -> None:
    host = make_host(("fixture-accounts", registering("register_account_types", ACCOUNT_TYPE)))
    assert host.registry.account_type("fixture-account") is ACCOUNT_TYPE
    assert host.registry.origin[("account_types", "fixture-account")] == "fixture-accounts"
    assert loaded(host, "fixture-accounts").hooks == ["register_account_types"]


def test_hook_register_mail_providers(make_host) -> None:
    factory = MailFactory()
    host = make_host(("fixture-mail", registering("register_mail_providers", factory)))
    assert isinstance(factory, MailProviderFactory)
    assert host.registry.mail_provider("fixture-account") is factory
    assert host.registry.mail_provider("gmail") is None
    assert loaded(host, "fixture-mail").hooks == ["register_mail_providers"]


def test_hook_register_calendar_providers(make_host) -> None:
    factory = CalendarFactory()
    host = make_host(("fixture-calendar", registering("register_calendar_providers", factory)))
    assert isinstance(factory, CalendarProviderFactory)
    assert host.registry.calendar_provider("fixture-account") is factory
    assert host.registry.mail_provider("fixture-account") is None
    assert loaded(host, "fixture-calendar").hooks == ["register_calendar_providers"]


def test_hook_register_views(make_host) -> None:
    view = View(id="fixture.sidebar", title="Fixture", area=ViewArea.SIDEBAR, create=lambda context: None)
    host = make_host(("fixture-views", registering("register_views", view)))
    assert host.registry.views == [view]
    assert host.registry.origin[("views", "fixture.sidebar")] == "fixture-views"


async def test_hook_register_actions(make_host) -> None:
    async def run(context: ActionContext) -> ActionResult:
        return ActionResult(message=f"shared from {context.place.value}")

    action = Action(id="fixture.share", title="Share", places=frozenset({ActionPlace.MESSAGE}), run=run)
    host = make_host(("fixture-actions", registering("register_actions", action)))
    assert host.registry.actions == [action]
    (registered,) = host.registry.actions
    context = ActionContext(host=host, place=ActionPlace.MESSAGE, ui=None)
    assert (await registered.run(context)).message == "shared from message"


async def test_hook_register_conferencing(make_host) -> None:
    provider = FixtureZoom()
    host = make_host(("fixture-zoom", registering("register_conferencing", provider)), trusted=["fixture-zoom"])
    assert isinstance(provider, ConferencingProvider)
    assert host.registry.conferencing == [provider]
    request = MeetingRequest(topic="Standup", start=MEETING_START, duration_minutes=15)
    meeting = await host.registry.conferencing[0].create_meeting(request)
    assert check_meeting(meeting) is meeting


def test_hook_register_sandbox_services(make_host) -> None:
    def create_app(options: SandboxOptions) -> object:
        return ("app", options.seed)

    service = SandboxService(name="fixture", create_app=create_app, account_type="fixture-account")
    host = make_host(("fixture-sandbox", registering("register_sandbox_services", service)))
    assert host.registry.sandbox_services == [service]
    assert host.registry.sandbox_services[0].create_app(SandboxOptions(seed=7)) == ("app", 7)


COMMAND_PLUGIN = """
import click

from host.hookspecs import hookimpl


@click.command(name="fixture-greet")
@click.argument("who")
def greet(who):
    click.echo(f"greetings, {who}")


@hookimpl
def register_commands(cli):
    cli.add_command(greet)
"""


def test_hook_register_commands(site) -> None:
    site.install_module("zoomclient-fixture-greet", COMMAND_PLUGIN)
    runner = CliRunner()

    result = runner.invoke(cli, ["--load-plugins", "zoomclient-fixture-greet", "fixture-greet", "Ada"])
    assert result.exit_code == 0, result.output
    assert result.output == "greetings, Ada\n"

    listing = runner.invoke(cli, ["--load-plugins", "zoomclient-fixture-greet", "--help"])
    assert "fixture-greet" in listing.output
    # Without the plugin the command is gone and the core's own commands stay.
    without = runner.invoke(cli, ["--load-plugins", "", "fixture-greet", "Ada"])
    assert without.exit_code == 2
    assert "No such command 'fixture-greet'" in without.output
    assert runner.invoke(cli, ["--load-plugins", "", "plugins", "--json"]).output == "[]\n"


class Lifecycle:
    """Records every lifecycle call it gets, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, object]] = []

    @hookimpl
    def host_started(self, host) -> None:
        self.calls.append(("host_started", host, None))

    @hookimpl
    def host_stopping(self, host) -> None:
        self.calls.append(("host_stopping", host, None))

    @hookimpl
    def account_signed_in(self, host, account) -> None:
        self.calls.append(("account_signed_in", host, account))

    @hookimpl
    def account_signed_out(self, host, account) -> None:
        self.calls.append(("account_signed_out", host, account))


def test_hook_host_started(make_host) -> None:
    plugin = Lifecycle()
    host = make_host(("fixture-lifecycle", plugin), start=False)
    assert plugin.calls == []
    host.start()
    host.start()  # starting twice notifies once
    assert plugin.calls == [("host_started", host, None)]
    assert host.started


def test_hook_host_stopping(make_host) -> None:
    plugin = Lifecycle()
    host = make_host(("fixture-lifecycle", plugin), start=False)
    host.stop()  # never started: nothing to stop
    assert plugin.calls == []
    host.start()
    host.stop()
    host.stop()
    assert [call[:2] for call in plugin.calls] == [("host_started", host), ("host_stopping", host)]
    assert not host.started


def test_hook_account_signed_in(make_host) -> None:
    plugin = Lifecycle()
    host = make_host(("fixture-lifecycle", plugin))
    assert host.notify("account_signed_in", host=host, account=ACCOUNT) == []
    assert plugin.calls[-1] == ("account_signed_in", host, ACCOUNT)


def test_hook_account_signed_out(make_host) -> None:
    plugin = Lifecycle()
    host = make_host(("fixture-lifecycle", plugin))
    assert host.notify("account_signed_out", host=host, account=ACCOUNT) == []
    assert plugin.calls[-1] == ("account_signed_out", host, ACCOUNT)
    assert [call[0] for call in plugin.calls] == ["host_started", "account_signed_out"]


def test_hook_feature_restrictions(make_host) -> None:
    """An admin's restriction turns the feature off when the account opens, and says why."""
    from host.accounts import Accounts
    from host.model.account import Feature, FeatureRestriction
    from host.secrets import MemorySecretStore

    store = MemorySecretStore()

    class Admin:
        @hookimpl
        def feature_restrictions(self, host, secrets) -> list[FeatureRestriction]:
            assert secrets is store
            return [FeatureRestriction(Feature.MAIL, "turned off by your admin")]

    class Broken:
        @hookimpl
        def feature_restrictions(self) -> list[FeatureRestriction]:
            raise RuntimeError("a broken plugin counts as no restriction")

    host = make_host(("fixture-admin", Admin()), ("fixture-broken", Broken()))
    (restriction,) = Accounts(host, store).restrictions()
    assert restriction.feature is Feature.MAIL
    assert str(restriction) == "Mail is off: turned off by your admin."


def test_a_hook_may_take_fewer_arguments_than_its_spec(make_host) -> None:
    """pluggy allows it, so the host's own calls (staging, notify) must too."""
    seen: list[str] = []

    class Minimal:
        @hookimpl
        def account_signed_in(self, account) -> None:
            seen.append(account.email)

        @hookimpl
        def register_views(self) -> None:
            seen.append("register_views")

    host = make_host(("fixture-minimal", Minimal()))
    assert host.notify("account_signed_in", host=host, account=ACCOUNT) == []
    assert seen == ["register_views", "ada@example.test"]
    assert loaded(host, "fixture-minimal").hooks == ["account_signed_in", "register_views"]

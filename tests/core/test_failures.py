"""A broken plugin is reported (name, error) and skipped; the host and the other plugins keep working."""

from __future__ import annotations

import json
import logging

from click.testing import CliRunner

from host.app import Host
from host.cli.main import cli
from host.hookspecs import hookimpl
from host.plugins import PluginStatus
from host.providers import AccountType, OAuthSpec
from host.views import View, ViewArea

BROKEN = "zoomclient-fixture-broken"
HELLO = "zoomclient-fixture-hello"


def account_type(name: str) -> AccountType:
    oauth = OAuthSpec(
        authorize_url="https://auth.example.test/a", token_url="https://auth.example.test/t", client_id="c",
        redirect_path=f"/oauth/{name}",
    )  # fmt: skip
    return AccountType(name=name, title=name, oauth=oauth)


VIEW = View(id="fixture.pane", title="Pane", area=ViewArea.MAIN, create=lambda context: None)


class Witness:
    def __init__(self) -> None:
        self.started = 0

    @hookimpl
    def host_started(self, host) -> None:
        self.started += 1


class Registers:
    """Registers an account type of the given name."""

    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl
    def register_account_types(self, register) -> None:
        register(account_type(self.name))


def record_of(host: Host, name: str):
    (record,) = [r for r in host.plugin_records() if r.name == name]
    return record


def test_a_plugin_that_raises_on_import_is_reported_and_the_others_load(site, tmp_path) -> None:
    site.install("broken")
    site.install("hello")
    host = Host.from_environment(data_dir=tmp_path)
    host.start()
    broken = record_of(host, BROKEN)
    assert broken.status is PluginStatus.FAILED
    assert broken.version == "0.0.1"
    assert broken.reason == "failed to import: RuntimeError: zoomclient-fixture-broken fails on import on purpose"
    assert record_of(host, HELLO).status is PluginStatus.LOADED
    assert record_of(host, "zoomclient-gmail").status is PluginStatus.LOADED
    assert "fixture-hello" in {a.name for a in host.registry.account_types}


def test_a_plugin_that_raises_while_registering_is_failed_and_its_registrations_discarded(make_host) -> None:
    class Raises:
        started = False

        @hookimpl
        def register_views(self, register) -> None:
            register(VIEW)
            raise ValueError("no settings for this pane")

        @hookimpl
        def host_started(self, host) -> None:
            self.started = True

    raises, witness = Raises(), Witness()
    host = make_host(("fixture-raises", raises), ("fixture-after", Registers("after")), ("witness", witness))
    record = record_of(host, "fixture-raises")
    assert record.status is PluginStatus.FAILED
    assert record.reason == "failed to register: ValueError: no settings for this pane"
    assert record.hooks == ["host_started", "register_views"]
    assert host.registry.views == []
    assert not raises.started
    assert host.pm.get_plugin("fixture-raises") is None
    assert [a.name for a in host.registry.account_types] == ["after"]
    assert witness.started == 1


def test_a_misspelt_hook_fails_loudly_with_its_name(make_host) -> None:
    class Misspelt:
        started = False

        @hookimpl
        def register_viewz(self, register) -> None:
            register(VIEW)

        @hookimpl
        def host_started(self, host) -> None:
            self.started = True

    misspelt, witness = Misspelt(), Witness()
    host = make_host(("fixture-misspelt", misspelt), ("witness", witness))
    record = record_of(host, "fixture-misspelt")
    assert record.status is PluginStatus.FAILED
    assert record.reason.startswith("invalid hooks: PluginValidationError: unknown hook 'register_viewz'")
    assert host.registry.views == []
    assert not misspelt.started and witness.started == 1
    # The misspelt hook is gone with its plugin: the next host's check finds nothing pending.
    host.pm.check_pending()


def test_a_misspelt_hook_argument_fails_loudly_with_its_name(make_host) -> None:
    class WrongArgument:
        @hookimpl
        def register_views(self, registr) -> None:
            registr(VIEW)

    host = make_host(("fixture-argument", WrongArgument()))
    record = record_of(host, "fixture-argument")
    assert record.status is PluginStatus.FAILED
    assert "register_views" in record.reason and "registr" in record.reason
    assert host.registry.views == []


def test_an_account_type_registered_twice_fails_the_second_plugin_naming_the_first(make_host) -> None:
    host = make_host(("fixture-first", Registers("shared")), ("fixture-second", Registers("shared")))
    assert record_of(host, "fixture-first").status is PluginStatus.LOADED
    second = record_of(host, "fixture-second")
    assert second.status is PluginStatus.FAILED
    assert second.reason == (
        "failed to register: account type 'shared' is already registered by fixture-first. "
        "Uninstall one of the two plugins."
    )
    assert host.registry.origin[("account_types", "shared")] == "fixture-first"
    assert [a.name for a in host.registry.account_types] == ["shared"]


GMAIL_CLONE = """
from host.hookspecs import hookimpl
from provider_gmail.account import ACCOUNT_TYPE


@hookimpl
def register_account_types(register):
    register(ACCOUNT_TYPE)
"""


def test_a_clash_with_an_installed_provider_names_its_distribution(site, tmp_path) -> None:
    # Installed plugins load in the order of their distribution names, so the clone comes second.
    site.install_module("zoomclient-zz-gmail-clone", GMAIL_CLONE)
    host = Host.from_environment(load_plugins="zoomclient-zz-gmail-clone,zoomclient-gmail", data_dir=tmp_path)
    assert [r.name for r in host.plugin_records()] == ["zoomclient-gmail", "zoomclient-zz-gmail-clone"]
    assert record_of(host, "zoomclient-gmail").status is PluginStatus.LOADED
    clone = record_of(host, "zoomclient-zz-gmail-clone")
    assert clone.status is PluginStatus.FAILED
    assert "account type 'gmail' is already registered by zoomclient-gmail" in clone.reason


def test_a_plugin_registering_one_name_twice_fails(make_host) -> None:
    class Twice:
        @hookimpl
        def register_views(self, register) -> None:
            register(VIEW)
            register(VIEW)

    record = record_of(make_host(("fixture-twice", Twice())), "fixture-twice")
    assert record.status is PluginStatus.FAILED
    assert "view 'fixture.pane' is already registered by fixture-twice" in record.reason


def test_a_lifecycle_hook_that_raises_does_not_stop_the_others(make_host, caplog) -> None:
    class Raises:
        @hookimpl
        def host_started(self, host) -> None:
            raise RuntimeError("cannot start")

        @hookimpl
        def account_signed_in(self, host, account) -> None:
            raise RuntimeError("cannot sign in")

    class Counts(Witness):
        signed_in = 0

        @hookimpl
        def account_signed_in(self, host, account) -> None:
            self.signed_in += 1

    before, after = Counts(), Counts()
    host = make_host(("before", before), ("fixture-raises", Raises()), ("after", after), start=False)
    with caplog.at_level(logging.ERROR, logger="host.app"):
        host.start()
        errors = host.notify("account_signed_in", host=host, account=None)
    assert host.started
    assert (before.started, after.started, before.signed_in, after.signed_in) == (1, 1, 1, 1)
    assert [(name, str(error)) for name, error in errors] == [("fixture-raises", "cannot sign in")]
    assert "plugin fixture-raises failed in host_started" in caplog.text
    assert record_of(host, "fixture-raises").status is PluginStatus.LOADED


RAISING_COMMANDS = """
from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli):
    raise RuntimeError("no commands today")
"""


def test_a_plugin_that_fails_to_add_commands_loses_them_not_the_cli(site) -> None:
    site.install_module("zoomclient-fixture-nocommands", RAISING_COMMANDS)
    site.install("hello")
    result = CliRunner().invoke(cli, ["--load-plugins", f"zoomclient-fixture-nocommands,{HELLO}", "fixture-hello"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "hello world from zoomclient-fixture-hello\n"
    assert result.stderr == (
        "warning: plugin zoomclient-fixture-nocommands failed to add commands: no commands today\n"
    )


def test_plugins_lists_failures_and_exits_0(site) -> None:
    site.install("broken")
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0
    (broken,) = [entry for entry in json.loads(result.stdout) if entry["name"] == BROKEN]
    assert broken["status"] == "failed" and "fails on import on purpose" in broken["reason"]

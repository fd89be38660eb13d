"""Plugin subsets: ZOOMCLIENT_LOAD_PLUGINS, the --load-plugins option, and the in-process API."""

from __future__ import annotations

import importlib
import json

import pytest
from click.testing import CliRunner

from host import __version__
from host.app import Host
from host.cli.main import cli
from host.default_plugins import DEFAULT_PLUGINS
from host.errors import UsageError
from host.plugins import LOAD_PLUGINS_ENV, PluginStatus, parse_selection

HELLO = "zoomclient-fixture-hello"
BROKEN = "zoomclient-fixture-broken"


@pytest.fixture
def installed(site, providers) -> list[str]:
    """The repository's providers plus the hello fixture; the broken one too, to prove it is never imported."""
    site.install("hello")
    site.install("broken")
    return sorted([*providers, HELLO, BROKEN])


def names(host: Host) -> list[str]:
    return [record.name for record in host.plugin_records()]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", frozenset()),
        (" , ", frozenset()),
        ("zoomclient-gmail", frozenset({"zoomclient-gmail"})),
        (" zoomclient-gmail ,zoomclient-m365,", frozenset({"zoomclient-gmail", "zoomclient-m365"})),
    ],
)
def test_parse_selection(value: str | None, expected: frozenset[str] | None) -> None:
    assert parse_selection(value) == expected


def test_unset_loads_every_installed_plugin(installed, tmp_path, providers) -> None:
    host = Host.from_environment(data_dir=tmp_path)
    assert set(installed) <= set(names(host))
    statuses = {record.name: record.status for record in host.plugin_records()}
    assert statuses[BROKEN] is PluginStatus.FAILED
    assert all(statuses[name] is PluginStatus.LOADED for name in [*providers, HELLO])
    assert {"gmail", "m365", "zoommail", "fixture-hello"} <= {a.name for a in host.registry.account_types}


def test_empty_loads_none(installed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    host = Host.from_environment(data_dir=tmp_path)
    assert names(host) == []
    assert host.registry.account_types == []
    # The host's own features still load: they are not plugins one can deselect.
    assert [r.name for r in host.plugin_records(include_builtin=True)] == list(DEFAULT_PLUGINS)


def test_one_distribution(installed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, HELLO)
    host = Host.from_environment(data_dir=tmp_path)
    assert names(host) == [HELLO]
    assert [a.name for a in host.registry.account_types] == ["fixture-hello"]
    # The broken distribution was not selected, so it was never imported and cannot fail.
    assert BROKEN not in names(host)


def test_several_distributions(installed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, f" {HELLO}, zoomclient-m365 ")
    host = Host.from_environment(data_dir=tmp_path)
    assert sorted(names(host)) == [HELLO, "zoomclient-m365"]
    assert sorted(a.name for a in host.registry.account_types) == ["fixture-hello", "m365"]


def test_an_unknown_name_is_an_error_naming_what_is_installed(installed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, f"{HELLO},zoomclient-gmial")
    with pytest.raises(UsageError) as raised:
        Host.from_environment(data_dir=tmp_path)
    message = str(raised.value)
    assert "Unknown plugin selected: zoomclient-gmial." in message
    for name in installed:
        assert name in message


def test_the_option_wins_over_the_variable(installed, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    assert names(Host.from_environment(load_plugins=HELLO, data_dir=tmp_path)) == [HELLO]
    monkeypatch.setenv(LOAD_PLUGINS_ENV, HELLO)
    assert names(Host.from_environment(load_plugins="", data_dir=tmp_path)) == []


# -- the same through the CLI option ---------------------------------------------------------------------


def listed(*args: str) -> list[str]:
    result = CliRunner().invoke(cli, [*args, "plugins", "--json"])
    assert result.exit_code == 0, result.output
    return sorted(entry["name"] for entry in json.loads(result.output))


def test_cli_option_unset_lists_every_installed_plugin(installed) -> None:
    assert set(installed) <= set(listed())


def test_cli_option_empty_lists_none(installed) -> None:
    assert listed("--load-plugins", "") == []
    assert listed("--load-plugins=") == []


def test_cli_lists_the_host_builtins_only_when_asked(installed) -> None:
    result = CliRunner().invoke(cli, ["--load-plugins", "", "plugins", "--json", "--all"])
    assert json.loads(result.stdout) == [
        {"name": module, "version": __version__, "hooks": ["register_commands"], "status": "loaded", "reason": None}
        for module in DEFAULT_PLUGINS
    ]
    assert CliRunner().invoke(cli, ["--load-plugins", "", "plugins"]).stdout == "No plugins loaded.\n"


def test_cli_option_one_and_several(installed) -> None:
    assert listed("--load-plugins", HELLO) == [HELLO]
    assert listed("--load-plugins", f"{HELLO},zoomclient-gmail") == [HELLO, "zoomclient-gmail"]


def test_cli_option_wins_over_the_variable(installed, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    assert listed("--load-plugins", "zoomclient-gmail") == ["zoomclient-gmail"]


def test_cli_option_unknown_name(installed) -> None:
    result = CliRunner().invoke(cli, ["--load-plugins", "nope", "plugins", "--json"])
    assert result.exit_code == 2
    assert "Unknown plugin selected: nope." in result.output
    for name in installed:
        assert name in result.output
    assert "--load-plugins" in result.output


# -- the in-process API ------------------------------------------------------------------------------------


class Named:
    """A plugin object without hooks: what matters here is which plugins a host has."""


def test_from_plugins_loads_exactly_the_given_objects(make_host, monkeypatch) -> None:
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")  # the in-process API ignores the variable
    host = make_host(("first", Named()), ("second", Named()))
    assert names(host) == ["first", "second"]
    assert all(record.version is None for record in host.plugin_records())
    assert host.registry.account_types == []  # installed providers are not discovered
    assert host.loaded("first") and not host.loaded("zoomclient-gmail")


def test_from_plugins_takes_modules_named_after_themselves(site, make_host) -> None:
    site.install("hello")
    module = importlib.import_module("zc_fixture_hello.account")
    host = make_host(module)
    assert names(host) == ["zc_fixture_hello.account"]
    assert [a.name for a in host.registry.account_types] == ["fixture-hello"]


def test_from_plugins_with_or_without_the_host_defaults(make_host) -> None:
    with_defaults = make_host(("first", Named()))
    assert with_defaults.loaded("host.default_plugins.core_commands")
    without = make_host(("first", Named()), include_defaults=False)
    assert [r.name for r in without.plugin_records(include_builtin=True)] == ["first"]


def test_hosts_do_not_share_a_plugin_manager(make_host) -> None:
    first, second = make_host(("only-in-first", Named())), make_host()
    assert first.pm is not second.pm
    assert first.loaded("only-in-first") and not second.loaded("only-in-first")

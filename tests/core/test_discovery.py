"""Discovery through importlib-metadata from installed distributions: real dist-info, real entry points."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

from host.app import Host
from host.plugins import PluginStatus, discover

HELLO = "zoomclient-fixture-hello"


def record_of(host: Host, name: str):
    (record,) = [r for r in host.plugin_records() if r.name == name]
    return record


def test_an_installed_distribution_is_one_plugin_with_its_name_and_version(site, tmp_path) -> None:
    site.install("hello")
    (source,) = [s for s in discover() if s.name == HELLO]
    assert (source.version, source.trusted, source.builtin) == ("1.2.3", False, False)
    assert sorted(module.__name__ for module in source.load()) == [
        "zc_fixture_hello.account",
        "zc_fixture_hello.command",
    ]

    host = Host.from_environment(load_plugins=HELLO, data_dir=tmp_path)
    record = record_of(host, HELLO)
    assert record.to_json() == {
        "name": HELLO,
        "version": "1.2.3",
        "hooks": ["register_account_types", "register_commands"],
        "status": "loaded",
        "reason": None,
    }
    assert host.registry.origin[("account_types", "fixture-hello")] == HELLO


def test_the_repository_providers_come_from_their_own_dist_info(tmp_path, providers) -> None:
    host = Host.from_environment(data_dir=tmp_path)
    for name in providers:
        record = record_of(host, name)
        assert record.status is PluginStatus.LOADED, record.reason
        assert record.version == importlib.metadata.version(name)
        assert "register_account_types" in record.hooks


OBJECT_PLUGIN = """
from host.hookspecs import hookimpl


class Greeter:
    started = 0

    @hookimpl
    def host_started(self, host):
        self.started += 1


greeter = Greeter()
"""


def test_an_entry_point_may_name_an_object_in_a_module(site, tmp_path) -> None:
    distribution = site.install_module("zoomclient-fixture-object", OBJECT_PLUGIN, version="2.0", attribute="greeter")
    host = Host.from_environment(load_plugins="zoomclient-fixture-object", data_dir=tmp_path)
    host.start()
    assert sys.modules[distribution.module].greeter.started == 1
    assert record_of(host, "zoomclient-fixture-object").hooks == ["host_started"]


def test_an_entry_point_to_a_missing_module_fails_that_plugin_alone(site, tmp_path) -> None:
    site.install("hello")
    module = site.install_module("zoomclient-fixture-missing", "").module
    (site.path / f"{module}.py").unlink()  # installed metadata, files gone: a half-removed distribution

    host = Host.from_environment(data_dir=tmp_path)
    record = record_of(host, "zoomclient-fixture-missing")
    assert record.status is PluginStatus.FAILED
    assert record.reason == f"failed to import: ModuleNotFoundError: No module named '{module}'"
    assert record_of(host, HELLO).status is PluginStatus.LOADED


def test_pip_install_of_a_fixture_distribution(wheel_of, tmp_path, zoomclient) -> None:
    """The whole way: pip installs a real wheel, a fresh process discovers it and runs its command."""
    target = tmp_path / "target"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run(
        [*pip, "--target", str(target), str(wheel_of("hello"))],
        check=True,
        capture_output=True,
    )
    dist_info = target / "zoomclient_fixture_hello-1.2.3.dist-info"
    assert (dist_info / "INSTALLER").read_text().strip() == "pip"

    env = {"PYTHONPATH": str(target)}
    listing = zoomclient("plugins", "--json", env=env)
    assert listing.returncode == 0, listing.stderr
    (entry,) = [e for e in json.loads(listing.stdout) if e["name"] == HELLO]
    assert entry == {
        "name": HELLO,
        "version": "1.2.3",
        "hooks": ["register_account_types", "register_commands"],
        "status": "loaded",
        "reason": None,
    }
    greeting = zoomclient("fixture-hello", "Ada", env=env)
    assert (greeting.returncode, greeting.stdout) == (0, "hello Ada from zoomclient-fixture-hello\n")

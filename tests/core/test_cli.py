"""``zoomclient`` as a user runs it: the installed console script in a fresh process."""

from __future__ import annotations

import importlib.metadata
import json

import pytest

from host import __version__
from host.policy import RULE_ZOOM_ONLY

KEYS = ["name", "version", "hooks", "status", "reason"]


def plugins_json(zoomclient, *args: str, **kwargs) -> list[dict]:
    result = zoomclient(*args, "plugins", "--json", **kwargs)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    for entry in entries:
        assert list(entry) == KEYS
        assert isinstance(entry["name"], str) and isinstance(entry["hooks"], list)
        assert entry["status"] in {"loaded", "refused", "failed"}
        assert (entry["reason"] is None) == (entry["status"] == "loaded")
    return entries


def test_version(zoomclient) -> None:
    result = zoomclient("--version")
    assert result.returncode == 0
    assert result.stdout == f"zoomclient, version {__version__}\n"
    assert __version__ == importlib.metadata.version("zoomclient")


def test_plugins_json_lists_every_installed_plugin(zoomclient, providers) -> None:
    entries = {entry["name"]: entry for entry in plugins_json(zoomclient)}
    assert set(providers) <= set(entries)
    for name in providers:
        assert entries[name] == {
            "name": name,
            "version": importlib.metadata.version(name),
            "hooks": entries[name]["hooks"],
            "status": "loaded",
            "reason": None,
        }
        assert "register_account_types" in entries[name]["hooks"]
    assert not any(name.startswith("host.") for name in entries)  # built-ins only with --all


def test_plugins_json_with_no_plugins_prints_an_empty_array(zoomclient) -> None:
    result = zoomclient("plugins", "--json", env={"ZOOMCLIENT_LOAD_PLUGINS": ""})
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("zoomclient-m365", ["zoomclient-m365"]),
        ("zoomclient-zoommail, zoomclient-gmail", ["zoomclient-gmail", "zoomclient-zoommail"]),
    ],
)
def test_plugins_json_with_a_selection(zoomclient, selection: str, expected: list[str]) -> None:
    by_variable = plugins_json(zoomclient, env={"ZOOMCLIENT_LOAD_PLUGINS": selection})
    assert [entry["name"] for entry in by_variable] == expected
    by_option = plugins_json(zoomclient, "--load-plugins", selection)
    assert by_option == by_variable


def test_an_unknown_plugin_name_is_a_usage_error(zoomclient, providers) -> None:
    result = zoomclient("plugins", "--json", env={"ZOOMCLIENT_LOAD_PLUGINS": "zoomclient-gmial"})
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Unknown plugin selected: zoomclient-gmial." in result.stderr
    assert all(name in result.stderr for name in providers)


def test_plugins_json_exits_0_with_refused_and_failed_plugins(zoomclient, site, providers) -> None:
    for folder in ("meet", "broken", "hello"):
        site.install(folder)
    entries = {entry["name"]: entry for entry in plugins_json(zoomclient, path=site)}
    meet = entries["zoomclient-fixture-meet"]
    assert (meet["status"], meet["version"]) == ("refused", "0.4.0")
    assert meet["reason"].startswith("zoomclient-fixture-meet brings the conferencing provider 'Google Meet'")
    assert meet["reason"].endswith(f"(rule: {RULE_ZOOM_ONLY})")
    assert meet["hooks"] == ["host_started", "register_commands", "register_conferencing", "register_views"]
    assert entries["zoomclient-fixture-broken"]["status"] == "failed"
    assert entries["zoomclient-fixture-hello"]["status"] == "loaded"
    assert set(providers) <= set(entries)

    refused = zoomclient("fixture-meet", path=site)
    assert refused.returncode == 2 and "No such command 'fixture-meet'" in refused.stderr
    loaded = zoomclient("fixture-hello", "Ada", path=site)
    assert (loaded.returncode, loaded.stdout) == (0, "hello Ada from zoomclient-fixture-hello\n")


def test_plugins_in_text(zoomclient, site) -> None:
    site.install("meet")
    result = zoomclient(
        "plugins", path=site, env={"ZOOMCLIENT_LOAD_PLUGINS": "zoomclient-fixture-meet,zoomclient-gmail"}
    )
    assert result.returncode == 0
    assert "zoomclient-fixture-meet 0.4.0  [refused]" in result.stdout
    assert f"(rule: {RULE_ZOOM_ONLY})" in result.stdout
    assert f"zoomclient-gmail {importlib.metadata.version('zoomclient-gmail')}  [loaded]" in result.stdout

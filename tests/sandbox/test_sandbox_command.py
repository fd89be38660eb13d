"""`zoomclient sandbox`: every installed emulator, one JSON line each, serving until stopped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import testprovider.plugin
from click.testing import CliRunner

from host.app import Host
from host.cli.main import cli

TESTPROVIDER = Path(__file__).parents[1] / "testprovider"


def run_zoomclient(args: list[str], tmp_path: Path) -> subprocess.Popen[str]:
    """The real command in a subprocess, with TestMail installed (its dist-info is under site/)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(TESTPROVIDER / "site"), str(TESTPROVIDER), os.environ.get("PYTHONPATH", "")]
        ),
        "ZOOMCLIENT_LOAD_PLUGINS": "zoomclient-testprovider",
        "ZOOMCLIENT_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from host.cli.main import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_sandbox_json_prints_a_line_per_emulator_and_serves_until_terminated(tmp_path: Path) -> None:
    process = run_zoomclient(["sandbox", "--json", "--messages", "20", "--events", "5"], tmp_path)
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read()
        service = json.loads(line)
        assert service["name"] == "testmail" and service["provider"] == "testmail"
        assert service["url"].startswith("http://127.0.0.1:")
        answer = httpx.get(service["url"] + "/api/mailbox/profile")
        assert answer.status_code == 401  # serving, and asking for a token
        assert answer.json()["error"]["reason"] == "unauthorized"
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert process.returncode == 0, process.stderr.read()
    process.stdout.close()
    process.stderr.close()


def test_a_bad_fault_spec_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "sandbox", "--faults", "429:2"])
    assert result.exit_code == 2
    assert "between 0 and 1" in result.output


def test_without_emulators_it_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--load-plugins", "", "--data-dir", str(tmp_path), "sandbox"])
    assert result.exit_code == 1
    assert "No installed plugin brings an emulator" in result.output


def test_the_test_provider_registers_everything_it_brings(tmp_path: Path) -> None:
    host = Host.from_plugins([testprovider.plugin], data_dir=tmp_path)
    assert host.loaded("testprovider.plugin")
    registry = host.registry
    account_type = registry.account_type("testmail")
    assert account_type.oauth.redirect_path == "/oauth/testmail/callback"
    assert account_type.rebased("http://127.0.0.1:1234").endpoints == {"api": "http://127.0.0.1:1234/api"}
    assert registry.mail_provider("testmail") is not None
    assert registry.calendar_provider("testmail") is not None
    assert [s.name for s in registry.sandbox_services] == ["testmail"]

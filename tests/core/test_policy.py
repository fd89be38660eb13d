"""Policy: only Zoom meetings, only trusted Zoom providers, only Zoom join URLs, and the admin's policy file."""

from __future__ import annotations

import importlib
import json
from urllib.parse import urlsplit

import attrs
import click
import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from host.app import Host
from host.cli.main import cli
from host.conferencing import MeetingRequest
from host.errors import UsageError
from host.hookspecs import hookimpl
from host.model.calendar import OnlineMeeting
from host.plugins import PluginStatus
from host.policy import (
    POLICY_FILE_ENV,
    RULE_ADMIN_ALLOW,
    RULE_ADMIN_DENY,
    RULE_TRUSTED_ZOOM,
    RULE_ZOOM_ONLY,
    TRUSTED_ZOOM_DISTRIBUTIONS,
    AdminPolicy,
    MeetingRefused,
    check_meeting,
    is_zoom_url,
)
from host.views import View, ViewArea

HELLO = "zoomclient-fixture-hello"
MEET = "zoomclient-fixture-meet"
BROKEN = "zoomclient-fixture-broken"


@attrs.frozen
class Conferencing:
    service: str
    title: str
    join_url: str = "https://us02web.zoom.us/j/123"

    async def create_meeting(self, request: MeetingRequest) -> OnlineMeeting:
        return OnlineMeeting(provider=self.service, join_url=self.join_url)

    async def update_meeting(self, meeting: OnlineMeeting, request: MeetingRequest) -> OnlineMeeting:
        return meeting

    async def delete_meeting(self, meeting: OnlineMeeting) -> None:
        return None


ZOOM = Conferencing(service="zoom", title="Zoom")
GOOGLE_MEET = Conferencing(service="google-meet", title="Google Meet", join_url="https://meet.google.com/abc")


class Everything:
    """A plugin with a conferencing provider and every other kind of hook, recording which of them ran."""

    def __init__(self, *providers: Conferencing) -> None:
        self.providers = providers
        self.ran: list[str] = []

    @hookimpl
    def register_views(self, register) -> None:
        self.ran.append("register_views")
        register(View(id="everything.sidebar", title="Everything", area=ViewArea.SIDEBAR, create=lambda c: None))

    @hookimpl
    def register_conferencing(self, register) -> None:
        self.ran.append("register_conferencing")
        for provider in self.providers:
            register(provider)

    @hookimpl
    def register_commands(self, cli) -> None:
        self.ran.append("register_commands")

    @hookimpl
    def host_started(self, host) -> None:
        self.ran.append("host_started")

    @hookimpl
    def host_stopping(self, host) -> None:
        self.ran.append("host_stopping")

    @hookimpl
    def account_signed_in(self, host, account) -> None:
        self.ran.append("account_signed_in")


class Witness:
    """A well-behaved plugin beside the judged one: it must keep working."""

    def __init__(self) -> None:
        self.started = 0

    @hookimpl
    def host_started(self, host) -> None:
        self.started += 1


def record_of(host: Host, name: str):
    (record,) = [r for r in host.plugin_records() if r.name == name]
    return record


def run_every_hook(host: Host) -> None:
    host.pm.hook.register_commands(cli=click.Group())
    host.notify("account_signed_in", host=host, account=None)
    host.stop()


# -- conferencing: only Zoom, only from trusted distributions --------------------------------------------


def test_a_non_zoom_conferencing_provider_refuses_the_plugin_and_none_of_its_hooks_run(make_host) -> None:
    meet, witness = Everything(GOOGLE_MEET), Witness()
    host = make_host(("fixture-meet", meet), ("witness", witness))

    record = record_of(host, "fixture-meet")
    assert record.status is PluginStatus.REFUSED
    assert record.reason == (
        "fixture-meet brings the conferencing provider 'Google Meet' (google-meet); "
        f"only Zoom meetings may be scheduled (rule: {RULE_ZOOM_ONLY})"
    )
    assert record.to_json()["status"] == "refused"
    assert "register_conferencing" in record.hooks
    # What it registered before the provider is discarded with it.
    assert host.registry.views == [] and host.registry.conferencing == []
    assert host.pm.get_plugin("fixture-meet") is None

    run_every_hook(host)
    # Registration hooks run once, alone, to judge the plugin; nothing else of it ever runs.
    assert meet.ran == ["register_views", "register_conferencing"]
    assert witness.started == 1 and host.loaded("witness")


def test_a_plugin_claiming_zoom_without_trust_is_refused(make_host) -> None:
    impostor = Everything(ZOOM)
    host = make_host(("fixture-zoom", impostor))
    record = record_of(host, "fixture-zoom")
    assert record.status is PluginStatus.REFUSED
    assert record.reason.startswith(
        "fixture-zoom says it provides Zoom meetings but is not a trusted Zoom distribution"
    )
    assert record.reason.endswith(f"(rule: {RULE_TRUSTED_ZOOM})")
    run_every_hook(host)
    assert "host_started" not in impostor.ran
    assert host.registry.conferencing == []


def test_a_trusted_zoom_plugin_loads(make_host) -> None:
    zoom = Everything(ZOOM)
    host = make_host(("fixture-zoom", zoom), trusted=["fixture-zoom"])
    assert record_of(host, "fixture-zoom").status is PluginStatus.LOADED
    assert host.registry.conferencing == [ZOOM]
    assert [view.id for view in host.registry.views] == ["everything.sidebar"]
    assert "host_started" in zoom.ran


def test_trust_does_not_extend_to_another_service(make_host) -> None:
    host = make_host(("fixture-zoom", Everything(ZOOM, GOOGLE_MEET)), trusted=["fixture-zoom"])
    record = record_of(host, "fixture-zoom")
    assert record.status is PluginStatus.REFUSED
    assert record.reason.endswith(f"(rule: {RULE_ZOOM_ONLY})")
    assert host.registry.conferencing == []


ZOOM_PLUGIN = """
import attrs

from host.hookspecs import hookimpl
from host.model.calendar import OnlineMeeting


@attrs.frozen
class Zoom:
    service: str = "zoom"
    title: str = "Zoom"

    async def create_meeting(self, request):
        return OnlineMeeting(provider="zoom", join_url="https://us02web.zoom.us/j/1")

    async def update_meeting(self, meeting, request):
        return meeting

    async def delete_meeting(self, meeting):
        return None


@hookimpl
def register_conferencing(register):
    register(Zoom())
"""


def test_installed_distributions_are_trusted_by_name(site, tmp_path) -> None:
    (trusted,) = TRUSTED_ZOOM_DISTRIBUTIONS
    module = site.install_module(trusted, ZOOM_PLUGIN).module
    site.install_module("zoomclient-fixture-zoom", ZOOM_PLUGIN)
    host = Host.from_environment(load_plugins=f"{trusted},zoomclient-fixture-zoom", data_dir=tmp_path)
    assert record_of(host, trusted).status is PluginStatus.LOADED
    impostor = record_of(host, "zoomclient-fixture-zoom")
    assert impostor.status is PluginStatus.REFUSED
    assert impostor.reason.endswith(f"(rule: {RULE_TRUSTED_ZOOM})")
    assert [type(provider).__module__ for provider in host.registry.conferencing] == [module]


def test_a_stashed_register_callable_cannot_slip_a_provider_in_later(make_host) -> None:
    class Stasher:
        register = None

        @hookimpl
        def register_conferencing(self, register) -> None:
            self.register = register  # registers nothing now...

        @hookimpl
        def host_started(self, host) -> None:
            self.register(GOOGLE_MEET)  # ...and tries once the policy has looked away

    host = make_host(("fixture-stasher", Stasher()))
    assert host.loaded("fixture-stasher")
    assert host.registry.conferencing == []


def test_an_installed_plugin_refused_for_google_meet(site, tmp_path) -> None:
    """The fixture distribution through discovery and the CLI: listed as refused, its command and hooks absent."""
    site.install("meet")
    site.install("hello")
    runner = CliRunner()

    listing = runner.invoke(cli, ["--load-plugins", f"{MEET},{HELLO}", "plugins", "--json"])
    assert listing.exit_code == 0, listing.output
    entries = {entry["name"]: entry for entry in json.loads(listing.output)}
    assert entries[MEET]["status"] == "refused"
    assert entries[MEET]["version"] == "0.4.0"
    assert entries[MEET]["reason"].endswith(f"(rule: {RULE_ZOOM_ONLY})")
    assert entries[HELLO]["status"] == "loaded"

    refused_command = runner.invoke(cli, ["--load-plugins", f"{MEET},{HELLO}", "fixture-meet"])
    assert refused_command.exit_code == 2
    assert "No such command 'fixture-meet'" in refused_command.output
    assert runner.invoke(cli, ["--load-plugins", f"{MEET},{HELLO}", "fixture-hello"]).exit_code == 0

    host = Host.from_environment(load_plugins=MEET, data_dir=tmp_path)
    host.start()
    assert importlib.import_module("zc_fixture_meet.plugin").STARTED == []
    assert host.registry.views == []


# -- every meeting's join URL ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://meet.google.com/abc",
        "https://teams.microsoft.com/l/meetup-join/1",
        "http://zoom.us/j/1",
        "http://us02web.zoom.us/j/123",
        "https://zoom.us.evil.com/j/1",
        "https://evilzoom.us/j/1",
        "https://zoom.us@evil.com/j/1",
        "https://evil.com/?next=https://zoom.us/j/1",
        "https://evil.com\\@zoom.us/j/1",
        "https://evil.com\\.zoom.us/j/1",
        "https://evil.com%2F.zoom.us/j/1",
        "https://user@us02web.zoom.us/j/1",
        " https://us02web.zoom.us/j/1",
        "https://zoom.us\t/j/1",
        "https://[zoom.us/j/1",
        "zoom.us/j/1",
        "",
    ],
)
def test_check_meeting_refuses_a_non_zoom_join_url(url: str) -> None:
    with pytest.raises(MeetingRefused) as refused:
        check_meeting(OnlineMeeting(provider="zoom", join_url=url))
    assert repr(url) in str(refused.value)
    assert "only Zoom meetings may be scheduled" in str(refused.value)
    assert refused.value.hint


@pytest.mark.parametrize(
    "url", ["https://us02web.zoom.us/j/123", "https://zoom.us/j/123?pwd=abc", "https://Company.Zoom.us:443/j/9"]
)
def test_check_meeting_accepts_a_zoom_join_url(url: str) -> None:
    meeting = OnlineMeeting(provider="zoom", join_url=url, meeting_id="123")
    assert check_meeting(meeting) is meeting


def test_check_meeting_refuses_another_provider_on_a_zoom_url() -> None:
    with pytest.raises(MeetingRefused):
        check_meeting(OnlineMeeting(provider="teams", join_url="https://us02web.zoom.us/j/123"))


URL_PIECES = ["https://", "http://", "zoom.us", "us02web.", ".", "@", "\\", "/", "evil.com", ":443", "#", "?"]
URL_PIECES += ["%2F", "%40", " ", "\t", "[", "]", "/j/1", "zoom.us."]


def _zoom_host(host: str | None) -> bool:
    host = (host or "").lower()
    return host == "zoom.us" or host.endswith(".zoom.us")


@given(st.lists(st.sampled_from(URL_PIECES), max_size=8).map("".join))
def test_an_accepted_join_url_leads_to_zoom_however_it_is_parsed(url: str) -> None:
    """Compare with httpx's parser and with a browser's reading of backslashes as slashes."""
    if is_zoom_url(url):
        assert _zoom_host(httpx.URL(url).host)
        browser = urlsplit(url.replace("\\", "/"))
        assert browser.scheme == "https" and _zoom_host(browser.hostname)


# -- the admin policy file ---------------------------------------------------------------------------------


@pytest.fixture
def policy_file(tmp_path, monkeypatch):
    def write(text: str | bytes):
        path = tmp_path / "policy.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(POLICY_FILE_ENV, str(path))
        return path

    return write


def test_an_allow_list_refuses_the_others_naming_the_rule(policy_file, tmp_path) -> None:
    path = policy_file('[plugins]\nallow = ["zoomclient-gmail"]\n')
    host = Host.from_environment(data_dir=tmp_path)
    assert record_of(host, "zoomclient-gmail").status is PluginStatus.LOADED
    m365 = record_of(host, "zoomclient-m365")
    assert m365.status is PluginStatus.REFUSED
    assert m365.reason == f"zoomclient-m365 is not allowed by the admin policy {path} (rule: {RULE_ADMIN_ALLOW})"
    assert m365.hooks == []
    assert [a.name for a in host.registry.account_types] == ["gmail"]
    assert host.loaded("host.default_plugins.core_commands")  # the host's own features are not plugins to deny


def test_a_denied_plugin_is_refused_before_it_is_imported(policy_file, site, tmp_path) -> None:
    site.install("broken")
    path = policy_file(f'[plugins]\ndeny = ["{BROKEN}", "zoomclient-m365"]\n')
    host = Host.from_environment(data_dir=tmp_path)
    broken = record_of(host, BROKEN)
    # Refused, not failed: the admin's rule applies before any of the plugin's code runs.
    assert broken.status is PluginStatus.REFUSED
    assert broken.reason == f"{BROKEN} is denied by the admin policy {path} (rule: {RULE_ADMIN_DENY})"
    assert record_of(host, "zoomclient-m365").status is PluginStatus.REFUSED
    assert record_of(host, "zoomclient-gmail").status is PluginStatus.LOADED


def test_deny_wins_over_allow(policy_file, tmp_path) -> None:
    policy_file('[plugins]\nallow = ["zoomclient-gmail"]\ndeny = ["zoomclient-gmail"]\n')
    record = record_of(Host.from_environment(load_plugins="zoomclient-gmail", data_dir=tmp_path), "zoomclient-gmail")
    assert record.reason.endswith(f"(rule: {RULE_ADMIN_DENY})")


def test_the_site_policy_file_applies_without_the_variable(tmp_path) -> None:
    # conftest points XDG_CONFIG_DIRS, where platformdirs looks on Linux, to tmp_path / "site-config".
    path = tmp_path / "site-config" / "zoomclient" / "policy.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[plugins]\ndeny = ["zoomclient-gmail"]\n', encoding="utf-8")
    host = Host.from_environment(data_dir=tmp_path)
    assert record_of(host, "zoomclient-gmail").reason.endswith(f"(rule: {RULE_ADMIN_DENY})")
    assert AdminPolicy.load().source == path


def test_no_policy_file_restricts_nothing(tmp_path, providers) -> None:
    assert AdminPolicy.load() == AdminPolicy()
    host = Host.from_environment(data_dir=tmp_path)
    assert all(record_of(host, name).status is PluginStatus.LOADED for name in providers)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("[plugins\n", "Expected ']'"),
        ("plugins = 3\n", "[plugins] must be a table"),
        ('[plugins]\nallow = "zoomclient-gmail"\n', "must be lists"),
        ("[plugins]\ndeny = 1\n", "must be lists"),
        (b"[plugins]\ndeny = ['\xff']\n", "utf-8"),
    ],
)
def test_a_malformed_policy_file_fails_closed(policy_file, tmp_path, content, error) -> None:
    path = policy_file(content)
    with pytest.raises(UsageError) as raised:
        Host.from_environment(data_dir=tmp_path)
    message = str(raised.value)
    assert f"The admin policy file {path} cannot be used:" in message
    assert error in message
    assert "until then no plugin loads" in message

    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 2
    assert "cannot be used" in result.stderr
    assert result.stdout == ""  # nothing listed: no plugin was loaded


def test_a_missing_policy_file_named_by_the_variable_fails_closed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(POLICY_FILE_ENV, str(tmp_path / "nowhere.toml"))
    with pytest.raises(UsageError, match=r"nowhere\.toml cannot be used"):
        Host.from_environment(data_dir=tmp_path)

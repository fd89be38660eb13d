"""The plugin's hooks register everything and import nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

from host.app import Host
from host.providers import CalendarProviderFactory, MailProviderFactory
from provider_gmail import plugin


def test_importing_the_hooks_loads_neither_the_providers_nor_the_emulator() -> None:
    heavy = ("provider_gmail", "starlette", "host.mime")
    code = (
        "import json, sys; import provider_gmail.plugin; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({heavy!r}))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout)
    assert loaded == ["provider_gmail", "provider_gmail.account", "provider_gmail.plugin"]


def test_the_hooks_register_the_account_type_both_providers_and_the_emulator(make_host: Callable[..., Host]) -> None:
    host = make_host(plugin)
    assert host.registry.account_type("gmail").oauth.redirect_path == "/oauth/google"
    registered: dict[str, list] = {"mail": [], "calendar": [], "sandbox": []}
    plugin.register_mail_providers(registered["mail"].append)
    plugin.register_calendar_providers(registered["calendar"].append)
    plugin.register_sandbox_services(registered["sandbox"].append)
    [mail], [calendar], [sandbox] = registered["mail"], registered["calendar"], registered["sandbox"]
    assert isinstance(mail, MailProviderFactory) and isinstance(calendar, CalendarProviderFactory)
    assert (mail.account_type, calendar.account_type, sandbox.account_type) == ("gmail", "gmail", "gmail")
    assert "https://mail.google.com/" in mail.scopes and calendar.scopes == (
        "https://www.googleapis.com/auth/calendar",
    )

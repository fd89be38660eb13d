"""The plugin's hooks register everything and import nothing heavy; the account type is Zoom's."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

from host.app import Host
from host.providers import CalendarProviderFactory, MailCapability, MailProviderFactory
from provider_zoommail import plugin


def test_importing_the_hooks_loads_neither_the_providers_nor_the_emulator() -> None:
    heavy = ("provider_zoommail", "starlette", "host.mime")
    code = (
        "import json, sys; import provider_zoommail.plugin; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({heavy!r}))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout)
    assert loaded == ["provider_zoommail", "provider_zoommail.account", "provider_zoommail.plugin"]


def test_the_hooks_register_zooms_account_type_both_providers_and_the_emulator(
    make_host: Callable[..., Host],
) -> None:
    host = make_host(plugin)
    account_type = host.registry.account_type("zoommail")
    oauth = account_type.oauth
    assert (oauth.authorize_url, oauth.token_url) == ("https://zoom.us/oauth/authorize", "https://zoom.us/oauth/token")
    assert oauth.userinfo_url == "https://api.zoom.us/v2/users/me" and oauth.single_use_refresh_tokens
    assert account_type.endpoints == {"zoom": "https://api.zoom.us/v2"}
    registered: dict[str, list] = {"mail": [], "calendar": [], "sandbox": []}
    plugin.register_mail_providers(registered["mail"].append)
    plugin.register_calendar_providers(registered["calendar"].append)
    plugin.register_sandbox_services(registered["sandbox"].append)
    [mail], [calendar], [sandbox] = registered["mail"], registered["calendar"], registered["sandbox"]
    assert isinstance(mail, MailProviderFactory) and isinstance(calendar, CalendarProviderFactory)
    assert (mail.account_type, calendar.account_type, sandbox.account_type, sandbox.name) == ("zoommail",) * 4
    assert (mail.scopes, calendar.scopes) == (("mail:read", "mail:write"), ("calendar:read", "calendar:write"))
    assert MailCapability.SIGNATURES not in mail.capabilities

"""The provider contract kit: one suite every provider distribution runs against its own emulator.

A provider subclasses :class:`ProviderContract` in its tests and defines one fixture,
``contract_target``, that starts its emulator on 127.0.0.1 and says how to reach and steer it::

    import pytest
    from host.sandbox.runner import ServerThread
    from host.sandbox.service import SandboxOptions
    from host.testing.contract import ContractTarget, ProviderContract
    from provider_gmail import plugin
    from provider_gmail.emulator import GmailControl, GmailEmulator

    class TestGmailContract(ProviderContract):
        @pytest.fixture
        def contract_target(self):
            emulator = GmailEmulator(SandboxOptions(messages=40, events=20))
            with ServerThread(emulator, name="gmail") as server:
                yield ContractTarget(plugin, "gmail", server.url, GmailControl(emulator))

Every ``test_*`` of the kit then runs against that emulator: sign-in (and consent that declines the
mail or the calendar scopes), folders, initial and incremental sync after server-side changes, an
expired cursor, sending, drafts, flags, labels, move, trash and delete pushed, folder editing,
server and local search, rules, auto-reply, calendars, events created, updated, deleted and
answered, incremental refresh (and after an expired cursor), free/busy, and injected faults (429
with Retry-After, 503, 401). A capability the provider declares it lacks skips its tests with the
reason; nothing is faked.

The kit signs in the way ``zoomclient account add PROVIDER --sandbox URL`` does, in a host built
in-process from the plugin (``make_host``) with secrets in memory, and works through the account's
session as the CLI does. It asks of the emulator: consent that approves unattended (the default of
:class:`~host.sandbox.service.SandboxOptions`), at least three seeded messages and a primary
calendar, and an :class:`EmulatorControl` — a few lines per method over the emulator's own state
(``tests/testprovider/testprovider/control.py`` is TestMail's). The tests change the server: give
each test a fresh emulator with a function-scoped fixture, as above. The tests are marked for
pytest-asyncio, so they run under ``asyncio_mode = strict`` too.
"""

from __future__ import annotations

from host.testing.contract_calendar import CalendarContract
from host.testing.contract_mail import MailContract
from host.testing.contract_signin import SignInContract
from host.testing.control import ContractTarget, EmulatorControl


class ProviderContract(SignInContract, MailContract, CalendarContract):
    """Subclass in a provider's tests and define the fixture ``contract_target`` returning a
    :class:`ContractTarget`; every ``test_*`` here then runs against that provider's emulator.
    Capabilities the provider declares it lacks are skipped with the reason, never faked."""


__all__ = ["ContractTarget", "EmulatorControl", "ProviderContract"]

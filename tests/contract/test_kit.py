"""The kit itself: it runs under a provider's strict pytest settings, skips what a provider declares it
lacks (with the reason), and fails a provider that only seems to work because the host falls back."""

from __future__ import annotations

import textwrap

import pytest

# Imported before pytester's in-process runs, which drop from sys.modules whatever they imported
# first: keyring (under host.secrets) leaves the metadata lookups of the next run broken when dropped.
import host.testing.contract  # noqa: F401

pytest_plugins = ["pytester"]

#: What a provider distribution's own test module looks like, with TestMail variants for plugins.
PROVIDER_TESTS = textwrap.dedent(
    '''
    import attrs
    import pytest
    from testprovider import names
    from testprovider.control import TestMailControl
    from testprovider.emulator import TestMailEmulator
    from testprovider.mail import TestMailProvider, TestMailProviderFactory
    from testprovider.plugin import ACCOUNT_TYPE

    from host.errors import ProviderError, TransientError
    from host.hookspecs import hookimpl
    from host.providers import MailCapability
    from host.sandbox.runner import ServerThread
    from host.sandbox.service import SandboxOptions
    from host.testing.contract import ContractTarget, ProviderContract


    class Plugin:
        """TestMail's account type with the given mail provider and no calendar provider at all."""

        def __init__(self, mail):
            self.mail = mail

        @hookimpl
        def register_account_types(self, register):
            register(ACCOUNT_TYPE)

        @hookimpl
        def register_mail_providers(self, register):
            register(self.mail)


    class LabelsOnlyFactory:
        account_type = names.ACCOUNT_TYPE
        scopes = (names.MAIL_SCOPE,)
        capabilities = frozenset({MailCapability.LABELS})

        def open(self, connection):
            provider = TestMailProvider(connection)
            provider.capabilities = self.capabilities
            return provider


    class DropsUpdatesProvider(TestMailProvider):
        """Reports new and deleted mail, but not flags or labels changed on the server."""

        async def changes(self, cursor):
            return attrs.evolve(await super().changes(cursor), updated=())


    class GivesUpProvider(TestMailProvider):
        """Takes a 503 for a refusal, so the engine (which retries only what is transient) gives up."""

        def __init__(self, connection):
            super().__init__(connection)
            request = self.api.request

            async def refusing(*args, **kwargs):
                try:
                    return await request(*args, **kwargs)
                except TransientError as error:
                    raise ProviderError(str(error), status=error.status) from error

            self.api.request = refusing


    def factory(provider):
        class Factory(TestMailProviderFactory):
            def open(self, connection):
                return provider(connection)

        return Factory()


    def serve(plugin):
        emulator = TestMailEmulator(SandboxOptions(messages=10, events=5))
        with ServerThread(emulator, name="testmail") as server:
            yield ContractTarget(plugin, names.ACCOUNT_TYPE, server.url, TestMailControl(emulator))


    class TestLabelsOnly(ProviderContract):
        @pytest.fixture
        def contract_target(self):
            yield from serve(Plugin(LabelsOnlyFactory()))


    class TestDropsUpdates(ProviderContract):
        @pytest.fixture
        def contract_target(self):
            yield from serve(Plugin(factory(DropsUpdatesProvider)))


    class TestGivesUp(ProviderContract):
        @pytest.fixture
        def contract_target(self):
            yield from serve(Plugin(factory(GivesUpProvider)))
    '''
)


@pytest.fixture
def provider_tests(pytester: pytest.Pytester) -> pytest.Pytester:
    # A provider's own settings: strict asyncio mode, warnings as errors.
    pytester.makeini(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\nfilterwarnings = error\n"
    )
    pytester.makepyfile(test_provider=PROVIDER_TESTS)
    return pytester


def test_what_a_provider_lacks_is_skipped_with_the_reason(provider_tests: pytest.Pytester) -> None:
    result = provider_tests.runpytest_inprocess(
        "-p",
        "no:randomly",
        "-rs",
        "-k",
        "TestLabelsOnly and (drafts or rules or auto_reply or server_search or folders_are or calendar)",
    )

    result.assert_outcomes(skipped=14)
    result.stdout.fnmatch_lines_random(
        [
            "*testmail declares it has no drafts*",
            "*testmail declares it has no rules*",
            "*testmail declares it has no auto-reply*",
            "*testmail declares it has no server-search*",
            "*testmail declares it has no folder-edit*",
            "*testmail registers no calendar provider*",
            "*testmail does not offer both mail and calendar*",
        ]
    )


def test_the_rest_runs_in_strict_asyncio_mode(provider_tests: pytest.Pytester) -> None:
    result = provider_tests.runpytest_inprocess(
        "-p", "no:randomly", "-k", "TestLabelsOnly and (sign_in_grants or initial_sync or send_reaches)"
    )

    result.assert_outcomes(passed=3)


def test_providers_with_real_bugs_fail_the_contract(provider_tests: pytest.Pytester) -> None:
    result = provider_tests.runpytest_inprocess(
        "-p", "no:randomly", "-k", "(TestDropsUpdates and incremental_sync) or (TestGivesUp and throttling)"
    )

    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines_random(
        [
            "*(unread, flagged, folders) local vs server*",
            "*ProviderError: TestMail had a server error (HTTP 503)*",
        ]
    )

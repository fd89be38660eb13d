"""The contract kit's fixtures and helpers, shared by its parts (see :mod:`host.testing.contract`).

Every test gets a fresh host built in-process from the provider's plugin, an account manager with
secrets in memory, and (through :meth:`ContractBase.contract_session`) an account signed in against
the emulator with the same headless consent the CLI's ``--sandbox`` sign-in uses.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Collection

import attrs
import pytest
import pytest_asyncio

from host.accounts import Accounts, AccountSession
from host.app import Host
from host.auth import SignIn, headless_browser
from host.calendar import CalendarCache
from host.model.calendar import Calendar
from host.model.mail import FolderKind
from host.providers import CalendarCapability, CalendarProvider, MailCapability, MailProvider
from host.secrets import MemorySecretStore
from host.store import MailStore
from host.sync import RetryPolicy, SyncEngine, SyncSettings
from host.testing.control import ContractTarget, EmulatorControl

#: Retries without real waiting (faults are injected on purpose), and no undo-send delay, so that a
#: push sends at once.
CONTRACT_SETTINGS = SyncSettings(
    retry=RetryPolicy(base=0.01, cap=0.05, attempts=6, rate_limited_attempts=10),
    undo_delay=dt.timedelta(0),
)

#: Someone outside the mailbox, for mail the kit sends and invitations it receives.
OUTSIDER = "contract.peer@example.com"

SignInFactory = Callable[..., Awaitable[tuple[SignIn, AccountSession]]]


def unique(text: str) -> str:
    """``text`` with a random word added, so the kit finds its own mail and events among the seeded ones
    (and those of other tests when a provider shares one emulator between tests)."""
    return f"{text} zc{secrets.token_hex(5)}"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@attrs.frozen
class MailParts:
    store: MailStore
    engine: SyncEngine
    provider: MailProvider


class ContractBase:
    """Fixtures and helpers of the kit; the provider's subclass defines ``contract_target``."""

    # Marked, not left to asyncio_mode=auto: a provider's own pytest settings may be strict.
    pytestmark = pytest.mark.asyncio

    @pytest.fixture
    def contract_target(self) -> ContractTarget:
        raise NotImplementedError(
            "Define the fixture contract_target in your ProviderContract subclass: start your emulator on "
            "127.0.0.1 and return ContractTarget(plugin, account_type, base_url, control)."
        )

    @pytest.fixture
    def contract_control(self, contract_target: ContractTarget) -> EmulatorControl:
        control = contract_target.control
        assert isinstance(control, EmulatorControl), f"{type(control).__name__} lacks part of EmulatorControl"
        return control

    @pytest.fixture
    def contract_host(self, make_host: Callable[..., Host], contract_target: ContractTarget) -> Host:
        host = make_host(contract_target.plugin)
        # Raises with the reason when the plugin was refused or registers no such account type.
        host.registry.account_type(contract_target.account_type)
        return host

    @pytest.fixture
    def contract_accounts(self, contract_host: Host) -> Accounts:
        return Accounts(contract_host, MemorySecretStore())

    @pytest_asyncio.fixture
    async def contract_sign_in(
        self, contract_accounts: Accounts, contract_target: ContractTarget, contract_control: EmulatorControl
    ) -> AsyncIterator[SignInFactory]:
        """``await contract_sign_in(decline=scopes)``: sign in (the consent declining ``scopes``) and open
        the account; the session is closed after the test."""
        sessions: list[AccountSession] = []

        async def sign_in(decline: Collection[str] = ()) -> tuple[SignIn, AccountSession]:
            contract_control.decline_scopes(decline)
            try:
                result = await contract_accounts.add(
                    contract_target.account_type,
                    sandbox_url=contract_target.base_url,
                    open_browser=headless_browser,
                    timeout=30.0,
                )
            finally:
                contract_control.decline_scopes(())  # an emulator shared between tests is left as found
            session = await contract_accounts.open(settings=CONTRACT_SETTINGS)
            sessions.append(session)
            return result, session

        yield sign_in
        for session in sessions:
            await session.aclose()

    @pytest_asyncio.fixture
    async def contract_session(self, contract_sign_in: SignInFactory) -> AccountSession:
        """The account signed in with everything granted, opened."""
        _, session = await contract_sign_in()
        return session

    # -- requirements: a capability the provider declares it lacks skips the test ----------------

    @staticmethod
    def mail_parts(session: AccountSession, *needed: MailCapability) -> MailParts:
        if session.mail is None or session.store is None or session.sync is None:
            pytest.skip(f"{session.account.account_type} registers no mail provider")
        _skip_missing(session.account.account_type, session.mail.capabilities, needed)
        return MailParts(session.store, session.sync, session.mail)

    @staticmethod
    def calendar_provider(session: AccountSession, *needed: CalendarCapability) -> CalendarProvider:
        if session.calendar is None or session.calendars is None:
            pytest.skip(f"{session.account.account_type} registers no calendar provider")
        _skip_missing(session.account.account_type, session.calendar.capabilities, needed)
        return session.calendar


def _skip_missing(account_type: str, have: Collection[object], needed: Collection[object]) -> None:
    missing = [capability for capability in needed if capability not in have]
    if missing:
        names = ", ".join(getattr(c, "value", str(c)) for c in missing)
        pytest.skip(f"{account_type} declares it has no {names}")


async def load_primary(cache: CalendarCache) -> Calendar:
    """Load the cache (calendars, and the window around today); the primary calendar."""
    await cache.load()
    primaries = [c for c in cache.calendars if c.primary]
    assert len(primaries) == 1, f"exactly one primary calendar expected, got {[c.id for c in primaries]}"
    return primaries[0]


def folder_id(store: MailStore, kind: FolderKind) -> str:
    folder = store.folder_by_kind(kind)
    assert folder is not None, f"the provider lists no {kind.value} folder"
    return folder.id


def local_state(store: MailStore) -> dict[str, tuple[bool, bool, frozenset[str]]]:
    """Every stored message: id -> (unread, flagged, folders)."""
    found = {}
    for message_id in store.all_ids():
        message = store.get_message(message_id)
        assert message is not None
        found[message_id] = (message.unread, message.flagged, frozenset(message.folder_ids))
    return found


def server_state(control: EmulatorControl) -> dict[str, tuple[bool, bool, frozenset[str]]]:
    """Every message on the server, in :func:`local_state`'s shape."""
    return {
        message_id: (*control.message_state(message_id), frozenset(control.message_folders(message_id)))
        for message_id in control.message_ids()
    }


def assert_mirrors_server(store: MailStore, control: EmulatorControl) -> None:
    """The store holds exactly the server's messages, each once, with the server's flags and folders."""
    local, server = local_state(store), server_state(control)
    assert set(local) == set(server), {
        "only local": sorted(set(local) - set(server)),
        "only on the server": sorted(set(server) - set(local)),
    }
    differing = {i: (local[i], server[i]) for i in server if local[i] != server[i]}
    assert not differing, f"(unread, flagged, folders) local vs server: {differing}"
    assert store.count()[0] == len(server)


def subjects_found(store: MailStore, subject: str) -> list[str]:
    """Ids of stored messages whose subject is exactly ``subject``."""
    return [m.id for m in store.search(f'subject:"{subject}"', limit=10) if m.subject == subject]

"""Sign-in, one account at a time, opening a session, and sign-out that leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from testprovider import names

from host.accounts import AccountAlreadySignedIn, Accounts, NotSignedIn
from host.auth import headless_browser
from host.errors import PluginError, UsageError
from host.hookspecs import hookimpl
from host.model import Feature, OutgoingMessage
from host.model.mail import Address
from host.sandbox.runner import ServerThread
from host.secrets import MemorySecretStore


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


async def sign_in(accounts: Accounts, server: ServerThread):
    return await accounts.add(names.ACCOUNT_TYPE, sandbox_url=server.url, open_browser=headless_browser)


async def test_sign_in_records_the_account_with_both_features(accounts: Accounts, server, emulator) -> None:
    result = await sign_in(accounts, server)

    assert result.account.email == emulator.state.owner.email
    assert result.account.features == {Feature.MAIL, Feature.CALENDAR}
    assert result.notices == ()
    assert accounts.current() == result.account


async def test_a_second_account_is_refused_while_one_is_signed_in(accounts: Accounts, server) -> None:
    first = await sign_in(accounts, server)

    with pytest.raises(AccountAlreadySignedIn, match="one mail account at a time") as raised:
        await sign_in(accounts, server)

    assert "account remove" in raised.value.hint
    assert accounts.current() == first.account


async def test_declined_calendar_scopes_give_a_mail_only_session(accounts: Accounts, server, emulator) -> None:
    emulator.oauth.config.declined_scopes = {names.CALENDAR_SCOPE}

    result = await sign_in(accounts, server)
    session = await accounts.open()
    try:
        assert result.account.features == {Feature.MAIL}
        assert any("alendar" in notice for notice in result.notices)
        assert session.calendars is None
        with pytest.raises(PluginError, match="not granted") as raised:
            session.require_calendars()
        assert "Sign out and sign in again" in raised.value.hint
        store, engine = session.require_mail()
        await engine.sync()
        assert store.count()[0] == len(emulator.state.messages)
    finally:
        await session.aclose()


async def test_open_without_an_account_says_how_to_sign_in(accounts: Accounts) -> None:
    with pytest.raises(NotSignedIn) as raised:
        await accounts.open()
    assert "zoomclient account add" in raised.value.hint


async def test_sign_out_leaves_no_file_and_no_secret(accounts: Accounts, server, emulator, data_dir: Path) -> None:
    await sign_in(accounts, server)
    session = await accounts.open()
    _, engine = session.require_mail()
    await engine.sync()
    item = await engine.send(
        OutgoingMessage(to=(Address("bo@example.com"),), subject="before sign-out", body_text="hello"),
    )
    cache = session.require_calendars()
    await cache.load()
    assert files_under(data_dir), "the session wrote its database"
    assert item.state == "queued", "an unsent message waits in the outbox, to be wiped with the rest"

    signed_out = await accounts.remove(session)

    assert signed_out is not None and signed_out.email == emulator.state.owner.email
    assert files_under(data_dir) == []
    assert accounts.current() is None
    if isinstance(accounts.secrets, MemorySecretStore):
        assert accounts.secrets.secrets == {}
    assert len(cache) == 0, "sign-out drops the in-memory calendars"


async def test_nothing_of_the_account_is_readable_in_its_files(accounts: Accounts, server, emulator, data_dir) -> None:
    """The database is encrypted and the record of the account lives with the secrets, not in a plain file."""
    await sign_in(accounts, server)
    session = await accounts.open()
    try:
        _, engine = session.require_mail()
        await engine.sync()
    finally:
        await session.aclose()
    email = emulator.state.owner.email.encode()
    some_subject = next(iter(emulator.state.messages.values())).subject.encode()

    for path in files_under(data_dir):
        content = path.read_bytes()
        assert email not in content, path
        assert some_subject not in content, path
        assert not content.startswith(b"SQLite format 3"), path


async def test_plugins_hear_of_sign_in_and_sign_out(make_host, data_dir, server) -> None:
    from testprovider import plugin as testmail_plugin

    heard: list[tuple[str, str]] = []

    class Listener:
        @hookimpl
        def account_signed_in(self, account) -> None:
            heard.append(("in", account.email))

        @hookimpl
        def account_signed_out(self, account) -> None:
            heard.append(("out", account.email))

    host = make_host(testmail_plugin, ("listener", Listener()))
    host.data_dir = data_dir
    accounts = Accounts(host, MemorySecretStore())
    result = await sign_in(accounts, server)
    await accounts.remove()

    assert heard == [("in", result.account.email), ("out", result.account.email)]


async def test_plugins_hear_of_each_open_on_the_cores_loop_with_the_secret_store(make_host, data_dir, server) -> None:
    """``account_signed_in`` comes at sign-in and at every open (the app's start), so a plugin can read
    anew what it keeps (the Zoom admin policy) in a task of the running loop; ``account_signed_out``
    brings the store too, for the plugin to delete what it kept for the account."""
    import asyncio

    from testprovider import plugin as testmail_plugin

    heard: list[tuple[str, object, bool]] = []

    class Listener:
        @hookimpl
        def account_signed_in(self, account, secrets) -> None:
            heard.append((account.email, secrets, asyncio.get_running_loop().is_running()))

        @hookimpl
        def account_signed_out(self, account, secrets) -> None:
            heard.append(("out", secrets, secrets.get("listener/kept") is not None))

    host = make_host(testmail_plugin, ("listener", Listener()))
    host.data_dir = data_dir
    store = MemorySecretStore()
    accounts = Accounts(host, store)
    result = await sign_in(accounts, server)
    session = await accounts.open()
    await session.aclose()
    store.set("listener/kept", "what the plugin keeps for the account")
    await accounts.remove()

    assert heard == [(result.account.email, store, True)] * 2 + [("out", store, True)]


async def test_an_account_type_without_providers_is_refused_with_a_hint(make_host) -> None:
    from testprovider.plugin import ACCOUNT_TYPE

    class AccountTypeOnly:
        @hookimpl
        def register_account_types(self, register) -> None:
            register(ACCOUNT_TYPE)

    accounts = Accounts(make_host(("bare", AccountTypeOnly())), MemorySecretStore())

    with pytest.raises(UsageError, match="neither a mail nor a calendar provider") as raised:
        await accounts.add(names.ACCOUNT_TYPE, open_browser=headless_browser)
    assert "Install the provider" in raised.value.hint


async def test_an_unknown_account_type_names_the_installed_ones(make_host) -> None:
    from testprovider import plugin as testmail_plugin

    accounts = Accounts(make_host(testmail_plugin), MemorySecretStore())

    with pytest.raises(PluginError, match="installed: testmail"):
        await accounts.add("hotmail", open_browser=headless_browser)

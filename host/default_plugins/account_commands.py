"""``zoomclient account add | list | remove``: sign-in and sign-out."""

from __future__ import annotations

import click

from host.cli.support import accounts, echo_json, reports_errors, run
from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(account)


@click.group()
def account() -> None:
    """Sign in to the one mail account, see it, sign out of it."""


@account.command(name="add")
@click.argument("provider")
@click.option(
    "--sandbox", "sandbox_url", metavar="URL", help="Sign in against this emulator (see `zoomclient sandbox`)."
)
@click.option(
    "--browser/--no-browser",
    default=None,
    help="Open the system browser for consent (default: yes, except against an emulator, whose consent "
    "needs no person).",
)
@click.pass_context
@reports_errors
def account_add(ctx: click.Context, provider: str, sandbox_url: str | None, browser: bool | None) -> None:
    """Sign in to PROVIDER (gmail, m365, zoommail) with OAuth 2.0 in the browser."""
    import webbrowser

    from host.auth import headless_browser

    manager = accounts(ctx)
    use_browser = browser if browser is not None else sandbox_url is None
    if use_browser:
        click.echo("Opening your browser to sign in; come back here when you have allowed access.")
    result = run(
        manager.add(
            provider, sandbox_url=sandbox_url, open_browser=webbrowser.open if use_browser else headless_browser
        )
    )
    features = ", ".join(sorted(f.value for f in result.account.features))
    click.echo(f"Signed in as {result.account.email} ({features}).")
    for notice in result.notices:
        click.echo(notice)


@account.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@reports_errors
def account_list(ctx: click.Context, as_json: bool) -> None:
    """Show the signed-in account (there is at most one)."""
    manager = accounts(ctx)
    current = manager.current()
    if as_json:
        echo_json([current] if current else [])
        return
    if current is None:
        click.echo("No account is signed in. Sign in with `zoomclient account add gmail` (or m365, zoommail).")
        return
    features = ", ".join(sorted(f.value for f in current.features)) or "nothing"
    where = f" on the emulator at {current.sandbox_url}" if current.sandbox_url else ""
    click.echo(f"{current.email} ({current.account_type}{where}): {features}")
    # What an administrator turned off (promise 6): one line each, with the reason.
    for restriction in manager.restrictions():
        click.echo(f"  {restriction}")


@account.command(name="remove")
@click.option("--yes", is_flag=True, help="Do not ask.")
@click.pass_context
@reports_errors
def account_remove(ctx: click.Context, yes: bool) -> None:
    """Sign out: delete the account's mail, its database key and its sign-in from this computer."""
    manager = accounts(ctx)
    current = manager.current()
    if current is None:
        click.echo("No account is signed in.")
        return
    if not yes:
        click.confirm(
            f"Sign out of {current.email}? Its mail is deleted from this computer (the server keeps it).",
            abort=True,
        )
    run(manager.remove())
    click.echo(f"Signed out of {current.email}; its data is deleted from this computer.")

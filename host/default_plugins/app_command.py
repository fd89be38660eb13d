"""``zoomclient app``: the desktop app on the user's own account and data."""

from __future__ import annotations

import click

from host.cli.support import reports_errors
from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(app_command)


@click.command(name="app")
@click.pass_context
@reports_errors
def app_command(ctx: click.Context) -> None:
    """Open the mail and calendar window (sign in from it when no account is signed in)."""
    from host.cli.main import get_host
    from host.secrets import open_secret_store

    try:
        from host.ui.app import run
        from host.ui.passphrase import ask_passphrase
        from host.ui.window import application
    except ImportError as error:
        raise click.ClickException(
            f"The desktop app needs its extra ({error.name} is missing). Install it with: pip install 'zoomclient[ui]'"
        ) from error
    host = get_host(ctx)
    application()  # before the passphrase dialog, which needs it
    secrets = open_secret_store(host.data_dir, ask_passphrase=ask_passphrase)
    ctx.exit(run(host, secrets))

"""``zoomclient demo``: the desktop app on the installed emulators, with seeded data (see :mod:`host.ui.demo`)."""

from __future__ import annotations

import click

from host.cli.support import reports_errors
from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(demo_command)


@click.command(name="demo")
@click.option("--messages", type=click.IntRange(min=0), default=500, show_default=True, help="Messages per mailbox.")
@click.option("--events", type=click.IntRange(min=0), default=200, show_default=True, help="Calendar events.")
@click.option("--account-type", default=None, metavar="NAME", help="Which emulated account to sign in to.")
@click.pass_context
@reports_errors
def demo_command(ctx: click.Context, messages: int, events: int, account_type: str | None) -> None:
    """Open the app signed in to the local emulators: a temporary data dir, secrets in memory, nothing real."""
    from host.cli.main import get_host

    try:
        from host.ui.demo import run_demo
    except ImportError as error:
        raise click.ClickException(
            f"The demo needs the desktop and sandbox extras ({error.name} is missing). "
            "Install them with: pip install 'zoomclient[ui,sandbox]'"
        ) from error
    ctx.exit(run_demo(get_host(ctx), messages=messages, events=events, account_type=account_type))

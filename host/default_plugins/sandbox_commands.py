"""``zoomclient sandbox``: every installed plugin's API emulator on 127.0.0.1, for tests and the demo."""

from __future__ import annotations

import json
import signal
import threading
from typing import Any

import click

from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(sandbox_command)


@click.command(name="sandbox")
@click.option("--messages", type=click.IntRange(min=0), default=500, show_default=True, help="Messages per mailbox.")
@click.option("--events", type=click.IntRange(min=0), default=200, show_default=True, help="Calendar events.")
@click.option("--faults", "faults", default="", metavar="SPEC", help="Fault spec, e.g. 429:0.1:retry=2,500:0.05.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated data and faults.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per emulator.")
@click.pass_context
def sandbox_command(ctx: click.Context, messages: int, events: int, faults: str, seed: int, as_json: bool) -> None:
    """Start every installed plugin's API emulator and serve until interrupted (Ctrl-C).

    Each prints {"name", "provider", "url"}; sign in against one with
    `zoomclient account add PROVIDER --sandbox URL`.
    """
    from host.cli.main import get_host
    from host.errors import ZoomclientError
    from host.sandbox.service import SandboxOptions

    try:
        from host.sandbox.faults import parse_fault_spec
        from host.sandbox.runner import serve_services
    except ImportError as error:
        raise click.ClickException(
            f"The sandbox needs its extra ({error.name} is missing). Install it with: pip install 'zoomclient[sandbox]'"
        ) from error
    try:
        parse_fault_spec(faults)
    except ZoomclientError as error:
        raise click.BadParameter(str(error), param_hint="--faults") from error

    services = get_host(ctx).registry.sandbox_services
    if not services:
        raise click.ClickException("No installed plugin brings an emulator. Install a provider plugin first.")
    options = SandboxOptions(messages=messages, events=events, faults=faults, seed=seed)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops the emulators as cleanly as Ctrl-C does.
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        with serve_services(services, options) as running:
            for service in running:
                if as_json:
                    click.echo(json.dumps(service.to_json()))
                else:
                    click.echo(f"{service.name:<16} {service.provider or '-':<12} {service.url}")
            if not as_json:
                click.echo("Serving; press Ctrl-C to stop.", err=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        if not as_json:
            click.echo("Stopped.", err=True)
    except ZoomclientError as error:
        raise click.ClickException(str(error)) from error


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt

"""The core's own commands, registered through the same hook as any plugin's."""

from __future__ import annotations

import json

import click

from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(plugins_command)


@click.command(name="plugins")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array.")
@click.option("--all", "include_builtin", is_flag=True, help="Include the host's built-in plugins.")
@click.pass_context
def plugins_command(ctx: click.Context, as_json: bool, include_builtin: bool) -> None:
    """List every discovered plugin: name, version, hooks and status (loaded / refused / failed)."""
    from host.cli.main import get_host

    records = get_host(ctx).plugin_records(include_builtin=include_builtin)
    if as_json:
        click.echo(json.dumps([record.to_json() for record in records], indent=2))
        return
    if not records:
        click.echo("No plugins loaded.")
        return
    for record in records:
        line = f"{record.name} {record.version or ''}".rstrip() + f"  [{record.status.value}]"
        click.echo(line)
        if record.hooks:
            click.echo(f"    hooks: {', '.join(record.hooks)}")
        if record.reason:
            click.echo(f"    reason: {record.reason}")

"""The ``zoomclient`` entry point.

Commands are registered through the ``register_commands`` hook, so the host (and the plugin subset
chosen by ``--load-plugins``) is built only when click resolves a subcommand, after the global options
are parsed.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from host import __version__
from host.errors import ZoomclientError


class HostGroup(click.Group):
    """A group that loads the host on first use and asks its plugins for their commands."""

    def _plugin_commands(self, ctx: click.Context) -> click.Group:
        root = ctx.find_root()
        state: dict[str, Any] = root.meta.setdefault("zoomclient", {})
        if "commands" not in state:
            host = get_host(ctx)
            group = click.Group()
            for impl in reversed(host.pm.hook.register_commands.get_hookimpls()):
                try:
                    impl.function(cli=group)
                except Exception as error:  # a broken plugin loses its commands, not the CLI
                    click.echo(f"warning: plugin {impl.plugin_name} failed to add commands: {error}", err=True)
            state["commands"] = group
        return state["commands"]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._plugin_commands(ctx).list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or self._plugin_commands(ctx).get_command(ctx, cmd_name)


def get_host(ctx: click.Context):  # -> host.app.Host, imported lazily for a fast start
    """The host for this invocation, built once from the global options."""
    root = ctx.find_root()
    state: dict[str, Any] = root.meta.setdefault("zoomclient", {})
    if "host" not in state:
        from host.app import Host

        options = root.params
        try:
            state["host"] = Host.from_environment(
                load_plugins=options.get("load_plugins"), data_dir=options.get("data_dir")
            )
        except ZoomclientError as error:
            raise click.UsageError(str(error)) from error
    return state["host"]


@click.group(cls=HostGroup)
@click.version_option(__version__, prog_name="zoomclient")
@click.option(
    "--load-plugins",
    metavar="NAMES",
    default=None,
    help="Load only these plugin distributions (comma-separated; '' for none). Same as ZOOMCLIENT_LOAD_PLUGINS.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="ZOOMCLIENT_DATA_DIR",
    help="Where accounts are stored (default: the platform's user data dir).",
)
def cli(load_plugins: str | None, data_dir: str | None) -> None:
    """zoomclient: one mail account and its calendars beside Zoom's workflows."""


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="zoomclient", standalone_mode=True)
    except ZoomclientError as error:  # pragma: no cover - commands turn these into ClickExceptions
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)

"""What the core's commands share: the account manager, running coroutines, JSON output, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import json
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from host.errors import ZoomclientError

if TYPE_CHECKING:
    from host.accounts import Accounts, AccountSession
    from host.calendar import CalendarCache
    from host.model.calendar import Calendar, Event

T = TypeVar("T")

#: Where a command's ``--event ID`` is looked for: from a month ago to a year ahead (events live only in
#: memory, so the command loads this window of the one calendar).
EVENT_WINDOW = (dt.timedelta(days=31), dt.timedelta(days=366))

#: Fields never printed: raw MIME and the providers' private bookkeeping.
_HIDDEN_FIELDS = frozenset({"raw", "provider_data", "start_url"})


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end; the command's :func:`reports_errors` turns the host's errors into CLI errors."""
    import asyncio  # here: most commands never run a coroutine, and start faster without it

    return asyncio.run(coroutine)


def reports_errors(command: Callable[..., T]) -> Callable[..., T]:
    """Decorator for every command: a ZoomclientError ends in a clean CLI error (exit 1) saying what to do."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return command(*args, **kwargs)
        except ZoomclientError as error:
            raise click.ClickException(str(error)) from error

    return wrapper


def accounts(ctx: click.Context):  # -> host.accounts.Accounts
    """The account manager of this invocation's host, with the secret store it needs."""
    from host.accounts import Accounts
    from host.cli.main import get_host
    from host.secrets import open_secret_store

    host = get_host(ctx)
    ask = _ask_passphrase if sys.stdin.isatty() else None
    return Accounts(host, open_secret_store(host.data_dir, ask_passphrase=ask))


def _ask_passphrase(*, new: bool) -> str:
    text = "Choose a passphrase for the secrets vault" if new else "Passphrase of the secrets vault"
    return str(click.prompt(text, hide_input=True, confirmation_prompt=new))


def jsonable(value: Any) -> Any:
    """attrs models, enums, datetimes and collections as plain JSON values."""
    if attrs.has(type(value)):
        return {
            field.name: jsonable(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.name not in _HIDDEN_FIELDS
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return None
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(jsonable(value), ensure_ascii=False, indent=2))


def command_group(cli: click.Group, name: str, help: str) -> click.Group:
    """The group ``name`` of ``cli`` for a plugin's subcommand: the one another plugin made already (two Team
    Chat plugins share ``chat``), else a new one with this ``help``."""
    group = cli.commands.get(name)
    if not isinstance(group, click.Group):
        group = click.Group(name, help=help)
        cli.add_command(group)
    return group


#: The options of a command that works on one event: ``--event ID`` and ``--calendar ID`` (see find_event),
#: and for one that changes it, ``--no-notify``.
event_option = click.option("--event", "event_id", required=True, help="The event's id.")
calendar_option = click.option("--calendar", "calendar_id", help="The event's calendar (default: the primary one).")
notify_option = click.option("--no-notify", is_flag=True, help="Do not send updated invitations.")

#: What date and time options accept: a date, or a date and a time with or without seconds.
DATETIME = click.DateTime(["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"])


async def find_event(
    session: AccountSession, calendar_id: str | None, event_id: str
) -> tuple[CalendarCache, Calendar, Event]:
    """The event ``event_id`` of a command's ``--event`` in ``calendar_id`` (default: the primary calendar),
    with the loaded cache and the calendar, or a UsageError that says where to look."""
    from host.errors import UsageError

    cache = session.require_calendars()
    await cache.load()
    calendar = cache.calendar(calendar_id) if calendar_id else next((c for c in cache.calendars if c.primary), None)
    if calendar is None:
        raise UsageError(f"There is no calendar {calendar_id!r}.", hint="`zoomclient calendar list --json` lists them.")
    now = dt.datetime.now(dt.UTC)
    back, ahead = EVENT_WINDOW
    await cache.ensure_range(now - back, now + ahead, [calendar.id])
    event = cache.get(calendar.id, event_id)
    if event is None:
        raise UsageError(
            f"There is no event {event_id!r} in {calendar.name!r} between a month ago and a year ahead.",
            hint="Pass --calendar with the event's calendar id (see `zoomclient calendar list --json`).",
        )
    return cache, calendar, event


@contextlib.asynccontextmanager
async def opened_event(
    manager: Accounts, calendar_id: str | None, event_id: str
) -> AsyncIterator[tuple[CalendarCache, Calendar, Event]]:
    """``async with opened_event(manager, calendar_id, event_id) as (cache, calendar, event)``: the account
    opened and the event of a command's ``--event`` found in it (:func:`find_event`); closed again after."""
    session = await manager.open()
    try:
        yield await find_event(session, calendar_id, event_id)
    finally:
        await session.aclose()

"""``zoomclient calendar list | create``. Events are fetched for the command and forgotten after it."""

from __future__ import annotations

import datetime as dt

import click

from host.cli.support import DATETIME, accounts, echo_json, reports_errors, run
from host.hookspecs import hookimpl
from host.timezones import local_zone_name


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(calendar)


@click.group()
def calendar() -> None:
    """See and schedule events in every calendar the account reaches."""


def _local(moment: dt.datetime) -> dt.datetime:
    """click gives naive datetimes: they mean the user's local time."""
    return moment.astimezone() if moment.tzinfo is None else moment


@calendar.command(name="list")
@click.option("--from", "start", type=DATETIME, help="Start (default: today).")
@click.option("--to", "end", type=DATETIME, help="End (default: a week after the start).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def calendar_list(ctx: click.Context, start: dt.datetime | None, end: dt.datetime | None, as_json: bool) -> None:
    """List the events between two dates in every calendar."""
    today = dt.datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    begin = _local(start) if start else today
    finish = _local(end) if end else begin + dt.timedelta(days=7)

    async def list_events():
        session = await accounts(ctx).open()
        try:
            cache = session.require_calendars()
            await cache.load()
            await cache.ensure_range(begin, finish)
            return cache.calendars, cache.events_between(begin, finish)
        finally:
            await session.aclose()

    calendars, events = run(list_events())
    if as_json:
        echo_json({"calendars": calendars, "events": events})
        return
    names = {c.id: c.name for c in calendars}
    if not events:
        click.echo(f"No events between {begin:%Y-%m-%d} and {finish:%Y-%m-%d}.")
    for event in events:
        when = (
            "all day         "
            if event.all_day
            else f"{event.start.astimezone():%H:%M}–{event.end.astimezone():%H:%M}     "
        )
        click.echo(
            f"{event.start.astimezone():%a %Y-%m-%d} {when} {event.title}  ({names.get(event.calendar_id, '?')})"
        )


@calendar.command(name="create")
@click.option("--title", required=True)
@click.option("--start", required=True, type=DATETIME, help="Local start time.")
@click.option("--end", type=DATETIME, help="Local end time (default: an hour after the start).")
@click.option("--calendar", "calendar_id", help="The calendar's id (default: the primary calendar).")
@click.option("--attendee", multiple=True, help="An invitee's address (repeat for more).")
@click.option("--location", default="")
@click.option("--description", default="")
@click.option("--all-day", is_flag=True)
@click.option("--no-notify", is_flag=True, help="Do not send invitations.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def calendar_create(
    ctx: click.Context,
    title: str,
    start: dt.datetime,
    end: dt.datetime | None,
    calendar_id: str | None,
    attendee: tuple[str, ...],
    location: str,
    description: str,
    all_day: bool,
    no_notify: bool,
    as_json: bool,
) -> None:
    """Create an event (and invite people to it)."""
    from host.errors import UsageError
    from host.model import Address, Attendee, Event

    begin = _local(start)
    finish = _local(end) if end else begin + (dt.timedelta(days=1) if all_day else dt.timedelta(hours=1))
    if finish <= begin:
        raise UsageError("The event ends before it starts.", hint="Give an --end after --start.")

    async def create():
        session = await accounts(ctx).open()
        try:
            cache = session.require_calendars()
            await cache.load()
            target = _writable_calendar(cache.calendars, calendar_id)
            event = Event(
                id="",
                calendar_id=target.id,
                title=title,
                start=begin,
                end=finish,
                all_day=all_day,
                time_zone=local_zone_name(),
                location=location,
                description=description,
                attendees=tuple(Attendee(Address(a)) for a in attendee),
            )
            return await cache.create_event(event, notify=not no_notify)
        finally:
            await session.aclose()

    created = run(create())
    if as_json:
        echo_json(created)
    else:
        click.echo(f"Created {created.title!r} on {created.start.astimezone():%a %Y-%m-%d %H:%M} [{created.id}].")


def _writable_calendar(calendars, calendar_id: str | None):
    from host.errors import UsageError

    if calendar_id is not None:
        for candidate in calendars:
            if candidate.id == calendar_id:
                if not candidate.writable:
                    raise UsageError(
                        f"You may not add events to {candidate.name!r} ({candidate.access_role.value}).",
                        hint="Pick a calendar you own or may edit.",
                    )
                return candidate
        raise UsageError(f"There is no calendar {calendar_id!r}.", hint="`zoomclient calendar list --json` lists them.")
    primary = next((c for c in calendars if c.primary), None) or next((c for c in calendars if c.writable), None)
    if primary is None:
        raise UsageError("None of your calendars can be written to.", hint="Ask for edit rights, or use --calendar.")
    return primary

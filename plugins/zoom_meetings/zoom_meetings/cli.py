"""``zoomclient meeting create | update | delete --event ID``: Zoom meetings for existing events.

``zoomclient calendar create`` is the host's; to give a new event a Zoom meeting, create it and then
``zoomclient meeting create --event ID``. The event is looked up in its calendar between a month ago
and a year ahead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from host.cli.support import (
    calendar_option,
    echo_json,
    event_option,
    notify_option,
    opened_event,
    reports_errors,
    run,
)

if TYPE_CHECKING:
    from zoom_meetings.plugin import ZoomMeetingsPlugin


def meeting_commands(plugin: ZoomMeetingsPlugin) -> click.Group:
    """The ``meeting`` group, working with ``plugin``'s (the registered) Zoom provider."""

    @click.group()
    def meeting() -> None:
        """Zoom meetings for your events (the only kind of online meeting zoomclient schedules)."""

    @meeting.command(name="create")
    @event_option
    @calendar_option
    @click.option(
        "--host",
        "host_choice",
        type=click.Choice(["owner", "me"]),
        default="owner",
        help="On a calendar you manage for someone: host under the owner's Zoom account (default) or your own.",
    )
    @notify_option
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def meeting_create(
        ctx: click.Context, event_id: str, calendar_id: str | None, host_choice: str, no_notify: bool, as_json: bool
    ) -> None:
        """Add a Zoom meeting to an event: its join URL and dial-in numbers go into the location and description."""
        import attrs

        from zoom_meetings.scheduling import HOST_CHOICE_KEY, add_meeting

        manager = plugin.accounts(ctx)

        async def create():
            async with opened_event(manager, calendar_id, event_id) as (cache, calendar, event):
                event = attrs.evolve(event, provider_data={**event.provider_data, HOST_CHOICE_KEY: host_choice})
                return await add_meeting(plugin.provider, cache, event, calendar, notify=not no_notify)

        scheduled = run(create())
        if as_json:
            echo_json(scheduled.event)
            return
        host = f" under {scheduled.meeting.host_email}'s Zoom account" if scheduled.meeting.host_email else ""
        click.echo(f"Added Zoom meeting {scheduled.meeting.meeting_id}{host} to {scheduled.event.title!r}.")
        click.echo(f"Join: {scheduled.meeting.join_url}")

    @meeting.command(name="update")
    @event_option
    @calendar_option
    @notify_option
    @click.pass_context
    @reports_errors
    def meeting_update(ctx: click.Context, event_id: str, calendar_id: str | None, no_notify: bool) -> None:
        """Bring an event's Zoom meeting in line with the event's title, time and recurrence.

        Changing the event in zoomclient moves its meeting along by itself; this repairs a meeting that
        was changed in Zoom."""
        from zoom_meetings.scheduling import meeting_of, update_with_event

        manager = plugin.accounts(ctx)

        async def update():
            async with opened_event(manager, calendar_id, event_id) as (cache, _, event):
                return await update_with_event(plugin.provider, cache, event, notify=not no_notify)

        event = run(update())
        click.echo(f"Updated Zoom meeting {meeting_of(event).meeting_id} of {event.title!r}.")

    @meeting.command(name="delete")
    @event_option
    @calendar_option
    @notify_option
    @click.option("--yes", is_flag=True, help="Do not ask.")
    @click.pass_context
    @reports_errors
    def meeting_delete(ctx: click.Context, event_id: str, calendar_id: str | None, no_notify: bool, yes: bool) -> None:
        """Delete an event and its Zoom meeting."""
        if not yes:
            click.confirm("Delete the event and its Zoom meeting?", abort=True)
        manager = plugin.accounts(ctx)

        async def delete():
            async with opened_event(manager, calendar_id, event_id) as (cache, _, event):
                await cache.delete_event(event.calendar_id, event.id, notify=not no_notify)
                return event

        event = run(delete())
        click.echo(f"Deleted {event.title!r} and its Zoom meeting.")

    return meeting

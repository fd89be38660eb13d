"""``zoomclient recordings list | attach --event ID``: the user's cloud recordings, and one put into an event.

The event is looked up in its calendar between a month ago and a year ahead.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

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
    from zoom_recordings.plugin import ZoomRecordingsPlugin
    from zoom_recordings.recordings import CloudRecording

DEFAULT_DAYS = 30


def _as_json(recording: CloudRecording) -> dict[str, Any]:
    return {
        "uuid": recording.uuid,
        "meeting_id": recording.meeting_id,
        "topic": recording.topic,
        "start": recording.start.isoformat(),
        "duration_minutes": recording.duration_minutes,
        "share_url": recording.link,
        "passcode_protected": bool(recording.play_passcode or recording.passcode),
    }


def recordings_commands(plugin: ZoomRecordingsPlugin) -> click.Group:
    """The ``recordings`` group, reading Zoom through ``plugin``'s Zoom client."""

    @click.group()
    def recordings() -> None:
        """Your Zoom cloud recordings, to attach to invitations."""

    @recordings.command(name="list")
    @click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: 30 days ago).")
    @click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
    @click.option("--search", "text", default="", help="Only recordings whose topic has these words.")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def recordings_list(
        ctx: click.Context, first: dt.datetime | None, last: dt.datetime | None, text: str, as_json: bool
    ) -> None:
        """List your cloud recordings, newest first (any range: Zoom is asked a month at a time)."""
        from host.errors import UsageError
        from zoom_recordings.recordings import list_recordings

        today = dt.datetime.now(dt.UTC).date()
        end = last.date() if last else today
        start = first.date() if first else end - dt.timedelta(days=DEFAULT_DAYS)
        if start > end:
            raise UsageError(f"--from {start} is after --to {end}.", hint="Give the earlier day as --from.")
        plugin.accounts(ctx)  # binds the plugin to the store holding the Zoom sign-in

        async def listed():
            client = plugin.client()
            try:
                return await list_recordings(client, start, end)
            finally:
                await client.aclose()

        found = [r for r in run(listed()) if r.matches(text)]
        if as_json:
            echo_json([_as_json(r) for r in found])
            return
        if not found:
            click.echo(f"No cloud recordings from {start} to {end}" + (f" about {text!r}." if text else "."))
        for recording in found:
            click.echo(
                f"{recording.start:%Y-%m-%d %H:%M} UTC  {recording.duration_minutes:>3} min  {recording.topic}"
                f"  {recording.uuid}"
            )

    @recordings.command(name="attach")
    @event_option
    @calendar_option
    @click.option("--recording", "uuid", required=True, help="The recording's UUID (see `recordings list`).")
    @notify_option
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    @reports_errors
    def recordings_attach(
        ctx: click.Context, event_id: str, calendar_id: str | None, uuid: str, no_notify: bool, as_json: bool
    ) -> None:
        """Put a cloud recording's share link and passcode into an event's description."""
        from zoom_recordings.invitation import with_recording
        from zoom_recordings.recordings import recording_details

        manager = plugin.accounts(ctx)

        async def attach():
            client = plugin.client()
            try:
                recording = await recording_details(client, uuid)
            finally:
                await client.aclose()
            async with opened_event(manager, calendar_id, event_id) as (cache, _, event):
                return recording, await cache.update_event(with_recording(event, recording), notify=not no_notify)

        recording, event = run(attach())
        if as_json:
            echo_json(event)
            return
        click.echo(f"Attached the cloud recording {recording.topic!r} to {event.title!r}: {recording.link}")

    return recordings

"""The hooks of zoomclient-zoom-recordings: the event editor's "Attach cloud recording" action and
``zoomclient recordings``. Kept light: the work is imported when used.

The plugin is an object (the entry point names :data:`PLUGIN`), so that a test can build one whose
Zoom client comes from a sign-in of its own; the installed one opens the host's secret store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.hookspecs import hookimpl
from zoom_workplace.workflow_plugin import ZoomWorkflowPlugin

if TYPE_CHECKING:
    import click


class ZoomRecordingsPlugin(ZoomWorkflowPlugin):
    """The event editor's recording action and ``zoomclient recordings``; the Zoom client as every Zoom
    plugin gets it."""

    feature = "Attaching Zoom cloud recordings"

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                id="zoom.attach-recording",
                title="Attach cloud recording",
                places=frozenset({ActionPlace.EVENT_EDITOR}),
                run=self._attach,
                available=lambda context: context.event is not None,
                icon="zoom-recording",
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        from zoom_recordings.cli import recordings_commands

        cli.add_command(recordings_commands(self))

    async def _attach(self, context: ActionContext) -> ActionResult:
        """Ask for a date range, list the recordings in it, let the user pick one by topic, and hand the
        editor back the event with the recording's share link and passcode in its description."""
        import datetime as dt

        from host.actions import Choice
        from host.errors import UsageError
        from zoom_recordings.invitation import recorded_at, with_recording, zone_of
        from zoom_recordings.recordings import RANGES, NoRecordings, list_recordings, recording_details

        if context.event is None:
            raise UsageError("There is no event to attach a cloud recording to.")
        index = await context.ui.choose("Cloud recordings from", [r.title for r in RANGES])
        if index is None:
            return ActionResult()
        chosen = RANGES[index]
        today = dt.datetime.now(dt.UTC).date()
        client = self.client()
        try:
            recordings = await list_recordings(client, chosen.first_day(today), today)
            if not recordings:
                raise NoRecordings(
                    f"You have no cloud recordings from the {chosen.title.lower()}.",
                    hint="Choose a longer range, or record a meeting to the cloud first.",
                )
            zone = zone_of(context.event)
            rows = [
                Choice(
                    r.topic,
                    recorded_at(r, zone) + (" · passcode protected" if r.play_passcode else ""),
                    r,
                )
                for r in recordings
            ]

            async def search(text: str) -> list[Choice]:
                return [row for row in rows if row.value.matches(text)]

            picked = await context.ui.pick("Attach a cloud recording", search, prompt="Search by topic")
            if picked is None:
                return ActionResult()
            recording = await recording_details(client, picked.value.uuid)
        finally:
            await client.aclose()
        return ActionResult(
            message=f"Cloud recording {recording.topic!r} attached.", event=with_recording(context.event, recording)
        )


PLUGIN: Any = ZoomRecordingsPlugin()

"""The hooks of zoomclient-zoom-meetings: the Zoom conferencing provider, the event editor's
"Add Zoom meeting" action and ``zoomclient meeting``. Kept light: the work is imported when used.

The plugin is an object (the entry point names :data:`PLUGIN`), so that a test can build one whose
Zoom client comes from a sign-in of its own; the installed one opens the host's secret store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.hookspecs import hookimpl
from zoom_workplace.workflow_plugin import ZoomWorkflowPlugin

if TYPE_CHECKING:
    import click

    from host.conferencing import ConferencingProvider
    from zoom_meetings.provider import ZoomConferencing


class ZoomMeetingsPlugin(ZoomWorkflowPlugin):
    """The Zoom conferencing provider, the editor's action and ``zoomclient meeting``; the Zoom client as
    every Zoom plugin gets it."""

    feature = "Zoom meetings"

    @functools.cached_property
    def provider(self) -> ZoomConferencing:
        # Built on first use, not at load: the provider's module brings the calendar model with it.
        from zoom_meetings.provider import ZoomConferencing

        return ZoomConferencing(self.client)

    @hookimpl
    def register_conferencing(self, register: Callable[[ConferencingProvider], None]) -> None:
        register(self.provider)

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                id="zoom.add-meeting",
                title="Add Zoom meeting",
                places=frozenset({ActionPlace.EVENT_EDITOR}),
                run=self._add_meeting,
                available=_has_no_meeting,
                icon="zoom",
            )
        )

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        from zoom_meetings.cli import meeting_commands

        cli.add_command(meeting_commands(self))

    async def _add_meeting(self, context: ActionContext) -> ActionResult:
        """The editor's event with a new Zoom meeting in it; the editor saves it (the meeting is deleted
        again if the host refuses it)."""
        from host.errors import UsageError
        from zoom_meetings.scheduling import HOST_CHOICE_KEY, add_meeting

        if context.event is None:
            raise UsageError("There is no event to add a Zoom meeting to.")
        if context.calendar is None and context.event.provider_data.get(HOST_CHOICE_KEY) == "owner":
            # A delegated calendar's event, but not whose: never guess the host of the meeting.
            raise UsageError(
                "The event editor did not say which calendar the event is in, so the calendar owner's Zoom "
                "account is unknown. Nothing was created.",
                hint="Choose to host the meeting yourself, or report this to the calendar view's authors.",
            )
        scheduled = await add_meeting(self.provider, None, context.event, context.calendar)
        host = f" hosted by {scheduled.meeting.host_email}" if scheduled.meeting.host_email else ""
        return ActionResult(message=f"Zoom meeting {scheduled.meeting.meeting_id} added{host}.", event=scheduled.event)


def _has_no_meeting(context: ActionContext) -> bool:
    from zoom_meetings.scheduling import meeting_of

    return context.event is not None and meeting_of(context.event) is None


PLUGIN: Any = ZoomMeetingsPlugin()

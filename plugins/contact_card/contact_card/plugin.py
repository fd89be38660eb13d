"""The hooks of zoomclient-contact-card: the Zoom part of the shell's contact card (a ViewArea.CONTACT view)
and the card's Chat, Call and Schedule actions (ActionPlace.CONTACT). Kept light: the work is imported
when used.

The plugin is an object (the entry point names :data:`PLUGIN`), so that a test can build one whose Zoom
client comes from a sign-in of its own and whose phone calls go where the test can see them; the installed
one opens the host's secret store and the system's phone app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.hookspecs import hookimpl
from host.views import View, ViewArea
from zoom_workplace.workflow_plugin import ZoomWorkflowPlugin

if TYPE_CHECKING:
    from contact_card.card import ZoomCard
    from contact_card.directory import ZoomDirectory
    from host.app import Host
    from host.ui.context import ViewContext
    from zoom_workplace.client import ZoomClient


class ContactCardPlugin(ZoomWorkflowPlugin):
    """The Zoom card and its actions; the Zoom client as every Zoom plugin gets it. ``open_url(url)`` hands
    a ``tel:`` URL to the system (by default through Qt on the GUI thread) and says whether anything took
    it; ``now()`` is the clock "Schedule" proposes a time from."""

    feature = "The Zoom contact card"

    def __init__(
        self,
        connect: Callable[[Host], ZoomClient] | None = None,
        open_url: Callable[[str], Awaitable[bool]] | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__(connect)
        self._open_url = open_url
        self._now = now
        self._directory: ZoomDirectory | None = None

    @property
    def directory(self) -> ZoomDirectory:
        """The one directory (and cache) the card and the actions share."""
        if self._directory is None:
            from contact_card.directory import ZoomDirectory

            self._directory = ZoomDirectory(self.client)
        return self._directory

    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        register(View("zoom-contact-card", "Zoom", ViewArea.CONTACT, self._create_card))

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        place = frozenset({ActionPlace.CONTACT})
        register(Action("zoom.contact.chat", "Chat", place, self._chat))
        register(Action("zoom.contact.call", "Call", place, self._call))
        register(Action("zoom.contact.schedule", "Schedule", place, self._schedule))

    def _create_card(self, context: ViewContext) -> ZoomCard:
        from contact_card.card import ZoomCard

        return ZoomCard(context, self.directory)

    async def _chat(self, context: ActionContext) -> ActionResult:
        from contact_card.actions import chat

        return await chat(self.directory, self.client, context)

    async def _call(self, context: ActionContext) -> ActionResult:
        from contact_card.actions import call

        return await call(self.directory, self._open_url or self._desktop_opener(), context)

    def _desktop_opener(self) -> Callable[[str], Awaitable[bool]]:
        from contact_card.desktop import DesktopOpener

        self._open_url = DesktopOpener().open  # one for the process; it lives on the GUI thread
        return self._open_url

    async def _schedule(self, context: ActionContext) -> ActionResult:
        from contact_card.actions import schedule

        return await schedule(context, self._now)


PLUGIN: Any = ContactCardPlugin()

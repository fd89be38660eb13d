"""The "Who joined" sidebar: the participants of the Zoom meeting of the event in front.

The calendar (and the mail view) call :meth:`WhoJoinedPanel.show_item` with what is in front. For an
event with a Zoom meeting the panel reads the participants on the core's loop (``context.tasks``, never
on the GUI thread), then again every ``refresh_seconds`` while it is visible; hiding it, or another
item in front, stops that, and an answer for an item no longer in front is dropped (``generation``).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from host.model.calendar import Event
from host.ui.context import describe_error
from host.ui.qt import (
    QFont,
    QHeaderView,
    QLabel,
    QSize,
    Qt,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from who_joined.participants import Attendance, MeetingState, Participant, attendance, meeting_id_of
from zoom_workplace.session import ZoomSignInNeeded

if TYPE_CHECKING:
    from host.ui.context import ViewContext
    from who_joined.plugin import WhoJoinedPlugin

COLUMNS = ("Name", "Joined", "Left", "Time")
IDLE = "Select an event with a Zoom meeting to see who joined."
NO_MEETING = "No Zoom meeting on this event."
NO_SIGN_IN = (
    "Sign in to Zoom to see who joined.",
    "Sign in on the Zoom page of the settings, or with `zoomclient zoom signin`.",
)


def clock(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment is not None else ""


def duration_text(duration: dt.timedelta | None) -> str:
    if duration is None:
        return ""
    seconds = max(0, int(duration.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def state_text(found: Attendance, event: Event) -> str:
    count = len(found.participants)
    people = f"{count} participant{'s' if count != 1 else ''}"
    if found.state is MeetingState.LIVE:
        return f"Live now · {people} in the meeting"
    if found.state is MeetingState.ENDED:
        return f"Ended · {people} joined"
    return "Not started yet." if event.end > found.checked else "The meeting did not take place."


class WhoJoinedPanel(QWidget):
    """The sidebar widget; ``task`` is the refresh in flight (kept, so it is neither lost nor doubled)."""

    def __init__(self, context: ViewContext, plugin: WhoJoinedPlugin) -> None:
        super().__init__()
        self.context = context
        self.plugin = plugin
        if plugin.host is None:
            plugin.host = context.host
        self.event: Event | None = None
        self.meeting_id: str | None = None
        self.task: Future[Attendance] | None = None
        self.generation = 0
        self.setAccessibleName("Who joined")

        self.title = QLabel()
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Meeting status")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("What to do")
        self.table = QTreeWidget()
        self.table.setAccessibleName("Participants")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long email keeps its domain in sight
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.updated = QLabel()
        self.updated.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        for widget in (self.title, self.status, self.hint):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room while there is nobody to list (the table hidden)
        layout.addWidget(self.updated)

        self.timer = QTimer(self)
        self.timer.setInterval(max(100, int(plugin.refresh_seconds * 1000)))
        self.timer.timeout.connect(self.refresh)
        context.signals.account_changed.connect(self._account_changed)
        self.show_item(None)

    def sizeHint(self) -> QSize:
        # Wide enough for a name, an email and three short columns beside the calendar.
        return QSize(360, super().sizeHint().height())

    # -- what is in front --------------------------------------------------------------------------

    def show_item(self, item: Any) -> None:
        """Show who joined ``item``'s meeting (an event), or why there is nothing to show."""
        self.generation += 1
        self._stop()
        self.table.clear()
        self.updated.clear()
        self.event = item if isinstance(item, Event) else None
        self.meeting_id = meeting_id_of(self.event) if self.event is not None else None
        self.title.setText(self.event.title if self.event is not None else "")
        self.title.setVisible(self.event is not None)
        if self.event is None:
            self._say(IDLE)
        elif self.meeting_id is None:
            self._say(NO_MEETING)
        else:
            self._say("Checking who joined…")
            if self.isVisible():
                self._start()

    def _account_changed(self, session: Any) -> None:
        # Another account's calendar (or none, signed out) is another set of events: forget this one.
        self.show_item(None)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.meeting_id is not None and not self.timer.isActive():
            self._start()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self._stop()

    @property
    def refreshing(self) -> bool:
        return self.task is not None and not self.task.done()

    def _start(self) -> None:
        self.refresh()
        self.timer.start()

    def _stop(self) -> None:
        self.timer.stop()
        if self.task is not None:
            self.task.cancel()
            self.task = None

    # -- reading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the participants again in the background (one read at a time)."""
        if self.event is None or self.meeting_id is None or self.refreshing:
            return
        generation, event, meeting_id = self.generation, self.event, self.meeting_id
        self.updated.setText("Refreshing…")
        self.task = self.context.tasks.run(
            self._read(event, meeting_id),
            lambda found: self._shown(generation, found),
            lambda error: self._failed(generation, error),
        )

    async def _read(self, event: Event, meeting_id: str) -> Attendance:
        client = self.plugin.client()
        try:
            return await attendance(client, event, meeting_id)
        finally:
            await client.aclose()

    def _shown(self, generation: int, found: Attendance) -> None:
        if generation != self.generation or self.event is None:
            return  # an answer for an item no longer in front
        self.task = None
        # Refilled in place: the view lays out later, so the user's place in a long list stays.
        self.table.clear()
        self.table.addTopLevelItems([self._row(p) for p in found.participants])
        self._say(state_text(found, self.event))
        self.updated.setText(f"Updated {found.checked.astimezone():%H:%M:%S}")

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self.generation:
            return
        self.task = None
        what, todo = describe_error(error)
        if isinstance(error, ZoomSignInNeeded):
            self.table.clear()
            what, todo = NO_SIGN_IN
        self._say(what, todo)
        self.updated.setText(f"Tried at {dt.datetime.now().astimezone():%H:%M:%S}")

    # -- showing -----------------------------------------------------------------------------------

    def _say(self, text: str, hint: str = "") -> None:
        self.table.setVisible(self.table.topLevelItemCount() > 0)
        self.status.setText(text)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))

    def _row(self, participant: Participant) -> QTreeWidgetItem:
        email = participant.email or "guest, no email"
        row = QTreeWidgetItem(
            [
                f"{participant.name or participant.email}\n{email}",
                clock(participant.joined),
                clock(participant.left) if participant.left is not None else "—",
                duration_text(participant.duration),
            ]
        )
        row.setToolTip(0, f"{participant.name} <{participant.email}>" if participant.email else participant.name)
        for column in range(1, len(COLUMNS)):
            row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return row

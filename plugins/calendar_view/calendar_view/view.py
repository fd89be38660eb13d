"""The calendar view: the grids, the mini month, the calendar list, and what the user does to events.

Built only from the shell's public API (:class:`host.ui.context.ViewContext`), like any plugin's view.
Every read and change of the account's :class:`~host.calendar.CalendarCache` runs on the core's loop
through ``context.tasks`` (the cache is that thread's); the GUI only gets copies of events back. Events
are kept in memory only (promise 4): the view stores its mode and splitter in ``context.layout`` and
nothing else.

Keys on the grids: T today; Left/Right or K/J previous/next page; D day, X work week, W week, M month;
Up/Down select the previous/next event; Enter open it; N new event; Delete delete (after asking);
Shift+F10 the selected event's menu (with its people's contact cards). Drag an event to move it, its
bottom edge to resize it (snapped to 15 minutes, with Undo in the message bar); double-click empty time
to make an event there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from calendar_view.calendars import CalendarList, colour_of
from calendar_view.days import Mode, day_bounds, range_title, step, visible_days
from calendar_view.editor import DELETE, EventEditor
from calendar_view.grid import HOUR_HEIGHT, Board, DayHeader, MonthGrid, TimeGrid
from calendar_view.texts import RESPONSES, is_invitation, when
from host.actions import Action, ActionPlace, ActionResult
from host.model.calendar import Calendar, Event, EventStatus, FreeBusy, ResponseStatus
from host.model.contact import Contact
from host.model.mail import Address
from host.providers.calendar import CalendarCapability
from host.timezones import local_zone_name
from host.ui.qt import (
    QButtonGroup,
    QCalendarWidget,
    QDate,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QLocale,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from host.views import ViewArea

if TYPE_CHECKING:
    from host.accounts import AccountSession
    from host.calendar import CalendarCache
    from host.ui.context import ViewContext

VIEW_ID = "calendar"
#: how often the loaded windows are brought up to date from the server
REFRESH_MS = 120_000
#: the hour the time grid scrolls to
FIRST_HOUR_SHOWN = 7
NEW_EVENT_LENGTH = dt.timedelta(hours=1)


async def _load(cache: CalendarCache) -> list[Calendar]:
    await cache.load()
    return cache.calendars


async def _events(cache: CalendarCache, start: dt.datetime, end: dt.datetime) -> list[Event]:
    """``[start, end)`` loaded if it is not yet (the user moved there), then its events. On the core's loop."""
    await cache.ensure_range(start, end)
    return cache.events_between(start, end)


class CalendarView(QWidget):
    def __init__(self, context: ViewContext) -> None:
        super().__init__()
        self.context = context
        self.setAccessibleName("Calendar")
        self.zone = ZoneInfo(local_zone_name())
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.anchor = self.today()
        # The week starts where the user's locale starts it (Monday = 0, as datetime counts).
        self.first_weekday = QLocale.system().firstDayOfWeek().value - 1
        saved = context.layout.value(self._key("mode"))
        self.mode = next((m for m in Mode if m.value == saved), Mode.WEEK)
        self.calendars: list[Calendar] = []
        self.events: list[Event] = []
        self.loading = 0  # fetches under way
        self._generation = 0  # answers of an older range are dropped
        self.editor: EventEditor | None = None

        self._build()
        self._build_shortcuts()
        self._restore_layout()
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        context.signals.account_changed.connect(self._account_changed)
        self._account_changed(context.session)

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)

        def button(text: str, name: str, slot: Callable[[], None], tip: str) -> QPushButton:
            widget = QPushButton(text)
            widget.setAccessibleName(name)
            widget.setToolTip(tip)
            widget.clicked.connect(lambda _=False: slot())
            bar.addWidget(widget)
            return widget

        self.today_button = button("Today", "Today", self.go_today, "Go to today (T)")
        self.previous_button = button("‹", "Previous", lambda: self.page(-1), "Previous (Left or K)")
        self.next_button = button("›", "Next", lambda: self.page(1), "Next (Right or J)")
        for narrow in (self.previous_button, self.next_button):
            narrow.setFixedWidth(narrow.fontMetrics().horizontalAdvance("MM") + 16)
        bar.addSpacing(8)
        self.range_label = QLabel()
        self.range_label.setAccessibleName("Shown dates")
        font = self.range_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.range_label.setFont(font)
        bar.addWidget(self.range_label, 1)
        self.status = QLabel()
        self.status.setAccessibleName("Calendar status")
        bar.addWidget(self.status)
        self.mode_buttons: dict[Mode, QToolButton] = {}
        group = QButtonGroup(self)
        keys = {Mode.DAY: "D", Mode.WORK_WEEK: "X", Mode.WEEK: "W", Mode.MONTH: "M"}
        for mode in Mode:
            tool = QToolButton()
            tool.setText(mode.title)
            tool.setCheckable(True)
            tool.setAccessibleName(f"{mode.title} view")
            tool.setToolTip(f"{mode.title} ({keys[mode]})")
            tool.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            group.addButton(tool)
            bar.addWidget(tool)
            self.mode_buttons[mode] = tool
        self.new_button = button("New event", "New event", self.new_event, "New event (N)")

        self.mini = QCalendarWidget()
        self.mini.setAccessibleName("Month navigator")
        self.mini.setFirstDayOfWeek(Qt.DayOfWeek(self.first_weekday + 1))
        self.mini.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.mini.setGridVisible(False)
        self.mini.clicked.connect(lambda date: self.go_to(date.toPyDate()))
        self.mini.activated.connect(lambda date: self.go_to(date.toPyDate()))
        self.calendar_list = CalendarList()
        self.calendar_list.visibility_changed.connect(self._render)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 0, 0, 4)
        left_layout.addWidget(self.mini)
        left_layout.addWidget(self.calendar_list, 1)

        self.grid = TimeGrid()
        self.header = DayHeader(self.grid)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.grid)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll.setAccessibleName("Hours")
        self.header.right_margin = self.scroll.verticalScrollBar().sizeHint().width()
        time_page = QWidget()
        time_layout = QVBoxLayout(time_page)
        time_layout.setContentsMargins(0, 0, 0, 0)
        time_layout.setSpacing(0)
        time_layout.addWidget(self.header)
        time_layout.addWidget(self.scroll, 1)
        self.month = MonthGrid()
        self.pages = QStackedWidget()
        self.pages.addWidget(time_page)
        self.pages.addWidget(self.month)
        for board in self.boards():
            board.can_edit = self.can_edit
            board.selected.connect(self._selected)
            board.activated.connect(self.open_event)
            board.change_requested.connect(self.change_times)
            board.menu_requested.connect(self._menu)
            board.create_requested.connect(self.new_event)
        self.grid.now = lambda: self.now()
        self.month.day_activated.connect(lambda day: (self.go_to(day), self.set_mode(Mode.DAY)))

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 900])
        self.sidebars = [self.context.create_view(view) for view in self.context.views(ViewArea.SIDEBAR)]
        if self.sidebars:
            self.sidebar_tabs = QTabWidget()
            self.sidebar_tabs.setAccessibleName("Sidebars")
            for view, widget in zip(self.context.views(ViewArea.SIDEBAR), self.sidebars, strict=True):
                self.sidebar_tabs.addTab(widget, view.title)
            self.splitter.addWidget(self.sidebar_tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.splitter.splitterMoved.connect(lambda *_: self._save_layout())
        QTimer.singleShot(0, lambda: self.scroll_to_hour(FIRST_HOUR_SHOWN))

    def _build_shortcuts(self) -> None:
        self.shortcuts: dict[str, QShortcut] = {}
        for key, slot in (
            ("t", self.go_today),
            ("Left", lambda: self.page(-1)),
            ("Right", lambda: self.page(1)),
            ("k", lambda: self.page(-1)),
            ("j", lambda: self.page(1)),
            ("d", lambda: self.set_mode(Mode.DAY)),
            ("x", lambda: self.set_mode(Mode.WORK_WEEK)),
            ("w", lambda: self.set_mode(Mode.WEEK)),
            ("m", lambda: self.set_mode(Mode.MONTH)),
            ("n", self.new_event),
            ("Return", self.open_selected),
            ("Enter", self.open_selected),
            ("Delete", self.delete_selected),
            ("Shift+F10", self._menu_for_selected),
        ):
            # On the grids only: the mini month and the calendar list keep their own arrow keys.
            shortcut = QShortcut(QKeySequence(key), self.pages)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = shortcut

    def boards(self) -> list[Board]:
        return [self.header, self.grid, self.month]

    def board(self) -> Board:
        """The board with the keyboard: the month, or the time grid."""
        return self.month if self.mode is Mode.MONTH else self.grid

    # -- layout memory: mode and splitter only -------------------------------------------------

    def _key(self, name: str) -> str:
        return self.context.settings_group(VIEW_ID) + "/" + name

    def _restore_layout(self) -> None:
        state = self.context.layout.value(self._key("splitter"))
        if state is not None:
            self.splitter.restoreState(state)
        self._show_mode()

    def _save_layout(self) -> None:
        self.context.layout.setValue(self._key("splitter"), self.splitter.saveState())
        self.context.layout.setValue(self._key("mode"), self.mode.value)

    # -- account -------------------------------------------------------------------------------

    def cache(self) -> CalendarCache | None:
        session = self.context.session
        return session.calendars if session is not None else None

    def _account_changed(self, session: AccountSession | None) -> None:
        self.calendars, self.events = [], []
        self.calendar_list.load([])
        self._generation += 1
        self.loading = 0
        self._refresh_timer.stop()
        if self.editor is not None:
            self.editor.reject()
        cache = session.calendars if session is not None else None
        if cache is None:
            self.status.setText("Not signed in" if session is None else "The calendar is off for this account")
            self._render()
            return
        self._set_loading(1)
        generation = self._generation
        self.context.tasks.run(_load(cache), lambda calendars: self._loaded(generation, calendars), self._load_failed)

    def _loaded(self, generation: int, calendars: list[Calendar]) -> None:
        self._set_loading(-1)
        if generation != self._generation:
            return
        self.calendars = calendars
        self.calendar_list.load(calendars)
        self._refresh_timer.start()
        self.reload()

    def _load_failed(self, error: BaseException) -> None:
        self._set_loading(-1)
        self.context.show_error(error)

    def _set_loading(self, change: int) -> None:
        self.loading = max(self.loading + change, 0)
        self.status.setText("Loading…" if self.loading else "")

    def refresh(self) -> None:
        """Bring the loaded windows up to date from the server, then show them again."""
        cache = self.cache()
        if cache is None:
            return

        self.context.tasks.run(cache.refresh(), lambda _: self.reload(), self.context.show_error)

    # -- what is shown -------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.now().astimezone(self.zone).date()

    def days(self) -> list[dt.date]:
        return visible_days(self.mode, self.anchor, self.first_weekday)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The instants the shown days cover in the user's zone, a day wider each side: an all-day event
        is on its own dates, which a zone far east or west places partly outside the local days."""
        start, end = day_bounds(self.days(), self.zone)
        return start - dt.timedelta(days=1), end + dt.timedelta(days=1)

    def reload(self) -> None:
        """Fetch the shown range (loading it from the server if it is new) and show its events."""
        self._show_mode()
        cache = self.cache()
        if cache is None or not self.calendars:
            return
        self._generation += 1
        generation = self._generation
        start, end = self.bounds()
        self._set_loading(1)

        def done(events: list[Event]) -> None:
            self._set_loading(-1)
            if generation == self._generation:
                self.events = events
                self._render()

        self.context.tasks.run(_events(cache, start, end), done, self._load_failed)

    def visible_events(self) -> list[Event]:
        hidden = self.calendar_list.hidden_ids
        return [e for e in self.events if e.calendar_id not in hidden and e.status is not EventStatus.CANCELLED]

    def _render(self) -> None:
        colours = {c.id: colour_of(c) for c in self.calendars}
        names = {c.id: c.name for c in self.calendars}
        days = self.days()
        events = self.visible_events()
        today = self.today()
        if self.mode is Mode.MONTH:
            self.month.month = self.anchor.month
            self.month.set_data(days, events, colours, names, self.zone, today)
        else:
            self.grid.set_data(days, events, colours, names, self.zone, today)
            self.header.set_data(days, events, colours, names, self.zone, today)

    def _show_mode(self) -> None:
        days = self.days()
        self.range_label.setText(range_title(self.mode, days, self.anchor))
        self.mode_buttons[self.mode].setChecked(True)
        self.pages.setCurrentIndex(1 if self.mode is Mode.MONTH else 0)
        self.mini.setSelectedDate(QDate(self.anchor.year, self.anchor.month, self.anchor.day))
        # The new days at once (filled when their events come), so moving never waits for the server.
        self._render()

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.context.layout.setValue(self._key("mode"), mode.value)
        self.reload()
        self.board().setFocus()

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self.reload()

    def go_today(self) -> None:
        self.go_to(self.today())
        if self.mode is not Mode.MONTH:
            self.scroll_to_hour(self.now().astimezone(self.zone).hour - 2)

    def scroll_to_hour(self, hour: int) -> None:
        # Half a line higher, so the hour's label is not cut at the top.
        top = max(hour, 0) * HOUR_HEIGHT - self.fontMetrics().height() // 2 - 2
        self.scroll.verticalScrollBar().setValue(max(top, 0))

    def page(self, direction: int) -> None:
        self.go_to(step(self.mode, self.anchor, direction))

    def set_first_weekday(self, weekday: int) -> None:
        """Start weeks on ``weekday`` (0 Monday … 6 Sunday) instead of the locale's day."""
        self.first_weekday = weekday
        self.mini.setFirstDayOfWeek(Qt.DayOfWeek(weekday + 1))
        self.reload()

    def set_zone(self, zone: ZoneInfo) -> None:
        """Show times in ``zone`` (the user's; tests and a future setting choose another)."""
        self.zone = zone
        self.reload()

    # -- selection and sidebars ----------------------------------------------------------------

    def selected_event(self) -> Event | None:
        for board in self.boards():
            if board.isVisible() or board is self.board():
                event = board.selected_event()
                if event is not None:
                    return event
        return None

    def _selected(self, event: Event | None) -> None:
        for board in self.boards():
            if board is not self.sender() and board.selected_event() is not None:
                board.selection = None
                board.update()
        self.context.show_item(self.sidebars, event)

    def calendar(self, calendar_id: str) -> Calendar | None:
        return next((c for c in self.calendars if c.id == calendar_id), None)

    def can_edit(self, event: Event) -> bool:
        calendar = self.calendar(event.calendar_id)
        return calendar is not None and calendar.writable

    # -- the editor ----------------------------------------------------------------------------

    def _writable(self) -> list[Calendar]:
        """The calendars new events may go to; none is said in the message bar."""
        writable = [c for c in self.calendars if c.writable]
        if not writable:
            self.context.show_error(
                "There is no calendar you can add events to.",
                hint="Sign in to an account with a calendar, or ask for write access to one.",
            )
        return writable

    def new_event(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> EventEditor | None:
        writable = self._writable()
        if not writable:
            return None
        if start is None:
            if self.anchor == self.today():
                now = self.now().astimezone(self.zone)
                start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            else:
                start = dt.datetime.combine(self.anchor, dt.time(9), self.zone)
        calendar = next((c for c in writable if c.primary), writable[0])
        event = Event(
            id="",
            calendar_id=calendar.id,
            title="",
            start=start,
            end=end or start + NEW_EVENT_LENGTH,
            time_zone=self.zone.key,
        )
        return self._open_editor(event, is_new=True)

    def edit_event(self, event: Event) -> EventEditor | None:
        """The shell's ``context.edit_event`` (:data:`host.ui.context.MAIN_EDIT_EVENT`): ``event`` in the
        editor; one without an ``id`` is new (an action's proposal, "Schedule" on a contact card, say) and
        goes to the calendar it names if the user may write there, else to the primary one."""
        if event.id:
            return self.open_event(event)
        writable = self._writable()
        if not writable:
            return None
        if not any(c.id == event.calendar_id for c in writable):
            event = attrs.evolve(event, calendar_id=next((c for c in writable if c.primary), writable[0]).id)
        return self._open_editor(event, is_new=True)

    def open_selected(self) -> None:
        event = self.board().selected_event() or self.selected_event()
        if event is not None:
            self.open_event(event)

    def open_event(self, event: Event) -> EventEditor:
        return self._open_editor(event, is_new=False)

    def _open_editor(self, event: Event, *, is_new: bool) -> EventEditor:
        if self.editor is not None:
            self.editor.reject()
        session = self.context.session
        provider = session.calendar if session is not None else None
        free_busy = self._free_busy if provider and CalendarCapability.FREE_BUSY in provider.capabilities else None
        editor = EventEditor(
            event,
            self.calendars,
            zone=self.zone,
            is_new=is_new,
            self_email=session.account.email if session is not None else "",
            actions=self.available_actions(ActionPlace.EVENT_EDITOR, event),
            run_action=lambda action, edited, done: self._run_editor_action(action, edited, done),
            available=lambda action, edited: action in self.available_actions(ActionPlace.EVENT_EDITOR, edited),
            free_busy=free_busy,
            respond=(lambda status: self.respond(event, status)) if is_invitation(event) else None,
            now=self.now,
            parent=self,
        )
        editor.setWindowModality(Qt.WindowModality.NonModal)
        editor.finished.connect(lambda result: self._editor_closed(editor, result, None if is_new else event))
        self._attendee_cards(editor.attendees)
        self.editor = editor
        editor.show()
        editor.ask_free_busy()
        return editor

    def _attendee_cards(self, attendees: QListWidget) -> None:
        """The editor's attendees open their contact card: a double click or Enter pins it, hovering previews
        it. Enter is a shortcut of the list's, so the dialog never gets it (there it would save the event)."""
        attendees.setMouseTracking(True)
        attendees.itemDoubleClicked.connect(lambda item: self._attendee_card(attendees, item, hover=False))
        attendees.itemEntered.connect(lambda item: self._attendee_card(attendees, item, hover=True))
        attendees.viewportEntered.connect(self.context.end_contact_hover)
        for key in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(key), attendees)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self._attendee_card(attendees, attendees.currentItem(), hover=False))

    def _attendee_card(self, attendees: QListWidget, item: QListWidgetItem | None, *, hover: bool) -> None:
        if item is None:
            return
        address = item.data(Qt.ItemDataRole.UserRole).address
        below = attendees.viewport().mapToGlobal(attendees.visualItemRect(item).bottomLeft())
        contact = Contact(email=address.email, name=address.name)
        self.context.show_contact(contact, attendees.viewport(), hover=hover, at=below)

    def _editor_closed(self, editor: EventEditor, result: int, opened: Event | None) -> None:
        """``opened``: the event as the editor got it (None for a new one); an action may have changed the
        editor's since, so that is what the server holds."""
        if self.editor is editor:
            self.editor = None
        edited = editor.edited_event()
        if result == EventEditor.DialogCode.Accepted:
            unchanged = opened is not None and edited == opened and edited.provider_data == opened.provider_data
            if not unchanged:
                self.save(edited, original=opened)
        else:
            self.discard(edited, opened)  # cancelled or closed: what an action made for the draft goes again
            if result == DELETE and opened is not None:
                self.delete(opened)
        editor.deleteLater()

    def discard(self, draft: Event, opened: Event | None) -> None:
        """The cache deletes what ``draft`` got that no saved event holds (a meeting an action made for it)."""
        cache = self.cache()
        if cache is not None:
            self.context.tasks.run(cache.discard_draft(draft, opened), None, self.context.show_error)

    def _free_busy(
        self, addresses: list[str], start: dt.datetime, end: dt.datetime, done: Callable[[list[FreeBusy]], None]
    ) -> None:
        session = self.context.session
        if session is None or session.calendar is None:
            return
        self.context.tasks.run(
            session.calendar.free_busy(addresses, start, end),
            done,
            lambda error: self.context.show_error(error, hint="Availability is not shown; you can still save."),
        )

    def _run_editor_action(self, action: Action, event: Event, done: Callable[[ActionResult], None]) -> None:
        self.context.run_action(action, ActionPlace.EVENT_EDITOR, parent=self.editor, on_done=done, event=event)

    # -- changes: through the cache to the server, on the core's loop --------------------------

    def save(self, event: Event, *, original: Event | None) -> None:
        cache = self.cache()
        if cache is None:
            return
        title = event.title

        async def save() -> Event:
            if original is None:
                return await cache.create_event(attrs.evolve(event, id=""))
            if original.calendar_id != event.calendar_id:
                return await cache.move_event(original, event)
            return await cache.update_event(event)

        def saved(result: Event) -> None:
            self.context.show_info(f"Saved “{title}”, {when(result, self.zone)}.")
            self.reload()

        self.context.tasks.run(save(), saved, self.context.show_error)

    def change_times(self, old: Event, new: Event) -> None:
        """A drag moved or resized ``old`` to ``new``'s times: sent at once, with an undo."""
        cache = self.cache()
        if cache is None:
            return
        # Shown where it was dropped until the server answers.
        self.events = [new if (e.calendar_id, e.id) == (old.calendar_id, old.id) else e for e in self.events]
        self._render()

        def done(updated: Event) -> None:
            self.reload()

            def undo() -> None:
                self._update(attrs.evolve(updated, start=old.start, end=old.end), "Moved back")

            self.context.show_info(f"Moved “{updated.title}” to {when(updated, self.zone)}.", action=("Undo", undo))

        def failed(error: BaseException) -> None:
            self.reload()
            self.context.show_error(error)

        self.context.tasks.run(cache.update_event(new), done, failed)

    def _update(self, event: Event, said: str) -> None:
        cache = self.cache()
        if cache is None:
            return

        def done(updated: Event) -> None:
            self.context.show_info(f"{said}: “{updated.title}”, {when(updated, self.zone)}.")
            self.reload()

        self.context.tasks.run(cache.update_event(event), done, self.context.show_error)

    def respond(self, event: Event, status: ResponseStatus) -> None:
        cache = self.cache()
        if cache is None:
            return

        def done(answered: Event) -> None:
            self.context.show_info(f"You {RESPONSES[status]} “{answered.title}”.")
            self.reload()

        self.context.tasks.run(cache.respond(event.calendar_id, event.id, status), done, self.context.show_error)

    def delete_selected(self) -> None:
        event = self.board().selected_event() or self.selected_event()
        if event is not None:
            self.delete(event)

    def delete(self, event: Event) -> None:
        """Ask, then delete ``event`` (one occurrence or the whole series, as the user says)."""
        cache = self.cache()
        if cache is None:
            return
        if not self.can_edit(event):
            self.context.show_error(
                f"“{event.title}” is in a calendar you can only read.",
                hint="Decline the invitation instead, or ask the calendar's owner.",
            )
            return
        target = self.confirm_delete(event)
        if target is None:
            return

        def done(_: None) -> None:
            self.context.show_info(f"Deleted “{event.title}”.")
            self.reload()

        self.context.tasks.run(cache.delete_event(event.calendar_id, target), done, self.context.show_error)

    def confirm_delete(self, event: Event) -> str | None:
        """The id to delete (the occurrence's or its series'), or None when the user cancels."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete event")
        box.setText(f"Delete “{event.title}” ({when(event, self.zone)})?")
        box.setInformativeText("Attendees are told that it is cancelled." if event.attendees else "")
        series = None
        if event.series_id:
            one = box.addButton("Delete this occurrence", QMessageBox.ButtonRole.AcceptRole)
            series = box.addButton("Delete the whole series", QMessageBox.ButtonRole.DestructiveRole)
        else:
            one = box.addButton("Delete", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAccessibleName("Confirm deleting the event")
        box.exec()
        if box.clickedButton() is one:
            return event.id
        if series is not None and box.clickedButton() is series:
            return event.series_id
        return None

    # -- context menu and workflow actions -----------------------------------------------------

    def _menu_for_selected(self) -> None:
        board = self.board()
        event = board.selected_event()
        inside = board.rect().center()
        if event is not None and isinstance(board, TimeGrid):
            inside = board.point_of(event)
        self._menu(event, board.mapToGlobal(inside))

    def event_menu(self, event: Event | None) -> QMenu:
        menu = QMenu(self)
        menu.setAccessibleName("Event actions")
        if event is None:
            menu.addAction("New event", self.new_event)
            return menu
        menu.addAction("Open", lambda: self.open_event(event))
        if is_invitation(event):
            menu.addSeparator()
            for status, text in (
                (ResponseStatus.ACCEPTED, "Accept"),
                (ResponseStatus.TENTATIVE, "Tentative"),
                (ResponseStatus.DECLINED, "Decline"),
            ):
                action = menu.addAction(text, lambda s=status: self.respond(event, s))
                action.setCheckable(True)
                action.setChecked(event.my_response is status)
        if self.can_edit(event):
            menu.addSeparator()
            menu.addAction("Delete…", lambda: self.delete(event))
        people = self.people_of(event)
        if people:
            cards = menu.addMenu("Contact &card")
            cards.setAccessibleName("Contact cards of the event's people")
            for address in people:
                contact = Contact(email=address.email, name=address.name)
                # Where the menu was: by the event the user asked about.
                cards.addAction(
                    str(address), lambda c=contact: self.context.show_contact(c, self.board(), at=menu.pos())
                )
        available = self.available_actions(ActionPlace.EVENT, event)
        if available:
            menu.addSeparator()
            for action in available:
                menu.addAction(action.title, lambda a=action: self.run_action(a, event))
        return menu

    def people_of(self, event: Event) -> list[Address]:
        """The event's organiser, then its attendees, without the user and without repeats."""
        session = self.context.session
        me = session.account.email.lower() if session is not None else ""
        found: dict[str, Address] = {}
        organizer = [event.organizer] if event.organizer is not None else []
        for address in (*organizer, *(a.address for a in event.attendees if not a.is_self)):
            if address.email.lower() != me:
                found.setdefault(address.email.lower(), address)
        return list(found.values())

    def available_actions(self, place: ActionPlace, event: Event) -> list[Action]:
        """The workflow actions of ``place`` whose ``available`` check passes for ``event``."""
        found = []
        for action in self.context.actions(place):
            try:
                if action.available(self.context.action_context(place, parent=self, event=event)):
                    found.append(action)
            except Exception as error:  # a broken check hides its action, and says so
                self.context.show_error(f"The action {action.title!r} could not check itself: {error}")
        return found

    def _menu(self, event: Event | None, point: Any) -> None:
        self.event_menu(event).popup(point)

    def run_action(self, action: Action, event: Event) -> None:
        def done(result: ActionResult) -> None:
            if result.event is not None:
                self.save(result.event, original=event)
            self.reload()

        self.context.run_action(action, ActionPlace.EVENT, parent=self, on_done=done, event=event)

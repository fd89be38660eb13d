"""The event editor: every field of an event, scheduling against attendees' free/busy, workflow actions.

The editor only edits: it never talks to the server. The view hands it callables for what needs I/O
(free/busy, running an action, answering an invitation), all of which go through the shell's task
runner, and reads :meth:`EventEditor.edited_event` back when the user saves.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import zoneinfo
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import attrs

from calendar_view.availability import AvailabilityGrid, Row
from calendar_view.placement import suggest_slot, zone_of
from calendar_view.recurrence import Repeat, parse, to_rrule, with_rule
from calendar_view.texts import clock, is_invitation
from host.actions import Action, ActionResult
from host.model.calendar import (
    Attendee,
    Calendar,
    CalendarKind,
    Event,
    FreeBusy,
    Reminder,
    ResponseStatus,
)
from host.model.mail import Address
from host.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDate,
    QDateEdit,
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    Qt,
    QTime,
    QTimer,
    QVBoxLayout,
    QWidget,
)

#: provider_data key the Zoom meetings plugin reads: "owner" or "me" (who hosts the meeting)
ZOOM_HOST = "zoom_host"
REMINDERS = (
    (None, "No reminder"),
    (5, "5 minutes before"),
    (10, "10 minutes before"),
    (15, "15 minutes before"),
    (30, "30 minutes before"),
    (60, "1 hour before"),
    (1440, "1 day before"),
)
REPEATS = (
    (None, "Does not repeat"),
    ("DAILY", "Daily"),
    ("WEEKLY", "Weekly on…"),
    ("MONTHLY", "Monthly"),
    ("YEARLY", "Yearly"),
)
ENDS = ("Never", "On date", "After")
#: the suggested slot is looked for within these hours of the event's day
WORK_HOURS = (8, 18)
FREE_BUSY_DELAY_MS = 300
DELETE = 2  # the editor's result when the user asked to delete the event

FreeBusyAsk = Callable[[list[str], dt.datetime, dt.datetime, Callable[[list[FreeBusy]], None]], None]
ActionRun = Callable[[Action, Event, Callable[[ActionResult], None]], None]


@functools.cache
def _zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def from_qdatetime(value: QDateTime, zone: ZoneInfo) -> dt.datetime:
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(), tzinfo=zone)


def parse_attendee(text: str) -> Address | None:
    name, address = email.utils.parseaddr(text.strip())
    if "@" not in address:
        return None
    return Address(address.lower(), name)


class EventEditor(QDialog):
    """Edit ``event`` (new when ``is_new``). ``calendars``: every calendar (the writable ones are offered).

    ``free_busy(addresses, start, end, on_done)`` fetches availability; ``run_action(action, event,
    on_done)`` runs a workflow action of the editor; ``available(action, event)`` says whether an action
    still applies once one changed the event; ``respond(status)`` answers an invitation.
    """

    def __init__(
        self,
        event: Event,
        calendars: Sequence[Calendar],
        *,
        zone: ZoneInfo,
        is_new: bool,
        self_email: str = "",
        actions: Sequence[Action] = (),
        run_action: ActionRun | None = None,
        available: Callable[[Action, Event], bool] | None = None,
        free_busy: FreeBusyAsk | None = None,
        respond: Callable[[ResponseStatus], None] | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.original = event
        self.is_new = is_new
        self.user_zone = zone
        self.self_email = self_email.lower()
        self.calendars = {c.id: c for c in calendars}
        self._free_busy = free_busy
        self._run_action = run_action
        self._available = available
        self._respond = respond
        self.now = now
        self._free_busy_rows: list[FreeBusy] = []
        self.suggested: tuple[dt.datetime, dt.datetime] | None = None
        self._asked = 0
        self.setWindowTitle("New event" if is_new else "Edit event")
        self.setAccessibleName(self.windowTitle())
        self._build()
        self._build_actions(actions)
        self.set_event(event)
        writable = [c for c in calendars if c.writable]
        self.read_only = not is_new and not (self.calendars.get(event.calendar_id) or writable[0]).writable
        if self.read_only:
            self._make_read_only()
        self.resize(760, 720)

    # -- building ------------------------------------------------------------------------------

    def _field(self, widget: QWidget, name: str) -> QWidget:
        widget.setAccessibleName(name)
        return widget

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        """A row label whose mnemonic focuses ``buddy`` (a row holding a layout gets none by itself)."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title = self._field(QLineEdit(), "Title")
        self.title.setPlaceholderText("Add a title")
        form.addRow("&Title", self.title)
        self.calendar = self._field(QComboBox(), "Calendar")
        for calendar in self.calendars.values():
            if calendar.writable:
                self.calendar.addItem(calendar.name, calendar.id)
        self.calendar.currentIndexChanged.connect(lambda _: self._calendar_changed())
        form.addRow("&Calendar", self.calendar)

        when = QHBoxLayout()
        self.start = self._field(QDateTimeEdit(), "Starts")
        self.end = self._field(QDateTimeEdit(), "Ends")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.all_day = self._field(QCheckBox("&All day"), "All day")
        self.all_day.toggled.connect(lambda on: self._all_day_changed(on))
        when.addWidget(self.start, 1)
        when.addWidget(QLabel("to"))
        when.addWidget(self.end, 1)
        when.addWidget(self.all_day)
        form.addRow(self._label("&When", self.start), when)
        self.start.dateTimeChanged.connect(lambda _: self._start_changed())
        self.end.dateTimeChanged.connect(lambda _: self._times_changed())

        self.zone = self._field(QComboBox(), "Time zone")
        self.zone.setEditable(True)
        self.zone.addItems(_zone_names())
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(_zone_names(), self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.zone.currentTextChanged.connect(lambda _: self._times_changed())
        self.local_time = QLabel()
        self.local_time.setAccessibleName("In your time zone")
        zone_row = QHBoxLayout()
        zone_row.addWidget(self.zone, 1)
        zone_row.addWidget(self.local_time)
        form.addRow(self._label("Time &zone", self.zone), zone_row)

        repeat_row = QHBoxLayout()
        self.repeat = self._field(QComboBox(), "Repeat")
        for value, text in REPEATS:
            self.repeat.addItem(text, value)
        self.interval = self._field(QSpinBox(), "Repeat every")
        self.interval.setRange(1, 99)
        self.interval.setPrefix("every ")
        self.interval.valueChanged.connect(lambda _: self._repeat_changed())
        self.weekdays = []
        days = QHBoxLayout()
        for index, name in enumerate(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")):
            box = QCheckBox(name)
            box.setAccessibleName(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][index])
            self.weekdays.append(box)
            days.addWidget(box)
        self.weekday_row = QWidget()
        self.weekday_row.setLayout(days)
        days.setContentsMargins(0, 0, 0, 0)
        self.ends = self._field(QComboBox(), "Repeat ends")
        self.ends.addItems(ENDS)
        self.until = self._field(QDateEdit(), "Repeat until")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("dd MMM yyyy")
        self.count = self._field(QSpinBox(), "Number of times")
        self.count.setRange(1, 999)
        self.count.setSuffix(" times")
        for widget in (self.repeat, self.interval, self.weekday_row, self.ends, self.until, self.count):
            repeat_row.addWidget(widget)
        repeat_row.addStretch(1)
        self.repeat.currentIndexChanged.connect(lambda _: self._repeat_changed())
        self.ends.currentIndexChanged.connect(lambda _: self._repeat_changed())
        form.addRow(self._label("&Repeat", self.repeat), repeat_row)

        self.location = self._field(QLineEdit(), "Location")
        form.addRow("&Location", self.location)
        self.reminder = self._field(QComboBox(), "Reminder")
        for minutes, text in REMINDERS:
            self.reminder.addItem(text, minutes)
        form.addRow("Re&minder", self.reminder)

        self.delegate_box = QGroupBox("Zoom meeting host")
        self.delegate_box.setAccessibleName("Schedule the Zoom meeting as")
        delegate = QVBoxLayout(self.delegate_box)
        self.as_owner = QRadioButton()
        self.as_owner.setAccessibleName("Schedule as the calendar's owner")
        self.as_me = QRadioButton("Schedule the Zoom meeting as &me")
        self.as_me.setAccessibleName("Schedule as me")
        self._delegate_group = QButtonGroup(self)
        self._delegate_group.addButton(self.as_owner)
        self._delegate_group.addButton(self.as_me)
        delegate.addWidget(self.as_owner)
        delegate.addWidget(self.as_me)
        form.addRow(self.delegate_box)
        layout.addLayout(form)

        people = QGroupBox("Attendees and availability")
        people_layout = QVBoxLayout(people)
        add_row = QHBoxLayout()
        self.attendee_input = self._field(QLineEdit(), "Add attendee")
        self.attendee_input.setPlaceholderText("name@example.com, then Enter")
        self.attendee_input.returnPressed.connect(self.add_attendee_from_input)
        add = QPushButton("A&dd")
        add.setAccessibleName("Add attendee")
        add.clicked.connect(self.add_attendee_from_input)
        self.remove_attendee = QPushButton("Remo&ve")
        self.remove_attendee.setAccessibleName("Remove selected attendee")
        self.remove_attendee.clicked.connect(self._remove_selected)
        add_row.addWidget(self.attendee_input, 1)
        add_row.addWidget(add)
        add_row.addWidget(self.remove_attendee)
        people_layout.addLayout(add_row)
        self.attendees = self._field(QListWidget(), "Attendees")
        self.attendees.setFixedHeight(self.attendees.fontMetrics().height() * 4 + 8)
        people_layout.addWidget(self.attendees)
        self.availability = AvailabilityGrid()
        people_layout.addWidget(self.availability)
        suggest_row = QHBoxLayout()
        self.availability_note = QLabel()
        self.availability_note.setAccessibleName("Availability status")
        self.availability_note.setWordWrap(True)
        self.use_suggested = QPushButton("Use &suggested time")
        self.use_suggested.setAccessibleName("Use the suggested free time")
        self.use_suggested.setEnabled(False)
        self.use_suggested.clicked.connect(self.apply_suggestion)
        suggest_row.addWidget(self.availability_note, 1)
        suggest_row.addWidget(self.use_suggested)
        people_layout.addLayout(suggest_row)
        layout.addWidget(people)

        self.description = self._field(QPlainTextEdit(), "Description")
        self.description.setPlaceholderText("Description")
        self.description.setMinimumHeight(60)
        layout.addWidget(self.description, 1)

        self.response_row = QHBoxLayout()
        self.response_label = QLabel()
        self.response_label.setAccessibleName("Your response")
        self.response_row.addWidget(self.response_label, 1)
        self.response_buttons: dict[ResponseStatus, QPushButton] = {}
        for status, text in (
            (ResponseStatus.ACCEPTED, "Accept"),
            (ResponseStatus.TENTATIVE, "Tentative"),
            (ResponseStatus.DECLINED, "Decline"),
        ):
            button = QPushButton(text)
            button.setAccessibleName(f"{text} the invitation")
            button.clicked.connect(lambda _=False, s=status: self._answer(s))
            self.response_row.addWidget(button)
            self.response_buttons[status] = button
        layout.addLayout(self.response_row)

        self.actions_row = QHBoxLayout()
        layout.addLayout(self.actions_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save event")
        self.delete_button = self.buttons.addButton("&Delete", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setAccessibleName("Delete event")
        self.delete_button.clicked.connect(lambda: self.done(DELETE))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setAccessibleName("Problem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._free_busy_timer = QTimer(self, singleShot=True, interval=FREE_BUSY_DELAY_MS)
        self._free_busy_timer.timeout.connect(self.ask_free_busy)

    def _build_actions(self, actions: Sequence[Action]) -> None:
        self.editor_actions = list(actions)
        self.action_buttons: dict[str, QPushButton] = {}
        for action in actions:
            button = QPushButton(action.title)
            button.setAccessibleName(action.title)
            if action.shortcut:
                button.setShortcut(action.shortcut)
            button.clicked.connect(lambda _=False, a=action: self._run(a))
            self.actions_row.addWidget(button)
            self.action_buttons[action.id] = button
        self.actions_row.addStretch(1)

    # -- filling in ----------------------------------------------------------------------------

    def set_event(self, event: Event) -> None:
        """Show ``event`` in every field (at the start, and when an action hands back a changed one)."""
        self.original = attrs.evolve(event, provider_data=dict(event.provider_data))
        own = zone_of(event) if not self.is_new or event.time_zone else self.user_zone
        self.title.setText(event.title)
        index = self.calendar.findData(event.calendar_id)
        if index < 0 and self.calendar.count():
            index = 0
        self.calendar.setCurrentIndex(index)
        self.zone.setCurrentText(own.key)
        self.all_day.setChecked(event.all_day)
        start = event.start.astimezone(own)
        end = event.end.astimezone(own)
        if event.all_day:
            end = end - dt.timedelta(days=1)  # the editor shows the last day, the model the day after it
        self.start.setDateTime(to_qdatetime(start))
        self.end.setDateTime(to_qdatetime(end))
        self.location.setText(event.location)
        self.description.setPlainText(event.description)
        minutes = event.reminders[0].minutes if event.reminders else None
        self.reminder.setCurrentIndex(max(self.reminder.findData(minutes), 0))
        repeat = parse(event.recurrence, own)
        self.repeat.setCurrentIndex(max(self.repeat.findData(repeat.freq), 0))
        self.interval.setValue(repeat.interval)
        for day, box in enumerate(self.weekdays):
            box.setChecked(day in repeat.weekdays or (not repeat.weekdays and day == start.weekday()))
        self.ends.setCurrentIndex(2 if repeat.count else 1 if repeat.until else 0)
        self.count.setValue(repeat.count or 10)
        until = repeat.until or (start.date() + dt.timedelta(days=90))
        self.until.setDate(QDate(until.year, until.month, until.day))
        # An occurrence is edited on its own; the series' rule belongs to the master.
        for widget in (self.repeat, self.interval, self.weekday_row, self.ends, self.until, self.count):
            widget.setEnabled(event.series_id is None)
        self.attendees.clear()
        for attendee in event.attendees:
            if not attendee.is_self:
                self._add_attendee_item(attendee)
        host = event.provider_data.get(ZOOM_HOST, "owner")
        (self.as_me if host == "me" else self.as_owner).setChecked(True)
        invited = not self.is_new and is_invitation(event)
        for button in self.response_buttons.values():
            button.setVisible(invited and self._respond is not None)
        self.response_label.setVisible(invited)
        if invited and event.my_response is not None:
            self.response_label.setText(f"Your answer: {event.my_response.value}")
        self.delete_button.setVisible(not self.is_new)
        self._calendar_changed()
        self._repeat_changed()
        self._all_day_changed(event.all_day)
        self._times_changed()

    def _add_attendee_item(self, attendee: Attendee) -> None:
        name = attendee.address.name
        text = f"{name} <{attendee.address.email}>" if name else attendee.address.email
        if attendee.response is not ResponseStatus.NEEDS_ACTION:
            text += f" — {attendee.response.value}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, attendee)
        self.attendees.addItem(item)

    def add_attendee(self, text: str) -> bool:
        address = parse_attendee(text)
        if address is None:
            self.problem.setText(f"“{text}” is not an e-mail address. Type it as name@example.com.")
            return False
        if address.email in self.attendee_emails():
            return True
        self._add_attendee_item(Attendee(address))
        self.problem.clear()
        self._free_busy_timer.start()
        return True

    def add_attendee_from_input(self) -> None:
        texts = [t for t in self.attendee_input.text().replace(";", ",").split(",") if t.strip()]
        if texts and all(self.add_attendee(text) for text in texts):
            self.attendee_input.clear()

    def _remove_selected(self) -> None:
        for item in self.attendees.selectedItems():
            self.attendees.takeItem(self.attendees.row(item))
        self._free_busy_timer.start()

    def attendee_emails(self) -> list[str]:
        items = (self.attendees.item(i) for i in range(self.attendees.count()))
        return [item.data(Qt.ItemDataRole.UserRole).address.email for item in items]

    # -- reacting ------------------------------------------------------------------------------

    def selected_calendar(self) -> Calendar | None:
        return self.calendars.get(self.calendar.currentData())

    def _calendar_changed(self) -> None:
        calendar = self.selected_calendar()
        delegated = calendar is not None and calendar.kind is CalendarKind.DELEGATED
        self.delegate_box.setVisible(delegated)
        # Whose time the event takes may have changed: answers for the old calendar no longer apply.
        self._asked += 1
        self._free_busy_rows = []
        self._free_busy_timer.start()
        if delegated:
            owner = calendar.owner
            who = (owner.name or owner.email) if owner else calendar.name
            self.as_owner.setText(f"Schedule the Zoom meeting as the &owner ({who})")

    def _repeat_changed(self) -> None:
        freq = self.repeat.currentData()
        unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(freq, "")
        self.interval.setSuffix(f" {unit}s" if self.interval.value() > 1 else f" {unit}")
        self.interval.setVisible(freq is not None)
        self.weekday_row.setVisible(freq == "WEEKLY")
        self.ends.setVisible(freq is not None)
        self.until.setVisible(freq is not None and self.ends.currentIndex() == 1)
        self.count.setVisible(freq is not None and self.ends.currentIndex() == 2)

    def _all_day_changed(self, on: bool) -> None:
        fmt = "ddd dd MMM yyyy" if on else "ddd dd MMM yyyy  HH:mm"
        for edit in (self.start, self.end):
            edit.setDisplayFormat(fmt)
        self._times_changed()

    def _start_changed(self) -> None:
        # Moving the start keeps the length, as every calendar does.
        previous = getattr(self, "_last_start", None)
        current = self.start.dateTime()
        if previous is not None and previous != current:
            self.end.setDateTime(self.end.dateTime().addSecs(previous.secsTo(current)))
        self._last_start = current
        self._times_changed()

    def event_zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.zone.currentText().strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return self.user_zone

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        zone = self.event_zone()
        if self.all_day.isChecked():
            first = self.start.date().toPyDate()
            last = max(self.end.date().toPyDate(), first)
            start = dt.datetime.combine(first, dt.time(), zone)
            return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
        return from_qdatetime(self.start.dateTime(), zone), from_qdatetime(self.end.dateTime(), zone)

    def _times_changed(self) -> None:
        start, end = self.times()
        zone = self.event_zone()
        if not self.all_day.isChecked() and zone.utcoffset(start) != self.user_zone.utcoffset(start):
            local_start, local_end = start.astimezone(self.user_zone), end.astimezone(self.user_zone)
            self.local_time.setText(f"Your time: {local_start.strftime('%a')} {clock(local_start)}–{clock(local_end)}")
        else:
            self.local_time.setText("")
        self._free_busy_timer.start()
        self._show_availability()

    # -- availability --------------------------------------------------------------------------

    def ask_free_busy(self) -> None:
        """Fetch the attendees' (and your own) free/busy for the event's day; the grid shows it when it comes."""
        if self._free_busy is None:
            return
        addresses = self.attendee_emails()
        host = self.host_email()
        if host and host not in addresses:
            addresses = [host, *addresses]
        if not addresses:
            return
        zone = self.event_zone()
        day = self.times()[0].date()
        start = dt.datetime.combine(day, dt.time(), zone)
        self._asked += 1
        asked = self._asked
        self.availability_note.setText("Checking availability…")

        def done(rows: list[FreeBusy]) -> None:
            if asked == self._asked:
                self._free_busy_rows = list(rows)
                self._show_availability()

        self._free_busy(addresses, start, start + dt.timedelta(days=1), done)

    def host_email(self) -> str:
        """Whose time the event takes: the owner's in a delegator's calendar, else yours."""
        calendar = self.selected_calendar()
        if calendar is not None and calendar.kind is CalendarKind.DELEGATED and calendar.owner is not None:
            return calendar.owner.email.lower()
        return self.self_email

    def _row_label(self, address: str, names: dict[str, str]) -> str:
        if address == self.self_email:
            return "You"
        calendar = self.selected_calendar()
        if address == self.host_email() and calendar is not None and calendar.owner is not None:
            return f"{calendar.owner.name or calendar.owner.email} (calendar owner)"
        return names.get(address, address)

    def _show_availability(self) -> None:
        zone = self.event_zone()
        start, end = self.times()
        day = start.date()
        names = {}
        for index in range(self.attendees.count()):
            attendee = self.attendees.item(index).data(Qt.ItemDataRole.UserRole)
            names[attendee.address.email] = self.attendees.item(index).text().split(" — ")[0]
        rows = []
        busy_all = []
        for answer in self._free_busy_rows:
            label = self._row_label(answer.address.lower(), names)
            # The event being edited shows in its people's free/busy: it is no clash with itself.
            itself = (self.original.start, self.original.end) if not self.is_new else None
            busy = tuple((b.start, b.end) for b in answer.busy if (b.start, b.end) != itself)
            busy_all.extend(busy)
            rows.append(Row(label, busy, "not known" if answer.error else None))
        self.suggested = None
        if rows and not self.all_day.isChecked():
            window_start = dt.datetime.combine(day, dt.time(WORK_HOURS[0]), zone)
            window_end = dt.datetime.combine(day, dt.time(WORK_HOURS[1]), zone)
            self.suggested = suggest_slot(busy_all, window_start, window_end, end - start, not_before=self.now())
        clash = any(a < end and b > start for a, b in busy_all)
        if not rows:
            self.availability_note.setText("Add attendees to see when they are free.")
        elif clash and self.suggested is not None:
            self.availability_note.setText(
                f"Someone is busy then. Free for everyone: {clock(self.suggested[0])}–{clock(self.suggested[1])}."
            )
        elif clash:
            self.availability_note.setText("Someone is busy then, and no common free time is left that day.")
        else:
            self.availability_note.setText("Everyone is free then.")
        self.use_suggested.setEnabled(clash and self.suggested is not None)
        proposed = None if self.all_day.isChecked() else (start, end)
        # A suggestion is drawn only when the chosen time clashes: otherwise it would only distract.
        self.availability.set_rows(rows, day, zone, proposed, self.suggested if clash else None)

    def apply_suggestion(self) -> None:
        if self.suggested is None:
            return
        start, end = self.suggested
        self._last_start = to_qdatetime(start)
        self.start.setDateTime(to_qdatetime(start))
        self.end.setDateTime(to_qdatetime(end))

    # -- the result ----------------------------------------------------------------------------

    def edited_event(self) -> Event:
        """The edited event (not saved: the view sends it to the server)."""
        base = self.original
        zone = self.event_zone()
        start, end = self.times()
        kept = {a.address.email: a for a in base.attendees}
        attendees = [self.attendees.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.attendees.count())]
        attendees = [kept.get(a.address.email, a) for a in attendees]
        mine = [a for a in base.attendees if a.is_self]
        minutes = self.reminder.currentData()
        kept_reminders = base.reminders[0].minutes if base.reminders else None
        reminders = base.reminders if minutes == kept_reminders else ((Reminder(minutes),) if minutes else ())
        recurrence = base.recurrence
        if base.series_id is None:
            freq = self.repeat.currentData()
            repeat = Repeat(
                freq,
                self.interval.value(),
                tuple(i for i, box in enumerate(self.weekdays) if box.isChecked()),
                self.until.date().toPyDate() if self.ends.currentIndex() == 1 else None,
                self.count.value() if self.ends.currentIndex() == 2 else None,
            )
            recurrence = with_rule(base.recurrence, to_rrule(repeat, zone, all_day=self.all_day.isChecked()))
        provider_data = dict(base.provider_data)
        calendar = self.selected_calendar()
        if calendar is not None and calendar.kind is CalendarKind.DELEGATED:
            provider_data[ZOOM_HOST] = "me" if self.as_me.isChecked() else "owner"
        else:
            provider_data.pop(ZOOM_HOST, None)
        return attrs.evolve(
            base,
            title=self.title.text().strip(),
            calendar_id=self.calendar.currentData() or base.calendar_id,
            start=start,
            end=end,
            all_day=self.all_day.isChecked(),
            time_zone=zone.key,
            location=self.location.text().strip(),
            description=self.description.toPlainText(),
            attendees=(*mine, *attendees) if mine and attendees else tuple(attendees) or tuple(mine),
            recurrence=recurrence,
            reminders=reminders,
            provider_data=provider_data,
        )

    def problems(self) -> str:
        start, end = self.times()
        if not self.title.text().strip():
            return "Give the event a title."
        if end <= start and not self.all_day.isChecked():
            return "The event ends before it starts: set the end after the start."
        if self.calendar.currentData() is None:
            return "None of your calendars can be written to: ask the owner for write access."
        return ""

    def _save(self) -> None:
        problem = self.problems()
        self.problem.setText(problem)
        if not problem:
            self.accept()

    def _run(self, action: Action) -> None:
        if self._run_action is None:
            return

        def done(result: ActionResult) -> None:
            if result.event is not None:
                self.set_event(result.event)
                self._offer_actions()

        self._run_action(action, self.edited_event(), done)

    def _offer_actions(self) -> None:
        """Show only the actions that still apply to the changed event ("Add Zoom meeting" goes once it has one)."""
        if self._available is None:
            return
        event = self.edited_event()
        for action in self.editor_actions:
            self.action_buttons[action.id].setVisible(self._available(action, event))

    def _answer(self, status: ResponseStatus) -> None:
        if self._respond is not None:
            self._respond(status)
        self.reject()

    def _make_read_only(self) -> None:
        calendar = self.calendars.get(self.original.calendar_id)
        name = calendar.name if calendar else "this calendar"
        self.setWindowTitle("Event (read only)")
        self.problem.setText(f"{name} is read only for you: you can answer the invitation, not change it.")
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QDateTimeEdit, QSpinBox)):
                widget.setEnabled(False)
        self.calendar.addItem(name, self.original.calendar_id)
        self.calendar.setCurrentIndex(self.calendar.count() - 1)
        self.save_button.hide()
        self.delete_button.hide()

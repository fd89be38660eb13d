"""The painted boards: the time grid (day, work week, week), its header with the all-day row, the month.

Each board is handed the shown days, the events and the calendars' colours by the view; it lays the
events out with :mod:`calendar_view.placement`, paints them in the system palette, and reports what
the user does (select, open, drag, context menu) through signals. It never talks to the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import attrs

from calendar_view.placement import (
    DAY_MINUTES,
    SNAP_MINUTES,
    all_day_spans,
    is_day_long,
    moved,
    resized,
    snap,
    timed_segments,
)
from calendar_view.texts import clock, describe
from host.model.calendar import Event, ResponseStatus
from host.ui.qt import (
    QBrush,
    QColor,
    QEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QToolTip,
    QWidget,
    pyqtSignal,
)

HOUR_HEIGHT = 48
RESIZE_GRIP = 6
DRAG_THRESHOLD = 4
NOW_COLOUR = QColor("#d93025")
Key = tuple[str, str]


def key_of(event: Event) -> Key:
    return (event.calendar_id, event.id)


def text_colour(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill``."""
    luminance = 0.299 * fill.red() + 0.587 * fill.green() + 0.114 * fill.blue()
    return QColor("#000000") if luminance > 150 else QColor("#ffffff")


class Board(QWidget):
    """What the boards share: the data, the selection, the signals, colours."""

    #: the event now selected, or None
    selected = pyqtSignal(object)
    #: open the event (double-click, Enter)
    activated = pyqtSignal(object)
    #: (old event, changed event) after a drag
    change_requested = pyqtSignal(object, object)
    #: (event or None, global QPoint)
    menu_requested = pyqtSignal(object, object)
    #: a new event: (start, end) swept over empty time, or (start, None) where empty time was double-clicked
    create_requested = pyqtSignal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[dt.date] = []
        self.events: list[Event] = []
        self.colours: dict[str, QColor] = {}
        self.calendar_names: dict[str, str] = {}
        self.zone = ZoneInfo("UTC")
        self.today = dt.date.today()
        self.selection: Key | None = None
        self.can_edit: Callable[[Event], bool] = lambda event: False
        self._hits: list[tuple[QRectF, Event]] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)

    def set_data(
        self,
        days: Sequence[dt.date],
        events: Sequence[Event],
        colours: dict[str, QColor],
        names: dict[str, str],
        zone: ZoneInfo,
        today: dt.date,
    ) -> None:
        self.days, self.events, self.colours, self.calendar_names = list(days), list(events), colours, names
        self.zone, self.today = zone, today
        if self.selection is not None and self.selected_event() is None:
            self.selection = None
        self._relayout()
        self._describe_selection()
        self.update()

    def _relayout(self) -> None:
        raise NotImplementedError

    # -- selection -----------------------------------------------------------------------------

    def selected_event(self) -> Event | None:
        return next((e for e in self.events if key_of(e) == self.selection), None)

    def select(self, event: Event | None) -> None:
        self.selection = key_of(event) if event is not None else None
        self._describe_selection()
        self.update()
        self.selected.emit(event)

    def step_selection(self, direction: int) -> None:
        """Select the next (+1) or previous (-1) shown event in time order."""
        ordered = sorted(self.events, key=lambda e: (e.start, e.end, e.title))
        if not ordered:
            return
        keys = [key_of(e) for e in ordered]
        if self.selection in keys:
            index = min(max(keys.index(self.selection) + direction, 0), len(ordered) - 1)
        else:
            index = 0 if direction > 0 else len(ordered) - 1
        self.select(ordered[index])

    def _describe_selection(self) -> None:
        event = self.selected_event()
        text = self.description(event) if event is not None else "No event selected"
        # The blocks are painted, not widgets: the board's description names the selected event.
        self.setAccessibleDescription(f"{len(self.events)} events shown. Selected: {text}")

    def description(self, event: Event) -> str:
        return describe(event, self.zone, self.calendar_names.get(event.calendar_id, ""))

    def event_at(self, point: QPointF) -> Event | None:
        for rect, event in reversed(self._hits):
            if rect.contains(point):
                return event
        return None

    # -- colours -------------------------------------------------------------------------------

    def fill_of(self, event: Event) -> QColor:
        colour = QColor(self.colours.get(event.calendar_id) or self.palette().color(QPalette.ColorRole.Highlight))
        if event.my_response in (ResponseStatus.NEEDS_ACTION, ResponseStatus.TENTATIVE, ResponseStatus.DECLINED):
            # Not (firmly) accepted: a paler block, as every calendar app shows it.
            base = self.palette().color(QPalette.ColorRole.Base)
            red, green, blue = ((a + b) // 2 for a, b in zip(colour.getRgb()[:3], base.getRgb()[:3], strict=True))
            colour = QColor(red, green, blue)
        return colour

    def paint_block(self, painter: QPainter, rect: QRectF, event: Event, lines: Sequence[str]) -> None:
        fill = self.fill_of(event)
        selected = key_of(event) == self.selection
        painter.setPen(
            QPen(self.palette().color(QPalette.ColorRole.Text), 2) if selected else QPen(fill.darker(130), 1)
        )
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        painter.setPen(text_colour(fill))
        font = QFont(self.font())
        font.setStrikeOut(event.my_response is ResponseStatus.DECLINED)
        text_rect = rect.adjusted(4, 1, -3, -1)
        metrics = QFontMetrics(font)
        y = text_rect.top()
        for number, line in enumerate(lines):
            if y + metrics.height() > text_rect.bottom() + 2 and number > 0:
                break
            font.setBold(number == 0)
            painter.setFont(font)
            elided = QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            painter.drawText(QRectF(text_rect.left(), y, text_rect.width(), metrics.height()), elided)
            y += metrics.height()
        painter.setFont(self.font())

    def event(self, event: QEvent) -> bool:
        """Hovering an event shows its whole description (the block may be too small for it)."""
        if event.type() == QEvent.Type.ToolTip:
            hit = self.event_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.description(hit), self)
            return True
        return super().event(event)

    def contextMenuEvent(self, event) -> None:
        hit = self.event_at(QPointF(event.pos()))
        if hit is not None:
            self.select(hit)
        self.menu_requested.emit(hit, event.globalPos())

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down:
            self.step_selection(1)
        elif key == Qt.Key.Key_Up:
            self.step_selection(-1)
        else:
            super().keyPressEvent(event)


@attrs.define
class _Drag:
    event: Event
    press: QPointF
    resize: bool
    ghost: Event | None = None


class TimeGrid(Board):
    """Hours down, days across; the part of the day view that scrolls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Time grid")
        self.setMinimumHeight(24 * HOUR_HEIGHT)
        self._drag: _Drag | None = None
        self._sweep: tuple[int, int, int] | None = None  # (day, first minute, last minute) swept over empty time
        self._sweep_press = QPointF()
        self._segments: list = []
        # The current-time line moves by itself.
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.update)
        self._clock.start()
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)

    def sizeHint(self) -> QSize:
        return QSize(600, 24 * HOUR_HEIGHT)

    @property
    def gutter(self) -> int:
        return self.fontMetrics().horizontalAdvance("00:00") + 14

    def column_width(self) -> float:
        return (self.width() - self.gutter) / max(len(self.days), 1)

    def column_at(self, x: float) -> int:
        column = int((x - self.gutter) // self.column_width())
        return min(max(column, 0), max(len(self.days) - 1, 0))

    def y_of(self, minute: float) -> float:
        return minute / 60 * HOUR_HEIGHT

    def minute_at(self, y: float) -> float:
        return y / HOUR_HEIGHT * 60

    def _relayout(self) -> None:
        self._segments = timed_segments(self.events, self.days, self.zone)
        self._place()

    def resizeEvent(self, event) -> None:
        self._place()
        super().resizeEvent(event)

    def rect_of(self, segment) -> QRectF:
        width = self.column_width()
        left = self.gutter + segment.day * width + segment.column * (width - 4) / segment.columns
        top = self.y_of(segment.start_minute)
        height = max(self.y_of(segment.end_minute) - top, self.fontMetrics().height() + 4)
        return QRectF(left + 1, top + 1, (width - 4) / segment.columns - 2, height - 2)

    def _place(self) -> None:
        self._hits = [(self.rect_of(s), s.event) for s in self._segments]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        width = self.column_width()
        gutter = self.gutter
        if self.today in self.days:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(18)
            painter.fillRect(QRectF(gutter + self.days.index(self.today) * width, 0, width, self.height()), highlight)
        line = palette.color(QPalette.ColorRole.Mid)
        faint = QColor(line)
        faint.setAlpha(70)
        text = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = self.fontMetrics()
        for hour in range(24):
            y = hour * HOUR_HEIGHT
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(gutter, y), QPointF(self.width(), y))
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(gutter, y + HOUR_HEIGHT / 2), QPointF(self.width(), y + HOUR_HEIGHT / 2))
            if hour:
                painter.setPen(text)
                painter.drawText(
                    QRectF(0, y - metrics.height() / 2, gutter - 6, metrics.height()),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{hour:02d}:00",
                )
        painter.setPen(QPen(line, 1))
        for column in range(len(self.days) + 1):
            x = gutter + column * width
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        dragged = key_of(self._drag.event) if self._drag and self._drag.ghost else None
        for rect, shown in self._hits:
            if key_of(shown) == dragged:
                painter.setOpacity(0.35)
            self.paint_block(painter, rect, shown, self._lines(shown, rect))
            painter.setOpacity(1.0)
        if self._drag is not None and self._drag.ghost is not None:
            for segment in timed_segments([self._drag.ghost], self.days, self.zone):
                rect = self.rect_of(segment)
                self.paint_block(painter, rect, self._drag.ghost, self._lines(self._drag.ghost, rect))
        if self._sweep is not None and self._sweep[2] > self._sweep[1]:
            day, first, last = self._sweep
            width = self.column_width()
            top, bottom = self.y_of(first), self.y_of(last)
            sweep = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            sweep.setAlpha(90)
            painter.fillRect(QRectF(self.gutter + day * width + 1, top, width - 3, bottom - top), sweep)
        self._paint_now(painter)
        painter.end()

    def _lines(self, event: Event, rect: QRectF) -> list[str]:
        start, end = event.start.astimezone(self.zone), event.end.astimezone(self.zone)
        times = f"{clock(start)}–{clock(end)}"
        title = event.title or "(no title)"
        if rect.height() < 2 * self.fontMetrics().height() + 2:
            return [f"{title}, {clock(start)}"]
        return [title, times, event.location] if event.location else [title, times]

    def _paint_now(self, painter: QPainter) -> None:
        now = self.now().astimezone(self.zone)
        if now.date() not in self.days:
            return
        y = self.y_of(now.hour * 60 + now.minute)
        x = self.gutter + self.days.index(now.date()) * self.column_width()
        painter.setPen(QPen(NOW_COLOUR, 2))
        painter.drawLine(QPointF(x, y), QPointF(x + self.column_width(), y))
        painter.setBrush(NOW_COLOUR)
        painter.drawEllipse(QPointF(x, y), 4, 4)

    # -- mouse: select, open, drag to move or resize, double-click to create ----------------------

    def mousePressEvent(self, event) -> None:
        point = event.position()
        hit = self.event_at(point)
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.select(hit)
        if hit is not None and self.can_edit(hit) and not hit.all_day:
            rect = next(r for r, e in self._hits if e is hit)
            self._drag = _Drag(hit, point, resize=point.y() >= rect.bottom() - RESIZE_GRIP)
        elif hit is None and self.days:
            first = int(self.minute_at(point.y()) // SNAP_MINUTES * SNAP_MINUTES)
            self._sweep = (self.column_at(point.x()), first, first)
            self._sweep_press = point

    def _sweep_to(self, point: QPointF) -> None:
        day, first, _ = self._sweep
        last = max(first + SNAP_MINUTES, snap(self.minute_at(point.y())))
        self._sweep = (day, first, min(last, DAY_MINUTES))
        self.update()

    def mouseMoveEvent(self, event) -> None:
        point = event.position()
        if self._sweep is not None:
            # A click that wobbles a pixel or two is still a click, not a sweep.
            if self._sweep[2] > self._sweep[1] or (point - self._sweep_press).manhattanLength() >= DRAG_THRESHOLD:
                self._sweep_to(point)
            return
        if self._drag is None:
            hit = self.event_at(point)
            near_bottom = hit is not None and any(
                e is hit and point.y() >= r.bottom() - RESIZE_GRIP for r, e in self._hits
            )
            self.setCursor(Qt.CursorShape.SizeVerCursor if near_bottom else Qt.CursorShape.ArrowCursor)
            return
        drag = self._drag
        if (point - drag.press).manhattanLength() < DRAG_THRESHOLD and drag.ghost is None:
            return
        minutes = snap(self.minute_at(point.y() - drag.press.y()))
        if drag.resize:
            drag.ghost = resized(drag.event, drag.event.end + dt.timedelta(minutes=minutes))
        else:
            days = self.column_at(point.x()) - self.column_at(drag.press.x())
            drag.ghost = moved(drag.event, dt.timedelta(days=days, minutes=minutes))
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        sweep, self._sweep = self._sweep, None
        if sweep is not None:
            self.update()
            day, first, last = sweep
            if last > first:
                midnight = dt.datetime.combine(self.days[day], dt.time(), self.zone)
                self.create_requested.emit(
                    midnight + dt.timedelta(minutes=first), midnight + dt.timedelta(minutes=last)
                )
            return
        drag, self._drag = self._drag, None
        if drag is None:
            return
        self.update()
        ghost = drag.ghost
        if ghost is not None and (ghost.start, ghost.end) != (drag.event.start, drag.event.end):
            self.change_requested.emit(drag.event, ghost)

    def mouseDoubleClickEvent(self, event) -> None:
        self._sweep = None
        point = event.position()
        hit = self.event_at(point)
        if hit is not None:
            self.activated.emit(hit)
        elif self.days:
            day = self.days[self.column_at(point.x())]
            minute = int(self.minute_at(point.y()) // 30 * 30)
            start = dt.datetime.combine(day, dt.time(), self.zone) + dt.timedelta(minutes=minute)
            self.create_requested.emit(start, None)

    def point_of(self, event: Event) -> QPoint:
        """The centre of ``event``'s block (for tests and keyboard menus)."""
        rect = next(r for r, e in self._hits if key_of(e) == key_of(event))
        return rect.center().toPoint()


class DayHeader(Board):
    """Above the time grid: the day names and the all-day events, aligned with the grid's columns."""

    def __init__(self, grid: TimeGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.setAccessibleName("Days and all-day events")
        self.right_margin = 0
        self._spans: list = []
        self._drag: _Drag | None = None

    def _relayout(self) -> None:
        self._spans = all_day_spans(self.events, self.days, self.zone)
        rows = max((s.row + 1 for s in self._spans), default=0)
        self.setFixedHeight(self._title_height() + max(rows, 1) * self._row_height() + 6)
        self._place()

    def _title_height(self) -> int:
        return self.fontMetrics().height() * 2 + 8

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def _column_width(self) -> float:
        return (self.width() - self.right_margin - self.grid.gutter) / max(len(self.days), 1)

    def resizeEvent(self, event) -> None:
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        width = self._column_width()
        top = self._title_height()
        self._hits = [
            (
                QRectF(
                    self.grid.gutter + span.first * width + 2,
                    top + span.row * self._row_height(),
                    (span.last - span.first + 1) * width - 4,
                    self._row_height() - 2,
                ),
                span.event,
            )
            for span in self._spans
        ]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        width = self._column_width()
        gutter = self.grid.gutter
        metrics = self.fontMetrics()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(0, self._title_height(), gutter - 4, self._row_height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "all day",
        )
        for column, day in enumerate(self.days):
            x = gutter + column * width
            cell = QRectF(x, 2, width, self._title_height() - 4)
            bold = QFont(self.font())
            is_today = day == self.today
            if is_today:
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawRoundedRect(cell.adjusted(4, 2, -4, -2), 4, 4)
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            else:
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.setFont(self.font())
            painter.drawText(
                QRectF(cell.left(), cell.top() + 2, cell.width(), metrics.height()),
                Qt.AlignmentFlag.AlignHCenter,
                day.strftime("%a"),
            )
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                QRectF(cell.left(), cell.top() + 2 + metrics.height(), cell.width(), metrics.height()),
                Qt.AlignmentFlag.AlignHCenter,
                f"{day.day} {day.strftime('%b')}" if len(self.days) > 1 else day.strftime("%d %B"),
            )
            painter.setFont(self.font())
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(QPointF(x, self._title_height()), QPointF(x, self.height()))
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QPointF(0, self.height() - 1), QPointF(self.width(), self.height() - 1))
        for rect, shown in self._hits:
            self.paint_block(painter, rect, shown, [shown.title or "(no title)"])
        painter.end()

    def _column_at(self, x: float) -> int:
        column = int((x - self.grid.gutter) // self._column_width())
        return min(max(column, 0), max(len(self.days) - 1, 0))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.event_at(event.position())
            self.select(hit)
            if hit is not None and self.can_edit(hit):
                self._drag = _Drag(hit, event.position(), resize=False)

    def mouseReleaseEvent(self, event) -> None:
        """An all-day event dropped on another day moves there, keeping its length."""
        drag, self._drag = self._drag, None
        if drag is None:
            return
        days = self._column_at(event.position().x()) - self._column_at(drag.press.x())
        if days:
            self.change_requested.emit(drag.event, moved(drag.event, dt.timedelta(days=days)))

    def mouseDoubleClickEvent(self, event) -> None:
        self._drag = None
        hit = self.event_at(event.position())
        if hit is not None:
            self.activated.emit(hit)


class MonthGrid(Board):
    """Six weeks of days; each day lists what fits and says how many more there are."""

    #: a day was double-clicked where no event is: show it in the day view
    day_activated = pyqtSignal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Month")
        self.month = dt.date.today().month
        self._more: dict[int, int] = {}
        self._drag: _Drag | None = None

    def sizeHint(self) -> QSize:
        return QSize(700, 500)

    def _header_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _cell(self, index: int) -> QRectF:
        width = self.width() / 7
        height = (self.height() - self._header_height()) / 6
        return QRectF((index % 7) * width, self._header_height() + (index // 7) * height, width, height)

    def _line_height(self) -> int:
        return self.fontMetrics().height() + 3

    def _relayout(self) -> None:
        self._place()

    def resizeEvent(self, event) -> None:
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        self._hits = []
        self._more = {}
        if not self.days:
            return
        # Day-long events first (as bars), then timed ones by start; each on every day it covers.
        spans = all_day_spans(self.events, self.days, self.zone)
        per_day: dict[int, list[Event]] = {}
        for span in sorted(spans, key=lambda s: (s.row, s.first)):
            for day in range(span.first, span.last + 1):
                per_day.setdefault(day, []).append(span.event)
        for segment in sorted(timed_segments(self.events, self.days, self.zone), key=lambda s: s.start_minute):
            per_day.setdefault(segment.day, []).append(segment.event)
        line = self._line_height()
        for day, events in per_day.items():
            cell = self._cell(day)
            room = max(int((cell.height() - line - 4) // line), 0)
            shown = events if len(events) <= room else events[: max(room - 1, 0)]
            for number, event in enumerate(shown):
                top = cell.top() + line + 2 + number * line
                self._hits.append((QRectF(cell.left() + 2, top, cell.width() - 4, line - 1), event))
            if len(shown) < len(events):
                self._more[day] = len(events) - len(shown)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = self.fontMetrics()
        header = self._header_height()
        painter.fillRect(QRectF(0, 0, self.width(), header), palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        for column, day in enumerate(self.days[:7]):
            painter.drawText(
                QRectF(column * self.width() / 7, 0, self.width() / 7, header),
                Qt.AlignmentFlag.AlignCenter,
                day.strftime("%A" if self.width() / 7 > metrics.horizontalAdvance("Wednesday") + 8 else "%a"),
            )
        line_pen = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        for index, day in enumerate(self.days):
            cell = self._cell(index)
            if day.month != self.month:
                painter.fillRect(cell, palette.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(line_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(cell)
            label = QRectF(cell.left() + 4, cell.top() + 2, cell.width() - 8, metrics.height())
            text = str(day.day) if day.day != 1 else f"{day.day} {day.strftime('%b')}"
            if day == self.today:
                pill = QRectF(label.left() - 3, label.top(), metrics.horizontalAdvance(text) + 8, metrics.height())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
                painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
            else:
                role = QPalette.ColorRole.Text if day.month == self.month else QPalette.ColorRole.PlaceholderText
                painter.setPen(palette.color(role))
                painter.drawText(label, Qt.AlignmentFlag.AlignLeft, text)
            if index in self._more:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(label, Qt.AlignmentFlag.AlignRight, f"+{self._more[index]} more")
        for rect, shown in self._hits:
            self._paint_line(painter, rect, shown)
        painter.end()

    def _paint_line(self, painter: QPainter, rect: QRectF, event: Event) -> None:
        title = event.title or "(no title)"
        if is_day_long(event):
            self.paint_block(painter, rect, event, [title])
            return
        fill = self.fill_of(event)
        selected = key_of(event) == self.selection
        if selected:
            highlight = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(60)
            painter.fillRect(rect, highlight)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        dot = rect.height() / 2.6
        painter.drawEllipse(QPointF(rect.left() + dot + 1, rect.center().y()), dot / 1.4, dot / 1.4)
        font = QFont(self.font())
        font.setStrikeOut(event.my_response is ResponseStatus.DECLINED)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        text = f"{clock(event.start.astimezone(self.zone))} {title}"
        room = rect.adjusted(2 * dot + 4, 0, -2, 0)
        painter.drawText(
            room,
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, int(room.width())),
        )
        painter.setFont(self.font())

    def day_at(self, point: QPointF) -> dt.date | None:
        for index, day in enumerate(self.days):
            if self._cell(index).contains(point):
                return day
        return None

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            hit = self.event_at(event.position())
            self.select(hit)
            if hit is not None and self.can_edit(hit):
                self._drag = _Drag(hit, event.position(), resize=False)

    def mouseMoveEvent(self, event) -> None:
        drag = self._drag
        if drag is None or (event.position() - drag.press).manhattanLength() < DRAG_THRESHOLD:
            return
        self.setCursor(Qt.CursorShape.DragMoveCursor)

    def mouseReleaseEvent(self, event) -> None:
        """Dropped on another day: the event moves there, keeping its time of day."""
        drag, self._drag = self._drag, None
        self.unsetCursor()
        if drag is None:
            return
        start, end = self.day_at(drag.press), self.day_at(event.position())
        if start is not None and end is not None and start != end:
            self.change_requested.emit(drag.event, moved(drag.event, end - start))

    def mouseDoubleClickEvent(self, event) -> None:
        self._drag = None
        hit = self.event_at(event.position())
        if hit is not None:
            self.activated.emit(hit)
            return
        day = self.day_at(event.position())
        if day is not None:
            self.day_activated.emit(day)

"""Integrated scheduling: one row per attendee over the event's day, busy blocks from free/busy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import attrs

from calendar_view.texts import clock
from host.ui.qt import QColor, QPainter, QPalette, QPen, QPointF, QRectF, QSize, Qt, QWidget

FIRST_HOUR = 7
LAST_HOUR = 21


@attrs.frozen
class Row:
    """An attendee's availability: ``busy`` intervals, or ``error`` when their server could not tell."""

    label: str
    busy: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    error: str | None = None


class AvailabilityGrid(QWidget):
    """Hours across (07:00–21:00 of ``day`` in ``zone``), attendees down; the proposed time outlined and
    a suggested free slot dashed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Availability")
        self.rows: list[Row] = []
        self.day = dt.date.today()
        self.zone = ZoneInfo("UTC")
        self.proposed: tuple[dt.datetime, dt.datetime] | None = None
        self.suggested: tuple[dt.datetime, dt.datetime] | None = None
        self.setFixedHeight(self._row_height() * 2 + 4)

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _label_width(self) -> int:
        return min(max((self.fontMetrics().horizontalAdvance(r.label) for r in self.rows), default=80) + 12, 220)

    def sizeHint(self) -> QSize:
        return QSize(560, self._row_height() * (len(self.rows) + 1) + 4)

    def set_rows(
        self,
        rows: Sequence[Row],
        day: dt.date,
        zone: ZoneInfo,
        proposed: tuple[dt.datetime, dt.datetime] | None,
        suggested: tuple[dt.datetime, dt.datetime] | None,
    ) -> None:
        self.rows, self.day, self.zone, self.proposed, self.suggested = list(rows), day, zone, proposed, suggested
        self.setFixedHeight(self._row_height() * (max(len(self.rows), 1) + 1) + 4)
        parts = []
        for row in self.rows:
            if row.error:
                parts.append(f"{row.label}: unknown ({row.error})")
            elif row.busy:
                times = ", ".join(f"{clock(a.astimezone(zone))}–{clock(b.astimezone(zone))}" for a, b in row.busy)
                parts.append(f"{row.label}: busy {times}")
            else:
                parts.append(f"{row.label}: free")
        if suggested is not None:
            parts.append(f"suggested {clock(suggested[0].astimezone(zone))}–{clock(suggested[1].astimezone(zone))}")
        self.setAccessibleDescription("; ".join(parts))
        self.update()

    def x_of(self, moment: dt.datetime) -> float:
        local = moment.astimezone(self.zone)
        start = dt.datetime.combine(self.day, dt.time(FIRST_HOUR), self.zone)
        hours = (local - start).total_seconds() / 3600
        hours = min(max(hours, 0.0), LAST_HOUR - FIRST_HOUR)
        width = (self.width() - self._label_width()) / (LAST_HOUR - FIRST_HOUR)
        return self._label_width() + hours * width

    def busy_rects(self) -> list[tuple[int, QRectF]]:
        """``(row index, rectangle)`` of every busy block shown."""
        rects = []
        height = self._row_height()
        for index, row in enumerate(self.rows):
            top = height * (index + 1)
            for a, b in row.busy:
                left, right = self.x_of(a), self.x_of(b)
                if right > left:
                    rects.append((index, QRectF(left, top + 3, right - left, height - 6)))
        return rects

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        label_width = self._label_width()
        height = self._row_height()
        hours = LAST_HOUR - FIRST_HOUR
        width = (self.width() - label_width) / hours
        line = palette.color(QPalette.ColorRole.Mid)
        for hour in range(hours + 1):
            x = label_width + hour * width
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(x, height - 4), QPointF(x, self.height()))
            if hour < hours and (width > 34 or hour % 2 == 0):
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                label = f"{FIRST_HOUR + hour:02d}"
                painter.drawText(QRectF(x + 2, 0, 40, height), Qt.AlignmentFlag.AlignVCenter, label)
        for index, row in enumerate(self.rows):
            top = height * (index + 1)
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(0, top), QPointF(self.width(), top))
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            label = self.fontMetrics().elidedText(row.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(QRectF(4, top, label_width - 8, height), Qt.AlignmentFlag.AlignVCenter, label)
            if row.error:
                hatch = QColor(line)
                hatch.setAlpha(80)
                painter.fillRect(
                    QRectF(label_width, top + 3, self.width() - label_width, height - 6),
                    hatch,
                )
        busy = QColor(palette.color(QPalette.ColorRole.Highlight)).darker(140)
        busy.setAlpha(190)
        for _, rect in self.busy_rects():
            painter.fillRect(rect, busy)
        bottom = height * (len(self.rows) + 1)
        if self.suggested is not None:
            left, right = self.x_of(self.suggested[0]), self.x_of(self.suggested[1])
            painter.setPen(QPen(QColor("#188038"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(left, height - 2, right - left, bottom - height + 1))
        if self.proposed is not None:
            left, right = self.x_of(self.proposed[0]), self.x_of(self.proposed[1])
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Text), 2))
            painter.drawRect(QRectF(left, height - 2, max(right - left, 2), bottom - height + 1))
        painter.end()

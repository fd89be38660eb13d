"""Helpers of the contact card tests: pointing at a person's link, hovering, a card over its window in a PNG."""

from __future__ import annotations

from pathlib import Path

from host.ui.contact_popup import ContactCards
from host.ui.qt import QApplication, QCursor, QEvent, QLabel, QMouseEvent, QPainter, QPoint, QPointF, Qt, QWidget


def move_to(widget: QWidget, point: QPoint) -> None:
    """The pointer moves over ``widget`` to ``point``: the event goes to the widget itself, since offscreen
    Qt hands a move to whichever window it finds at the place, one behind the dialog being tested, say."""
    where = QPointF(point)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        where,
        QPointF(widget.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, move)


def link_point(qtbot, label: QLabel, href: str, cards: ContactCards) -> QPoint:
    """Where in ``label`` the link ``href`` is: a pointer walks its lines until the label says it is on it.
    The moves go to the label itself (a hover card coming up must not catch them), and no card is left."""
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))  # laid out for its text
    hovered: list[str] = []
    label.linkHovered.connect(hovered.append)
    try:
        step = max(label.fontMetrics().averageCharWidth() // 2, 2)
        for y in range(label.fontMetrics().height() // 2, label.height(), label.fontMetrics().height() // 2):
            for x in range(2, label.width(), step):
                move_to(label, QPoint(x, y))
                if hovered and hovered[-1] == href:
                    return QPoint(x, y)
    finally:
        label.linkHovered.disconnect(hovered.append)
        cards.close()
    raise AssertionError(f"no link {href!r} in {label.text()!r}")


def point_at(widget: QWidget, point: QPoint) -> None:
    """Put the pointer there (what a hover card watches), as a user's hand would."""
    QCursor.setPos(widget.mapToGlobal(point))


def hover(widget: QWidget, point: QPoint) -> None:
    """The pointer comes onto ``point`` of ``widget`` from its top left corner, and rests there."""
    move_to(widget, QPoint(1, 1))
    point_at(widget, point)
    move_to(widget, point)


def with_card(window: QWidget, card: QWidget, path: Path) -> Path:
    """The window with the card painted where it is on the screen (a grab shows one window only)."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(window.mapFromGlobal(card.mapToGlobal(QPoint(0, 0))), card.grab())
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(path))
    return path

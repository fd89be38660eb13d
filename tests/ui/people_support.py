"""Helpers of the contact card tests: pointing at a person's link, hovering, a card over its window in a PNG."""

from __future__ import annotations

from pathlib import Path

from host.ui.qt import QCursor, QLabel, QPainter, QPoint, QWidget


def link_point(qtbot, label: QLabel, href: str) -> QPoint:
    """Where in ``label`` the link ``href`` is: the pointer walks its lines until the label says it is on it."""
    hovered: list[str] = []
    label.linkHovered.connect(hovered.append)
    try:
        step = max(label.fontMetrics().averageCharWidth() // 2, 2)
        for y in range(label.fontMetrics().height() // 2, label.height(), label.fontMetrics().height() // 2):
            for x in range(2, label.width(), step):
                qtbot.mouseMove(label, QPoint(x, y))
                if hovered and hovered[-1] == href:
                    return QPoint(x, y)
    finally:
        label.linkHovered.disconnect(hovered.append)
    raise AssertionError(f"no link {href!r} in {label.text()!r}")


def point_at(widget: QWidget, point: QPoint) -> None:
    """Put the pointer there (what a hover card watches), as a user's hand would."""
    QCursor.setPos(widget.mapToGlobal(point))


def with_card(window: QWidget, card: QWidget, path: Path) -> Path:
    """The window with the card painted where it is on the screen (a grab shows one window only)."""
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(window.mapFromGlobal(card.mapToGlobal(QPoint(0, 0))), card.grab())
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(path))
    return path

"""zoomclient-contact-card as installed (its entry point, light hooks), and the host without it: the
reader and the calendar still open a card, the plain one, and nothing of Zoom is on it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from contact_support import LENA, MAIL_SUBJECT, card_of
from people_support import link_point
from ui_support import select_subject

from host.actions import ActionPlace
from host.ui.qt import QLabel, QPushButton, Qt
from host.views import ViewArea

#: what the ``zoomclient`` fixture (zoom_workplace.testing) loads
PLUGINS = "zoomclient-contact-card,zoomclient-zoom-workplace"


@pytest.fixture
def extra_plugins() -> tuple[object, ...]:
    return ()


def test_without_the_plugin_the_card_is_the_plain_one_and_the_views_work(qtbot, window) -> None:
    assert not window.context.views(ViewArea.CONTACT) and not window.context.actions(ActionPlace.CONTACT)
    mail = window.main_views["mail"]
    select_subject(qtbot, mail, MAIL_SUBJECT)
    headers = mail.reader.headers
    point = link_point(qtbot, headers, f"person:{LENA.email}", window.context.contact_cards)
    qtbot.mouseClick(headers, Qt.MouseButton.LeftButton, pos=point)

    card = card_of(window)
    assert card.views == []
    assert [label.text() for label in card.findChildren(QLabel)] == [f"{LENA.name}\n{LENA.email}"]
    assert [b.text().replace("&", "") for b in card.findChildren(QPushButton)] == ["Write email", "Copy address"]

    calendar = window.main_views["calendar"]
    window.show_view("calendar")
    qtbot.waitUntil(lambda: calendar.loading == 0 and bool(calendar.events), timeout=10000)
    assert not window.message_bar.isVisible()  # nothing went wrong anywhere


def test_the_installed_plugin_loads_with_light_hooks(zoomclient) -> None:
    """The real entry point, as ``zoomclient plugins`` finds it; importing it loads neither Qt nor httpx."""
    done = zoomclient("plugins", "--json")
    [card] = [p for p in json.loads(done.stdout) if p["name"] == "zoomclient-contact-card"]
    assert card["status"] == "loaded"
    assert {"register_views", "register_actions", "host_started"} <= set(card["hooks"])

    probe = "import sys, contact_card.plugin; print(sorted(m for m in ('PyQt6', 'httpx') if m in sys.modules))"
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert imported.stdout.strip() == "[]", imported.stderr

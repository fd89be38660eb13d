"""Views: panes the desktop shell hosts. Declared here without Qt; only the shell builds them."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs


class ViewArea(enum.Enum):
    MAIN = "main"  # a top-level pane: mail, calendar
    SIDEBAR = "sidebar"  # beside a message or an event: who joined
    SETTINGS = "settings"  # a page of the settings dialog: rules, auto-reply, signatures
    #: a part of the card the shell pops up for a person (a sender, an attendee): the Zoom contact card;
    #: its widget's ``show_item(contact)`` gets the :class:`~host.model.contact.Contact`
    CONTACT = "contact"
    #: a permanent widget in the window's status bar, built when the window opens: who is signed in to Zoom
    STATUS = "status"


@attrs.frozen
class View:
    """A pane a plugin offers.

    ``create`` is called by the shell (on the GUI thread) with the shell's view context and returns
    a ``QWidget``. It is the only place a plugin touches Qt, so the plugin imports its Qt module
    inside ``create`` and the core never loads Qt.
    """

    id: str
    title: str
    area: ViewArea
    create: Callable[[Any], Any]
    order: int = 100
    shortcut: str | None = None

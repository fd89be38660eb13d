"""Workflow actions: things a plugin lets the user do on a message, an event, a contact."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from host.model.calendar import Calendar, Event
from host.model.contact import Contact
from host.model.mail import Message, OutgoingMessage

if TYPE_CHECKING:
    from host.app import Host


class ActionPlace(enum.Enum):
    """Where an action shows: the shell puts it in that place's toolbar and context menu."""

    MESSAGE = "message"
    EVENT = "event"
    CONTACT = "contact"
    COMPOSER = "composer"
    EVENT_EDITOR = "event-editor"


class ActionUI(Protocol):
    """How an action talks to the user; the desktop shell and the CLI each implement it."""

    async def choose(self, title: str, options: Sequence[str]) -> int | None:
        """Let the user pick one option; None when cancelled."""

    async def confirm(self, text: str) -> bool: ...

    def notify(self, text: str) -> None: ...


@attrs.frozen
class ActionContext:
    """What an action runs on. Only the fields of its place are set; ``calendar`` is the calendar an
    event (or the event editor's event) is in, so that an action can tell a delegated one."""

    host: Host
    place: ActionPlace
    ui: ActionUI
    message: Message | None = None
    event: Event | None = None
    calendar: Calendar | None = None
    contact: Contact | None = None
    draft: OutgoingMessage | None = None


@attrs.frozen
class ActionResult:
    """What an action hands back: a changed draft or event for the editor to show, and a message."""

    message: str = ""
    draft: OutgoingMessage | None = None
    event: Event | None = None


def _always(context: ActionContext) -> bool:
    return True


@attrs.frozen
class Action:
    """A workflow action. ``run`` does the I/O on the core's loop; ``available`` is a cheap check."""

    id: str
    title: str
    places: frozenset[ActionPlace]
    run: Callable[[ActionContext], Awaitable[ActionResult]]
    available: Callable[[ActionContext], bool] = _always
    shortcut: str | None = None
    icon: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)

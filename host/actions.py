"""Workflow actions: things a plugin lets the user do on a message, an event, a contact."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

if TYPE_CHECKING:
    # Annotations only: the domain model is not light, and every plugin imports this module at load.
    from host.app import Host
    from host.model.calendar import Calendar, Event
    from host.model.contact import Contact
    from host.model.mail import Message, OutgoingMessage


class ActionPlace(enum.Enum):
    """Where an action shows: the shell puts it in that place's toolbar and context menu."""

    MESSAGE = "message"
    EVENT = "event"
    CONTACT = "contact"
    COMPOSER = "composer"
    EVENT_EDITOR = "event-editor"


@attrs.frozen
class Choice:
    """One row a picker shows: what the user reads, a second line, and what the action gets back."""

    label: str
    detail: str = ""
    value: Any = None


#: What a picker calls as the user types: the rows matching the text (``""`` at first).
Search = Callable[[str], Awaitable[Sequence[Choice]]]


class ActionUI(Protocol):
    """How an action talks to the user; the desktop shell implements it with dialogs, tests with scripts
    (:class:`host.testing.ScriptedActionUI`)."""

    async def choose(self, title: str, options: Sequence[str]) -> int | None:
        """Let the user pick one option; None when cancelled."""

    async def confirm(self, text: str) -> bool:
        """Ask a yes/no question; True for yes."""

    async def ask_text(self, title: str, label: str, *, text: str = "", multiline: bool = False) -> str | None:
        """Ask for a line (or, ``multiline``, a few lines) of text, offering ``text``; None when cancelled."""

    async def pick(self, title: str, search: Search, *, prompt: str = "Search") -> Choice | None:
        """A searchable list: ``search(text)`` runs on the core's loop as the user types, first with ``""``;
        the picked choice, None when cancelled. A search that raises shows its error in the picker, which
        stays open so the user can type again."""

    async def preview(
        self, title: str, text: str, *, options: Sequence[str] = (), accept: str = "OK"
    ) -> frozenset[str] | None:
        """Show what is about to happen (the message about to be sent, say), with check boxes for
        ``options``; the ticked options (maybe none) when the user accepts with ``accept``, None when cancelled."""

    def notify(self, text: str) -> None:
        """Tell the user something without waiting for them."""


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

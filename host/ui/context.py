"""What the shell hands a view's ``create(context)``: the public API views are built on.

A view (the mail view, the calendar view, any plugin's pane or settings page) gets one
:class:`ViewContext` and uses nothing of the shell beyond it:

- ``context.host`` — the :class:`~host.app.Host` (its registry: views, actions, providers);
- ``context.session`` — the open :class:`~host.accounts.AccountSession`, or None while signed out; its
  ``restrictions`` are the features an administrator turned off (the shell says why when it opens);
- ``context.tasks`` — the :class:`~host.ui.tasks.TaskRunner`: ``tasks.run(coro, on_done, on_error)`` runs a
  coroutine on the core's loop and calls back on the GUI thread. All I/O goes through it;
- ``context.show_error(error)`` / ``context.show_info(text)`` — non-modal messages in the window's
  message bar (an error shows its ``hint``: what to do);
- ``context.actions(place)`` — the workflow actions registered for a place, and
  ``context.run_action(action, parent=..., message=..., ...)`` to run one with the shell's dialogs (what
  it returns, unless ``on_done`` takes it: a draft opens in the composer, an event in the event editor);
- ``context.compose(message)`` — open the composer (new, reply, forward, an action's draft), or
  ``context.compose(draft=draft)`` to go on with a saved draft;
- ``context.views(area)`` / ``context.create_view(view)`` — build another plugin's view (sidebars).
  A SIDEBAR view's widget may define ``show_item(item)``: the main view hosting it calls it with what
  is in front — a :class:`~host.model.mail.Message`, an :class:`~host.model.calendar.Event`, or None;
  ``context.show_view(view_id)`` brings a main view to the front (from mail to the calendar, say);
- ``context.show_contact(contact, anchor, hover=False, at=None)`` — the card of a person a view shows (a
  sender, a recipient, an attendee: a :class:`~host.model.contact.Contact` built from the address) next to
  ``anchor``, the widget showing them (below ``at``, a global point, when the anchor shows more than the
  person: a list's row, the place of a menu). It holds every CONTACT view (each widget's ``show_item(contact)``
  is called; with none installed, a plain card with the address), "Write email", "Copy address" and a
  button per CONTACT action (run with ``contact=``). A click or a key opens it pinned, with the keyboard;
  ``hover=True`` opens it after a short delay if the pointer stays, and it closes when the pointer has
  left the anchor and the card. A view that shows several people in one widget calls
  ``context.end_contact_hover()`` when the pointer leaves one of them (:mod:`host.ui.contact_popup`);
- ``context.edit_event(event)`` — open ``event`` in the event editor of the main view that has one (whose
  widget defines ``edit_event(event)``: the calendar view), a new event when its ``id`` is empty. An action
  that returns an event (a CONTACT action's "Schedule") gets it opened there by ``run_action``;
- ``context.signals`` — :class:`ShellSignals`: ``account_changed(session or None)``,
  ``sync_progress(SyncProgress)`` and ``mail_changed()``, all delivered on the GUI thread;
- ``context.add_status_widget(widget)`` — a permanent widget in the status bar (where the shell also puts
  each STATUS view's widget, built when the window opens);
- ``context.secrets`` — the host's secret store (where the account's sign-in is), for a plugin that keeps a
  sign-in of its own beside it (the Zoom sign-in); ``context.sign_in_target(account_type)`` gives such a
  sign-in ``(open_browser, sandbox_url)``: the system browser and the real service, or in the demo the
  emulator's unattended consent and its URL; ``context.reopen_account()`` closes the open account and opens
  it again, so that what an administrator turned off since (``feature_restrictions``) is off now;
- ``context.notify_desktop(title, text)`` — a desktop notification (when the system has a tray);
- ``context.layout`` — the shell's QSettings, for layout only (geometry and splitter state, under
  ``context.settings_group(view_id)``): never message or event content.

A view must cope with ``session`` being None and with ``account_changed`` at any time (sign-in,
sign-out); it cancels nothing itself: the runner cancels every task when the window closes.
"""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.errors import ZoomclientError
from host.ui.contact_popup import ContactCards
from host.ui.qt import QObject, QPoint, QSettings, QWidget, pyqtSignal
from host.views import View, ViewArea

if TYPE_CHECKING:
    from collections.abc import Mapping

    from host.accounts import AccountSession
    from host.app import Host
    from host.model.calendar import Event
    from host.model.contact import Contact
    from host.model.mail import Draft, OutgoingMessage
    from host.secrets import SecretStore
    from host.ui.tasks import TaskRunner


log = logging.getLogger(__name__)


class ShellSignals(QObject):
    """Signals every view may connect to; the shell emits them on the GUI thread."""

    #: the session that was opened (after sign-in or at start) or None (after sign-out)
    account_changed = pyqtSignal(object)
    #: a :class:`host.sync.SyncProgress` from the account's sync engine
    sync_progress = pyqtSignal(object)
    #: the mail store changed (a sync round ended, or a view changed messages): counts and lists reload
    mail_changed = pyqtSignal()


class MessageSink:
    """Where non-modal messages go: the window's message bar implements this."""

    def show_error(self, error: BaseException | str, *, hint: str | None = None) -> None:
        raise NotImplementedError

    def show_info(self, text: str, *, action: tuple[str, Callable[[], None]] | None = None) -> None:
        raise NotImplementedError


#: The method a SIDEBAR or CONTACT view's widget may have, called with the message, event or contact in front.
SIDEBAR_SHOW_ITEM = "show_item"
#: The method of a MAIN view's widget that opens an event in its editor (the calendar view's).
MAIN_EDIT_EVENT = "edit_event"

#: What to do after an error that brought no advice of its own.
RETRY_HINT = "Try again in a moment; if it keeps failing, check your connection or sign out and in again."


def describe_error(error: BaseException | str, hint: str | None = None) -> tuple[str, str]:
    """``(what happened, what to do)`` for any error, the host's own with their hint."""
    if isinstance(error, str):
        return error, hint or ""
    if isinstance(error, ZoomclientError):
        # Exception's own __str__: the message without the hint ZoomclientError appends.
        return Exception.__str__(error), hint or error.hint or RETRY_HINT
    name = type(error).__name__
    detail = str(error)
    return (
        f"Something went wrong: {name}{': ' + detail if detail else ''}.",
        hint or "Try again; if it keeps happening, report it with what you were doing.",
    )


class ViewContext:
    """The shell's API for views; see the module docstring. Built by the shell, one per window."""

    def __init__(
        self,
        *,
        host: Host,
        tasks: TaskRunner,
        signals: ShellSignals,
        messages: MessageSink,
        action_ui: Callable[[QWidget | None], Any],
        compose: Callable[..., Any],
        add_status_widget: Callable[[QWidget], None],
        show_view: Callable[[str], bool],
        notify_desktop: Callable[[str, str], None],
        layout: QSettings,
        session: AccountSession | None = None,
        secrets: SecretStore | None = None,
        sign_in_target: Callable[[str], tuple[Callable[[str], object], str | None]] | None = None,
        reopen_account: Callable[[], None] | None = None,
        main_views: Callable[[], Mapping[str, QWidget]] = dict,
    ) -> None:
        self.host = host
        self.tasks = tasks
        self.signals = signals
        self.session = session
        self._messages = messages
        self._action_ui = action_ui
        self._compose = compose
        self._add_status_widget = add_status_widget
        self._show_view = show_view
        self._notify_desktop = notify_desktop
        self._main_views = main_views
        self.layout = layout
        self.secrets = secrets
        self._sign_in_target = sign_in_target or (lambda account_type: (webbrowser.open, None))
        self._reopen_account = reopen_account or (lambda: None)
        #: the contact card on screen (``contact_cards.current``) and the hover delay before one
        self.contact_cards = ContactCards(self)
        signals.account_changed.connect(self._set_session)

    def _set_session(self, session: AccountSession | None) -> None:
        self.session = session
        # What an administrator turned off stays hidden (promise 6); say why once, when the account opens.
        if session is not None and session.restrictions:
            self.show_info(" ".join(str(restriction) for restriction in session.restrictions))

    # -- messages ------------------------------------------------------------------------------

    def show_error(self, error: BaseException | str, *, hint: str | None = None) -> None:
        self._messages.show_error(error, hint=hint)

    def show_info(self, text: str, *, action: tuple[str, Callable[[], None]] | None = None) -> None:
        """An informational message; ``action`` adds a button (``("Undo", callback)``)."""
        self._messages.show_info(text, action=action)

    # -- actions -------------------------------------------------------------------------------

    def actions(self, place: ActionPlace) -> list[Action]:
        return [action for action in self.host.registry.actions if place in action.places]

    def action_context(self, place: ActionPlace, *, parent: QWidget | None = None, **fields: Any) -> ActionContext:
        """The context an action of ``place`` runs with: ``message=``, ``event=``, ``contact=`` or ``draft=``."""
        return ActionContext(host=self.host, place=place, ui=self._action_ui(parent), **fields)

    def run_action(
        self,
        action: Action,
        place: ActionPlace,
        *,
        parent: QWidget | None = None,
        on_done: Callable[[ActionResult], None] | None = None,
        **fields: Any,
    ) -> None:
        """Run ``action`` on the core's loop; its message is shown, and a draft it returns is opened
        in the composer unless ``on_done`` takes the result."""
        context = self.action_context(place, parent=parent, **fields)

        def done(result: ActionResult) -> None:
            if result.message:
                self.show_info(result.message)
            if on_done is not None:
                on_done(result)
            elif result.draft is not None:
                self.compose(result.draft)
            elif result.event is not None:
                self.edit_event(result.event)

        self.tasks.run(action.run(context), done)

    # -- the rest of the shell -----------------------------------------------------------------

    def compose(self, message: OutgoingMessage | None = None, *, draft: Draft | None = None) -> Any:
        """Open a composer window: empty, with ``message`` (a reply, a forward, an action's draft), or
        going on with a saved ``draft``; returns the composer (None when there is no mailbox)."""
        return self._compose(message, draft=draft)

    def views(self, area: ViewArea) -> list[View]:
        return sorted((v for v in self.host.registry.views if v.area is area), key=lambda v: (v.order, v.title))

    def create_view(self, view: View) -> QWidget:
        """Build ``view``'s widget with this context; a view that fails shows as a message, not a crash."""
        try:
            return view.create(self)
        except Exception as error:  # one broken plugin view must not take the window down
            from host.ui.qt import QLabel

            what, todo = describe_error(error)
            self.show_error(f"The view {view.title!r} could not be shown: {what}", hint=todo)
            label = QLabel(f"{view.title} is unavailable.")
            label.setAccessibleName(f"{view.title} (unavailable)")
            return label

    def show_view(self, view_id: str) -> bool:
        """Bring the main view ``view_id`` to the front; False when no such view is loaded."""
        return self._show_view(view_id)

    def show_contact(self, contact: Contact, anchor: QWidget, *, hover: bool = False, at: QPoint | None = None) -> None:
        """The card of ``contact`` next to ``anchor`` (below ``at`` if given): pinned at once, or with
        ``hover`` after a short delay and only while the pointer stays (see the module docstring)."""
        self.contact_cards.show(contact, anchor, hover=hover, at=at)

    def end_contact_hover(self) -> None:
        """The pointer left a person within a widget that shows several: no card comes for them, and
        a hover card goes unless the pointer moves onto it."""
        self.contact_cards.end_hover()

    def edit_event(self, event: Event) -> bool:
        """Open ``event`` in the event editor of the main view that has one (brought to the front); False,
        with a message, when no such view is loaded."""
        for view_id, widget in self._main_views().items():
            edit = getattr(widget, MAIN_EDIT_EVENT, None)
            if edit is not None:
                self.show_view(view_id)
                edit(event)
                return True
        self.show_error("There is no calendar to open the event in.", hint="Install and enable a calendar view.")
        return False

    def sign_in_target(self, account_type: str) -> tuple[Callable[[str], object], str | None]:
        """``(open_browser, sandbox_url)`` for a plugin's own sign-in to ``account_type`` (see the module docstring)."""
        return self._sign_in_target(account_type)

    def reopen_account(self) -> None:
        """Close the open account and open it again (see the module docstring); nothing while signed out."""
        self._reopen_account()

    def add_status_widget(self, widget: QWidget) -> None:
        self._add_status_widget(widget)

    def notify_desktop(self, title: str, text: str) -> None:
        self._notify_desktop(title, text)

    @staticmethod
    def show_item(sidebars: list[QWidget], item: Any) -> None:
        """Tell each sidebar what is in front now (see the module docstring); one that fails is reported."""
        for sidebar in sidebars:
            show = getattr(sidebar, SIDEBAR_SHOW_ITEM, None)
            if show is None:
                continue
            try:
                show(item)
            except Exception as error:  # a broken sidebar must not break the reader or the calendar
                log.exception("a sidebar failed to show an item")
                what, todo = describe_error(error)
                sidebar.setEnabled(False)
                sidebar.setToolTip(f"{what} {todo}")

    @staticmethod
    def settings_group(view_id: str) -> str:
        return f"views/{view_id}"

"""What a provider's test suite hands the contract kit: its emulator's base URL and a way to act on it.

The kit talks to the emulator in two ways: through the provider, exactly as the host does, and
through an :class:`EmulatorControl`, which changes and reads the server behind the provider's back
(in-process, on the emulator's own state). Each method is small on purpose: an emulator built like
Gmail's (string ids, labels) implements it in a line or two per method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Protocol, runtime_checkable

import attrs

from host.model.calendar import ResponseStatus


@runtime_checkable
class EmulatorControl(Protocol):
    """The hands a provider's emulator gives the kit to change the server behind the provider's back.

    Ids are the provider's own strings, as the provider reports them (``Message.id``,
    ``Calendar.id``, ``Event.id``). Every method acts at once on the server's state, so the next
    request the provider makes sees the change.
    """

    #: The address of the account the emulator signs in (what ``Account.email`` must end up as).
    user_email: str

    def deliver(self, *, subject: str, body: str, sender: str) -> str:
        """A new plain-text message from ``sender`` arrives in the inbox; returns its id."""

    def remove(self, message_id: str) -> None:
        """The message is deleted for good on the server."""

    def mark(self, message_id: str, *, unread: bool | None = None, flagged: bool | None = None) -> None:
        """Set the message's flags on the server (None leaves one as it is). Gmail: the UNREAD and
        STARRED labels."""

    def message_ids(self) -> set[str]:
        """Every message a full sync of the mailbox must end with (drafts kept apart from messages
        by the server are not among them)."""

    def message_state(self, message_id: str) -> tuple[bool, bool]:
        """``(unread, flagged)`` of the message on the server."""

    def message_folders(self, message_id: str) -> set[str]:
        """The folder or label ids the server files the message under, named as the provider names
        them in ``Message.folder_ids`` (flags kept as labels, like Gmail's UNREAD and STARRED, are
        not folders and are left out)."""

    def sent_subjects(self) -> list[str]:
        """The subject of every message the server has sent (once per sent message)."""

    def expire_mail_cursor(self) -> None:
        """The server forgets the mail sync positions it handed out: the next incremental sync is
        told its cursor is unknown (Gmail: ``history.list`` answers 404)."""

    def expire_calendar_cursor(self) -> None:
        """Likewise for the calendar: the next ``event_changes`` is told its cursor is unknown (410)."""

    def fail_next(self, status: int, *, count: int = 1, retry_after: float | None = None) -> None:
        """The next ``count`` API requests (not the sign-in endpoints) are answered with ``status``,
        with a ``Retry-After`` header when ``retry_after`` is given. Use the sandbox toolkit's
        :meth:`~host.sandbox.faults.FaultInjector.queue_status`."""

    def decline_scopes(self, scopes: Collection[str]) -> None:
        """From the next sign-in on, the consent step declines ``scopes`` (``()``: grants everything)."""

    def event_titles(self, calendar_id: str) -> set[str]:
        """The titles of every event the server holds in the calendar."""

    def add_event(
        self,
        calendar_id: str,
        *,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        organizer: str | None = None,
    ) -> str:
        """A single event appears in the calendar server-side; returns its id. With ``organizer``,
        it is that person's invitation: the user is an attendee who has not answered yet."""

    def event_response(self, calendar_id: str, event_id: str) -> ResponseStatus | None:
        """The user's own answer to the event on the server (None when the user is not invited)."""


@attrs.frozen
class ContractTarget:
    """One provider under test: what the kit builds its host from, and the emulator to run against.

    ``plugin`` is the provider's plugin module (it registers the account type, the mail and calendar
    providers); ``base_url`` is where the provider's fixture serves its emulator on 127.0.0.1.
    """

    plugin: object
    account_type: str
    base_url: str
    control: EmulatorControl

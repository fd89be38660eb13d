"""The contract kit's hands (:class:`host.testing.control.EmulatorControl`) on an emulator built like
Google's: a labelled mailbox (:mod:`host.sandbox.labelled_mailbox`'s shape: UNREAD and STARRED labels,
``deliver``/``modify``/``delete``/``forget_history``) and a :class:`host.sandbox.calendar_store.CalendarStore`.

It serves the Google emulator (Gmail, Google Calendar) and the Zoom emulator (Zoom Mail, Zoom
Calendar); each gives the paths its faults hit, its iCalUID domain and how labels become folders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from host.model.calendar import ResponseStatus
from host.sandbox.calendar_store import rfc3339


class LabelledControl:
    """Changes and reads the emulator's state directly, under its lock; ids are the API's own.

    ``emulator`` has ``lock``, ``user``, ``mailbox``, ``calendars`` (the store), ``calendar.owners``,
    ``faults`` and ``oauth``.
    """

    def __init__(
        self,
        emulator: Any,
        *,
        folder_ids: Callable[[Iterable[str]], tuple[str, ...]],
        api_paths: str,
        ical_domain: str,
    ) -> None:
        self.emulator = emulator
        self.user_email = emulator.user.email
        self._folder_ids = folder_ids
        self._api_paths = api_paths
        self._ical_domain = ical_domain

    @property
    def _mailbox(self):
        return self.emulator.mailbox

    # -- mail --------------------------------------------------------------------------------------

    def deliver(self, *, subject: str, body: str, sender: str) -> str:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.user_email
        message["Subject"] = subject
        message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "example.com")
        message.set_content(body)
        with self.emulator.lock:
            return self._mailbox.deliver(message.as_bytes()).id

    def remove(self, message_id: str) -> None:
        with self.emulator.lock:
            self._mailbox.delete(self._mailbox.message(message_id))

    def mark(self, message_id: str, *, unread: bool | None = None, flagged: bool | None = None) -> None:
        add, remove = [], []
        if unread is not None:
            (add if unread else remove).append("UNREAD")
        if flagged is not None:
            (add if flagged else remove).append("STARRED")
        with self.emulator.lock:
            self._mailbox.modify(self._mailbox.message(message_id), add, remove)

    def message_ids(self) -> set[str]:
        with self.emulator.lock:
            return set(self._mailbox.messages)

    def message_state(self, message_id: str) -> tuple[bool, bool]:
        with self.emulator.lock:
            labels = self._mailbox.message(message_id).labels
            return "UNREAD" in labels, "STARRED" in labels

    def message_folders(self, message_id: str) -> set[str]:
        with self.emulator.lock:
            return set(self._folder_ids(self._mailbox.message(message_id).labels))

    def sent_subjects(self) -> list[str]:
        with self.emulator.lock:
            sent = [m for m in self._mailbox.messages.values() if "SENT" in m.labels]
            return [m.facts().subject for m in sent]

    def expire_mail_cursor(self) -> None:
        with self.emulator.lock:
            self._mailbox.forget_history()

    def expire_calendar_cursor(self) -> None:
        with self.emulator.lock:
            self.emulator.calendars.forget_changes()

    def fail_next(self, status: int, *, count: int = 1, retry_after: float | None = None) -> None:
        self.emulator.faults.queue_status(status, count=count, path=self._api_paths, retry_after=retry_after)

    def decline_scopes(self, scopes: Collection[str]) -> None:
        self.emulator.oauth.config.declined_scopes = set(scopes)

    # -- calendars -----------------------------------------------------------------------------------

    def _calendar_id(self, calendar_id: str) -> str:
        return self.emulator.calendars.resolve(self.user_email, calendar_id)

    def event_titles(self, calendar_id: str) -> set[str]:
        with self.emulator.lock:
            events = self.emulator.calendars.events[self._calendar_id(calendar_id)].values()
            return {e.get("summary", "") for e in events if e.get("status") != "cancelled"}

    def add_event(
        self,
        calendar_id: str,
        *,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        organizer: str | None = None,
    ) -> str:
        store = self.emulator.calendars
        with self.emulator.lock:
            calendar_id = self._calendar_id(calendar_id)
            owner = self.emulator.calendar.owners.get(calendar_id, self.user_email)
            event_id = store.new_id()
            stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            event = {
                "kind": "calendar#event",
                "id": event_id,
                "status": "confirmed",
                "summary": title,
                "start": {"dateTime": rfc3339(start), "timeZone": "UTC"},
                "end": {"dateTime": rfc3339(end), "timeZone": "UTC"},
                "created": stamp,
                "updated": stamp,
                "iCalUID": f"{event_id}@{self._ical_domain}",
                "sequence": 0,
                "organizer": {"email": organizer or owner},
                "creator": {"email": organizer or owner},
            }
            if organizer:
                event["attendees"] = [
                    {"email": organizer, "organizer": True, "responseStatus": "accepted"},
                    {"email": self.user_email, "responseStatus": "needsAction"},
                ]
            store.put(calendar_id, event)
            return event_id

    def event_response(self, calendar_id: str, event_id: str) -> ResponseStatus | None:
        with self.emulator.lock:
            event = self.emulator.calendars.event(self._calendar_id(calendar_id), event_id)
            mine = next(
                (a for a in event.get("attendees", []) if a.get("email", "").lower() == self.user_email.lower()),
                None,
            )
            return ResponseStatus(mine["responseStatus"]) if mine else None

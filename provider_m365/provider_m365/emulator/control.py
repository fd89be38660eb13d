"""The contract kit's hands on the Graph emulator (:class:`host.testing.control.EmulatorControl`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import attrs

from host.mime import build_message
from host.model.calendar import Attendee, Event, ResponseStatus
from host.model.mail import Address, OutgoingMessage
from provider_m365.emulator.app import GraphEmulator
from provider_m365.emulator.calendars import StoredCalendar

CATEGORY = "category:"
ROOM = "room:"


class GraphControl:
    """Changes and reads the emulator's state directly; ids are the immutable ids the provider sees."""

    def __init__(self, emulator: GraphEmulator) -> None:
        self.emulator = emulator
        self.mailbox = emulator.mailbox
        self.calendars = emulator.calendars
        self.user_email = self.mailbox.owner.email

    # -- mail ------------------------------------------------------------------------------------

    def deliver(self, *, subject: str, body: str, sender: str) -> str:
        outgoing = OutgoingMessage(to=(self.mailbox.owner,), subject=subject, body_text=body)
        raw = build_message(outgoing, sender=Address(sender)).as_bytes()
        return self.mailbox.add_message("inbox", raw=raw, is_read=False).key

    def remove(self, message_id: str) -> None:
        self.mailbox.delete_message(self.mailbox.message(message_id).key)

    def mark(self, message_id: str, *, unread: bool | None = None, flagged: bool | None = None) -> None:
        changes: dict[str, object] = {}
        if unread is not None:
            changes["isRead"] = not unread
        if flagged is not None:
            changes["flag"] = {"flagStatus": "flagged" if flagged else "notFlagged"}
        self.mailbox.update(self.mailbox.message(message_id), changes)

    def message_ids(self) -> set[str]:
        with self.mailbox.lock:
            return set(self.mailbox.messages)

    def message_state(self, message_id: str) -> tuple[bool, bool]:
        message = self.mailbox.message(message_id)
        return not message.is_read, message.flag_status == "flagged"

    def message_folders(self, message_id: str) -> set[str]:
        message = self.mailbox.message(message_id)
        return {message.folder_id, *(CATEGORY + c for c in message.categories)}

    def sent_subjects(self) -> list[str]:
        return list(self.mailbox.sent)

    def expire_mail_cursor(self) -> None:
        with self.mailbox.lock:
            self.mailbox.generation += 1

    def expire_calendar_cursor(self) -> None:
        with self.calendars.lock:
            self.calendars.generation += 1

    def fail_next(self, status: int, *, count: int = 1, retry_after: float | None = None) -> None:
        self.emulator.faults.queue_status(status, count=count, path=r"^/v1\.0/", retry_after=retry_after)

    def decline_scopes(self, scopes: Collection[str]) -> None:
        self.emulator.oauth.config.declined_scopes = set(scopes)

    # -- calendars --------------------------------------------------------------------------------

    def _calendar(self, calendar_id: str) -> StoredCalendar:
        if calendar_id.startswith(ROOM):
            return self.calendars.default_calendar(calendar_id.removeprefix(ROOM))
        return self.calendars.calendar(calendar_id)

    def event_titles(self, calendar_id: str) -> set[str]:
        calendar = self._calendar(calendar_id)
        with self.calendars.lock:
            return {e.title for e in self.calendars.events.values() if e.calendar_id == calendar.id}

    def add_event(
        self,
        calendar_id: str,
        *,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        organizer: str | None = None,
    ) -> str:
        calendar = self._calendar(calendar_id)
        owner = self.calendars.owner
        event = Event(
            id=self.mailbox.new_key("AAMkAGev"),
            calendar_id=calendar.id,
            title=title,
            start=start,
            end=end,
            time_zone="UTC",
            organizer=Address(organizer) if organizer else calendar.owner,
            updated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        if organizer:
            event = attrs.evolve(
                event,
                attendees=(
                    Attendee(Address(organizer), ResponseStatus.ACCEPTED, organizer=True),
                    Attendee(owner, ResponseStatus.NEEDS_ACTION, is_self=True),
                ),
                my_response=ResponseStatus.NEEDS_ACTION,
            )
        self.calendars.put(event)
        return event.id

    def event_response(self, calendar_id: str, event_id: str) -> ResponseStatus | None:
        calendar = self._calendar(calendar_id)
        event = self.calendars.event(calendar.id, event_id)
        mine = next((a for a in event.attendees if a.address.email.lower() == self.user_email.lower()), None)
        return mine.response if mine is not None else event.my_response

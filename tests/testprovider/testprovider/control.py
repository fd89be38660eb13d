"""TestMail's :class:`~host.testing.control.EmulatorControl`: the contract kit's hands on the emulator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from host.model.calendar import Attendee, Event, ResponseStatus
from host.model.mail import Address
from testprovider.emulator import TestMailEmulator

#: Requests the kit's injected faults hit: the API, never the sign-in.
API_PATHS = r"^/api/"


class TestMailControl:
    """Changes and reads a running :class:`TestMailEmulator`'s state directly (same process)."""

    __test__ = False

    def __init__(self, emulator: TestMailEmulator) -> None:
        self.emulator = emulator
        self.state = emulator.state

    @property
    def user_email(self) -> str:
        return self.state.owner.email

    # -- mail -------------------------------------------------------------------------------------

    def deliver(self, *, subject: str, body: str, sender: str) -> str:
        return self.state.add_message(subject=subject, body=body, sender=Address(sender)).id

    def remove(self, message_id: str) -> None:
        self.state.delete([message_id])

    def mark(self, message_id: str, *, unread: bool | None = None, flagged: bool | None = None) -> None:
        self.state.modify([message_id], unread=unread, flagged=flagged)

    def message_ids(self) -> set[str]:
        with self.state.lock:
            return set(self.state.messages)

    def message_state(self, message_id: str) -> tuple[bool, bool]:
        with self.state.lock:
            message = self.state.get(message_id)
            return message.unread, message.flagged

    def message_folders(self, message_id: str) -> set[str]:
        with self.state.lock:
            return set(self.state.get(message_id).folder_ids)

    def sent_subjects(self) -> list[str]:
        with self.state.lock:
            return [m.subject for m in self.state.messages.values() if "SENT" in m.folder_ids]

    def expire_mail_cursor(self) -> None:
        with self.state.lock:
            # The floor is the newest change: a cursor *at* it stays valid, so move past the cursor
            # handed out last before forgetting, and every cursor the client holds is unknown.
            self.state.seq += 1
            self.state.expire_history()

    def expire_calendar_cursor(self) -> None:
        with self.state.lock:
            self.state.event_seq += 1  # as for mail: past every sync token handed out so far
            self.state.expire_event_tokens()

    # -- faults and consent ---------------------------------------------------------------------

    def fail_next(self, status: int, *, count: int = 1, retry_after: float | None = None) -> None:
        self.emulator.faults.queue_status(status, count=count, retry_after=retry_after, path=API_PATHS)

    def decline_scopes(self, scopes: Collection[str]) -> None:
        self.emulator.oauth.config.declined_scopes = set(scopes)

    # -- calendar ---------------------------------------------------------------------------------

    def event_titles(self, calendar_id: str) -> set[str]:
        with self.state.lock:
            return {e.title for e in self.state.events.values() if e.calendar_id == calendar_id}

    def add_event(
        self,
        calendar_id: str,
        *,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        organizer: str | None = None,
    ) -> str:
        attendees: tuple[Attendee, ...] = ()
        if organizer is not None:
            attendees = (
                Attendee(Address(organizer), ResponseStatus.ACCEPTED, organizer=True),
                Attendee(self.state.owner, ResponseStatus.NEEDS_ACTION),
            )
        event = Event(
            "",
            calendar_id,
            title,
            start,
            end,
            time_zone="UTC",
            organizer=Address(organizer) if organizer else self.state.owner,
            attendees=attendees,
        )
        return self.state.create_event(event).id

    def event_response(self, calendar_id: str, event_id: str) -> ResponseStatus | None:
        with self.state.lock:
            event = self.state.events[event_id]
            assert event.calendar_id == calendar_id
            return next((a.response for a in event.attendees if a.address.email == self.user_email), None)

"""TestMail's server side: one mailbox and the calendars its owner reaches, all in memory.

Tests change it directly to play "something happened on the server" (a new message arrives, a label
moves, an event is created by someone else) and read it to check what the client did. Every change to
a message or an event is recorded in a history, which is what the API's cursors and sync tokens
count in; :meth:`TestMailState.expire_history` and :meth:`TestMailState.expire_event_tokens` make
every cursor handed out so far unknown, as servers do after a while.

All methods take the state's lock: the emulator runs in its own thread beside the test.
"""

from __future__ import annotations

import bisect
import datetime as dt
import email
import email.policy
import itertools
import threading
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from email.utils import getaddresses

import attrs

from host.mime import build_message
from host.model.calendar import (
    Attendee,
    BusyInterval,
    Calendar,
    DelegatePermission,
    Event,
    EventStatus,
    FreeBusy,
    ResponseStatus,
    ShowAs,
)
from host.model.mail import (
    Address,
    AutoReply,
    Folder,
    FolderKind,
    OutgoingMessage,
    Rule,
    Signature,
)
from host.sandbox.datagen import OWNER, PEOPLE, CalendarSet, Mailbox, generate_calendars
from host.sandbox.recurrence import (
    is_occurrence,
    localize,
    occurrence_id,
    occurrences,
    slot_start,
    split_occurrence_id,
)

#: TestMail's system folders: (id, name, kind). Flags are not labels here: STARRED maps to ``flagged``.
SYSTEM_FOLDERS = (
    ("INBOX", "Inbox", FolderKind.INBOX),
    ("SENT", "Sent", FolderKind.SENT),
    ("DRAFTS", "Drafts", FolderKind.DRAFTS),
    ("TRASH", "Trash", FolderKind.TRASH),
    ("SPAM", "Spam", FolderKind.SPAM),
    ("IMPORTANT", "Important", FolderKind.IMPORTANT),
)
#: The generator's label names -> TestMail's folder ids (custom labels get ids of their own).
GENERATED_LABELS = {
    "INBOX": "INBOX",
    "SENT": "SENT",
    "DRAFT": "DRAFTS",
    "TRASH": "TRASH",
    "SPAM": "SPAM",
    "IMPORTANT": "IMPORTANT",
}


class NotFound(LookupError):
    """The thing asked for does not exist (404)."""


class Forbidden(PermissionError):
    """The user may not do this (403), e.g. write to a calendar shared read-only."""


class Invalid(ValueError):
    """The request makes no sense (400)."""


class CursorUnknown(LookupError):
    """A cursor or sync token the server no longer knows (Gmail-style 404, Calendar-style 410)."""


@attrs.define
class StoredMessage:
    """A message as the server keeps it; ``raw`` is None for generated ones (made on demand)."""

    id: str
    thread_id: str
    folder_ids: set[str]
    unread: bool
    flagged: bool
    date: dt.datetime
    subject: str
    sender: str  # the From header's text, for search
    recipients: str
    has_attachment: bool
    index: int | None = None
    raw: bytes | None = attrs.field(default=None, repr=False)


@attrs.frozen
class MailChange:
    seq: int
    kind: str  # "added" | "updated" | "deleted"
    message_id: str


@attrs.define
class StoredDraft:
    id: str
    raw: bytes = attrs.field(repr=False)
    updated: dt.datetime
    thread_id: str | None = None


@attrs.frozen
class EventChange:
    """``before`` is the event as it was before this change (None: it did not exist)."""

    seq: int
    calendar_id: str
    root_id: str
    event_id: str
    before: Event | None


def root_of(event: Event) -> str:
    return event.series_id or event.id


class TestMailState:
    """The server's state; see the module docstring. ``now`` fixes the clock the data is made around.

    What tests use most: ``messages`` (id -> :class:`StoredMessage`), ``folders``, ``drafts``,
    ``rules``, ``auto_reply``, ``calendars``, ``events`` (masters, singles and exception records) to
    inspect; :meth:`add_message`, :meth:`modify`, :meth:`move`, :meth:`delete`, :meth:`create_event`,
    :meth:`update_event`, :meth:`delete_event` to play the server side; :meth:`expire_history` and
    :meth:`expire_event_tokens` to make cursors unknown; :meth:`raw` for a message's bytes. Hold
    ``lock`` to read several things as of one moment while the emulator runs.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(
        self,
        *,
        messages: int = 500,
        events: int = 200,
        seed: int = 1,
        owner: Address = OWNER,
        now: dt.datetime | None = None,
        history_limit: int = 50_000,
    ) -> None:
        self.lock = threading.RLock()
        self.owner = owner
        self.now = now or dt.datetime.now(dt.UTC)
        self.history_limit = history_limit
        self.mailbox = Mailbox(messages, seed=seed, owner=owner, now=self.now)
        self._ids = itertools.count(1)
        self.seq = 1000
        self.history: list[MailChange] = []
        self.history_floor = self.seq  # cursors below this are forgotten
        self.folders: dict[str, Folder] = {
            folder_id: Folder(folder_id, name, kind, exclusive=False) for folder_id, name, kind in SYSTEM_FOLDERS
        }
        self._label_ids: dict[str, str] = {}
        self.messages: dict[str, StoredMessage] = {}
        self._threads: dict[str, str] = {}  # Message-ID header -> thread id, to thread replies
        self._order: list[tuple[float, str]] | None = None
        for index in range(messages):
            meta = self.mailbox.meta(index)
            labels = set()
            for label in meta.labels:
                if label == "STARRED":
                    continue
                labels.add(GENERATED_LABELS.get(label) or self._label_id(label))
            self.messages[meta.id] = StoredMessage(
                id=meta.id,
                thread_id=meta.thread_id,
                folder_ids=labels,
                unread=meta.unread,
                flagged=meta.starred,
                date=meta.date,
                subject=meta.subject,
                sender=str(meta.sender),
                recipients=", ".join(str(a) for a in (*meta.to, *meta.cc)),
                has_attachment="attachment" in meta.features,
                index=index,
            )
            self._threads[meta.message_id] = meta.thread_id
        self.drafts: dict[str, StoredDraft] = {}
        self.rules: dict[str, Rule] = {}
        self.auto_reply = AutoReply()
        self.signatures = [
            Signature("sig-work", "Work", html=f"<p>— {owner.name}</p>", text=f"-- \n{owner.name}"),
        ]
        calendars: CalendarSet = generate_calendars(events, seed=seed, owner=owner, now=self.now)
        self.calendars: dict[str, Calendar] = {c.id: c for c in calendars.calendars}
        self.events: dict[str, Event] = {e.id: localize(e) for e in calendars.events}
        self.delegations: list[DelegatePermission] = list(calendars.delegations)
        self.people = calendars.people
        self.event_seq = 1
        self.event_floor = self.event_seq
        self.event_history: list[EventChange] = []

    # -- mail: folders -------------------------------------------------------------------------------

    def _label_id(self, name: str) -> str:
        """The id of a custom label, created on first use; ``a/b`` nests under ``a``."""
        if name not in self._label_ids:
            parent_name, _, _ = name.rpartition("/")
            parent = self._label_id(parent_name) if parent_name else None
            label_id = f"L{len(self._label_ids) + 1}"
            self._label_ids[name] = label_id
            self.folders[label_id] = Folder(label_id, name.rpartition("/")[2], FolderKind.CUSTOM, parent_id=parent)
        return self._label_ids[name]

    def folder_list(self) -> list[Folder]:
        with self.lock:
            totals: dict[str, int] = dict.fromkeys(self.folders, 0)
            unread: dict[str, int] = dict.fromkeys(self.folders, 0)
            for message in self.messages.values():
                for folder_id in message.folder_ids:
                    if folder_id in totals:
                        totals[folder_id] += 1
                        unread[folder_id] += message.unread
            return [attrs.evolve(f, total=totals[f.id], unread=unread[f.id]) for f in self.folders.values()]

    def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        with self.lock:
            if not name.strip():
                raise Invalid("A label needs a name.")
            if parent_id is not None and parent_id not in self.folders:
                raise NotFound(f"No label {parent_id}.")
            if any(f.name == name and f.parent_id == parent_id for f in self.folders.values()):
                raise Invalid(f"A label named {name!r} exists already.")
            folder_id = f"L{next(self._ids) + 1000}"
            self.folders[folder_id] = Folder(folder_id, name, FolderKind.CUSTOM, parent_id=parent_id)
            return self.folders[folder_id]

    def rename_folder(self, folder_id: str, name: str) -> Folder:
        with self.lock:
            folder = self._custom_folder(folder_id)
            self.folders[folder_id] = attrs.evolve(folder, name=name)
            return self.folders[folder_id]

    def delete_folder(self, folder_id: str) -> None:
        with self.lock:
            self._custom_folder(folder_id)
            del self.folders[folder_id]
            for message in self.messages.values():
                if folder_id in message.folder_ids:
                    message.folder_ids.discard(folder_id)
                    self._record("updated", message.id)

    def _custom_folder(self, folder_id: str) -> Folder:
        folder = self.folders.get(folder_id)
        if folder is None:
            raise NotFound(f"No label {folder_id}.")
        if folder.kind is not FolderKind.CUSTOM:
            raise Invalid(f"{folder.name} is a system label and cannot be changed.")
        return folder

    # -- mail: history -------------------------------------------------------------------------------

    def _record(self, kind: str, message_id: str) -> None:
        self.seq += 1
        self.history.append(MailChange(self.seq, kind, message_id))
        if kind != "updated":
            self._order = None
        if len(self.history) > self.history_limit:
            dropped = self.history[: len(self.history) - self.history_limit]
            del self.history[: len(dropped)]
            self.history_floor = dropped[-1].seq

    def cursor(self) -> str:
        with self.lock:
            return str(self.seq)

    def expire_history(self) -> None:
        """Forget every change so far: each cursor handed out until now is unknown from here on."""
        with self.lock:
            # One step on, so that even the newest cursor (one with nothing after it) is forgotten.
            self.seq += 1
            self.history.clear()
            self.history_floor = self.seq

    def changes(self, cursor: str, limit: int = 100) -> tuple[list[tuple[str, str]], str, bool]:
        """``([(kind, id)], new cursor, has_more)`` since ``cursor``; one entry per message, latest kind.

        Raises CursorUnknown for a cursor the server forgot (or never gave).
        """
        with self.lock:
            try:
                since = int(cursor)
            except ValueError:
                raise CursorUnknown(cursor) from None
            if since < self.history_floor or since > self.seq:
                raise CursorUnknown(cursor)
            start = bisect.bisect_right(self.history, since, key=lambda change: change.seq)
            batch = self.history[start : start + limit]
            has_more = start + limit < len(self.history)
            latest: dict[str, str] = {}
            for change in batch:
                previous = latest.get(change.message_id)
                # added then updated is still "added"; anything then deleted is "deleted".
                latest[change.message_id] = "added" if previous == "added" and change.kind == "updated" else change.kind
            new_cursor = str(batch[-1].seq) if batch else str(since)
            return [(kind, message_id) for message_id, kind in latest.items()], new_cursor, has_more

    # -- mail: messages -------------------------------------------------------------------------------

    def raw(self, message_id: str) -> bytes:
        with self.lock:
            message = self.get(message_id)
            if message.raw is not None:
                return message.raw
            assert message.index is not None
            index = message.index
        return self.mailbox.raw(index)

    def get(self, message_id: str) -> StoredMessage:
        with self.lock:
            message = self.messages.get(message_id)
            if message is None:
                raise NotFound(f"No message {message_id}.")
            return message

    def _sorted(self) -> list[tuple[float, str]]:
        if self._order is None:
            self._order = sorted((-m.date.timestamp(), m.id) for m in self.messages.values())
        return self._order

    def list_page(
        self, page_token: str | None, since: dt.datetime | None, page_size: int = 100
    ) -> tuple[list[StoredMessage], str | None]:
        """Newest first; the page token is the position after the last message of the page before."""
        with self.lock:
            order = self._sorted()
            start = 0
            if page_token:
                stamp, _, last_id = page_token.partition("|")
                try:
                    start = bisect.bisect_right(order, (-float(stamp), last_id))
                except ValueError:
                    raise Invalid(f"Bad page token {page_token!r}.") from None
            page: list[StoredMessage] = []
            position = start
            for position in range(start, min(start + page_size, len(order))):
                message = self.messages[order[position][1]]
                if since is not None and message.date < since:
                    return page, None
                page.append(message)
            more = start + page_size < len(order) and page
            next_token = f"{page[-1].date.timestamp()!r}|{page[-1].id}" if more else None
            return page, next_token

    def add_message(
        self,
        raw: bytes | None = None,
        *,
        folder_ids: Iterable[str] = ("INBOX",),
        unread: bool = True,
        flagged: bool = False,
        date: dt.datetime | None = None,
        subject: str = "A new message",
        sender: Address = PEOPLE[0],
        body: str = "Hello from the server side.",
        thread_id: str | None = None,
    ) -> StoredMessage:
        """A message arrives (``raw``, or one made of ``subject``/``sender``/``body``)."""
        with self.lock:
            if raw is None:
                outgoing = OutgoingMessage(to=(self.owner,), subject=subject, body_text=body, sender=sender)
                raw = build_message(outgoing, sender=sender, date=date or dt.datetime.now(dt.UTC)).as_bytes()
            parsed = parse_bytes(raw)
            message_id = f"n{next(self._ids):06d}"
            thread_id = thread_id or self._thread_for(parsed.get("In-Reply-To")) or message_id
            unknown = set(folder_ids) - set(self.folders)
            if unknown:
                raise Invalid(f"Unknown labels {sorted(unknown)}.")
            stored = StoredMessage(
                id=message_id,
                thread_id=thread_id,
                folder_ids=set(folder_ids),
                unread=unread,
                flagged=flagged,
                date=date or dt.datetime.now(dt.UTC),
                subject=str(parsed.get("Subject", "")),
                sender=str(parsed.get("From", "")),
                recipients=", ".join(str(parsed.get(name, "")) for name in ("To", "Cc") if parsed.get(name)),
                has_attachment=any(part.get_content_disposition() == "attachment" for part in parsed.walk()),
                raw=raw,
            )
            self.messages[message_id] = stored
            if parsed.get("Message-ID"):
                self._threads.setdefault(str(parsed["Message-ID"]).strip(), thread_id)
            self._record("added", message_id)
            return stored

    def _thread_for(self, in_reply_to: object) -> str | None:
        return self._threads.get(str(in_reply_to).strip()) if in_reply_to else None

    def modify(
        self,
        ids: Sequence[str],
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        with self.lock:
            add, remove = set(add), set(remove)
            unknown = (add | remove) - set(self.folders)
            if unknown:
                raise Invalid(f"Unknown labels {sorted(unknown)}.")
            targets = [self.get(message_id) for message_id in ids]
            for message in targets:
                before = (frozenset(message.folder_ids), message.unread, message.flagged)
                message.folder_ids = (message.folder_ids - remove) | add
                if unread is not None:
                    message.unread = unread
                if flagged is not None:
                    message.flagged = flagged
                if before != (frozenset(message.folder_ids), message.unread, message.flagged):
                    self._record("updated", message.id)

    def move(self, ids: Sequence[str], folder_id: str) -> None:
        """Labels hold no place: moving replaces every label but IMPORTANT with ``folder_id``."""
        with self.lock:
            if folder_id not in self.folders:
                raise NotFound(f"No label {folder_id}.")
            for message_id in ids:
                message = self.get(message_id)
                keep = message.folder_ids & {"IMPORTANT"}
                self.modify([message_id], remove=message.folder_ids - keep, add={folder_id})

    def trash(self, ids: Sequence[str]) -> None:
        self.move(ids, "TRASH")

    def delete(self, ids: Sequence[str]) -> None:
        with self.lock:
            for message_id in ids:
                self.get(message_id)
            for message_id in ids:
                del self.messages[message_id]
                self._record("deleted", message_id)

    def send(self, raw: bytes, thread_id: str | None = None) -> StoredMessage:
        """Keep a sent message in SENT; one addressed to the owner is delivered to INBOX too."""
        with self.lock:
            parsed = parse_bytes(raw)
            if not any(addr for _, addr in getaddresses([str(parsed.get(h, "")) for h in ("To", "Cc", "Bcc")])):
                raise Invalid("A message needs at least one recipient.")
            if parsed.get("Bcc"):
                del parsed["Bcc"]
                raw = parsed.as_bytes()
            return self.add_message(raw, folder_ids=("SENT",), unread=False, thread_id=thread_id)

    def search(self, query: str, limit: int = 50) -> list[str]:
        """A server-side search over headers: words, ``from:`` ``to:`` ``subject:`` ``in:``/``label:``
        ``is:unread`` ``is:flagged`` ``has:attachment`` and ``-`` negation; newest first."""
        with self.lock:
            terms = query.split()
            hits = []
            for _, message_id in self._sorted():
                message = self.messages[message_id]
                if all(self._matches(message, term) for term in terms):
                    hits.append(message_id)
                    if len(hits) >= limit:
                        break
            return hits

    def _matches(self, message: StoredMessage, term: str) -> bool:
        if term.startswith("-") and len(term) > 1:
            return not self._matches(message, term[1:])
        key, sep, value = term.partition(":")
        value = value.lower().strip('"')
        if sep:
            match key.lower():
                case "from":
                    return value in message.sender.lower()
                case "to":
                    return value in message.recipients.lower()
                case "subject":
                    return value in message.subject.lower()
                case "in" | "label":
                    return any(
                        value in (folder_id.lower(), self.folders[folder_id].name.lower())
                        for folder_id in message.folder_ids
                        if folder_id in self.folders
                    )
                case "is":
                    return {"unread": message.unread, "read": not message.unread, "flagged": message.flagged}.get(
                        value, False
                    )
                case "has":
                    return value == "attachment" and message.has_attachment
                case "rfc822msgid":  # how the outbox asks whether a send reached the server
                    return value.strip("<>") == self._message_id_header(message).lower().strip("<>")
        text = term.lower().strip('"')
        return text in message.subject.lower() or text in message.sender.lower() or text in message.recipients.lower()

    def _message_id_header(self, message: StoredMessage) -> str:
        if message.raw is not None:
            return str(parse_bytes(message.raw).get("Message-ID", "")).strip()
        assert message.index is not None
        return self.mailbox.meta(message.index).message_id

    # -- mail: drafts, rules, auto-reply ------------------------------------------------------------------

    def save_draft(self, draft_id: str | None, raw: bytes, thread_id: str | None = None) -> StoredDraft:
        with self.lock:
            if draft_id is not None and draft_id not in self.drafts:
                raise NotFound(f"No draft {draft_id}.")
            draft_id = draft_id or f"d{next(self._ids):06d}"
            self.drafts[draft_id] = StoredDraft(draft_id, raw, dt.datetime.now(dt.UTC), thread_id)
            return self.drafts[draft_id]

    def delete_draft(self, draft_id: str) -> None:
        with self.lock:
            if self.drafts.pop(draft_id, None) is None:
                raise NotFound(f"No draft {draft_id}.")

    def send_draft(self, draft_id: str) -> StoredMessage:
        with self.lock:
            draft = self.drafts.get(draft_id)
            if draft is None:
                raise NotFound(f"No draft {draft_id}.")
            sent = self.send(draft.raw, draft.thread_id)
            del self.drafts[draft_id]
            return sent

    def save_rule(self, rule: Rule) -> Rule:
        with self.lock:
            if rule.id is not None and rule.id not in self.rules:
                raise NotFound(f"No rule {rule.id}.")
            for folder_id in (*rule.actions.add_folder_ids, *rule.actions.remove_folder_ids):
                if folder_id not in self.folders:
                    raise Invalid(f"Unknown label {folder_id}.")
            saved = attrs.evolve(rule, id=rule.id or f"r{next(self._ids):06d}")
            self.rules[saved.id] = saved
            return saved

    def delete_rule(self, rule_id: str) -> None:
        with self.lock:
            if self.rules.pop(rule_id, None) is None:
                raise NotFound(f"No rule {rule_id}.")

    # -- calendars ---------------------------------------------------------------------------------------

    def calendar(self, calendar_id: str, *, write: bool = False) -> Calendar:
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            raise NotFound(f"No calendar {calendar_id}.")
        if write and not calendar.writable:
            raise Forbidden(f"{calendar.name} is shared with you read-only.")
        return calendar

    def _members(self, calendar_id: str, root: str) -> list[Event]:
        return [e for e in self.events.values() if e.calendar_id == calendar_id and root_of(e) == root]

    @staticmethod
    def _expand(members: Sequence[Event], start: dt.datetime, end: dt.datetime) -> list[Event]:
        masters = [e for e in members if e.series_id is None]
        exceptions = [e for e in members if e.series_id is not None]
        if not masters:
            return [e for e in exceptions if e.start < end and e.end > start]
        return occurrences(masters[0], exceptions, start, end)

    def event_window(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> list[Event]:
        """Every event and occurrence of a calendar overlapping ``[start, end)``, by start."""
        with self.lock:
            self.calendar(calendar_id)
            roots: dict[str, list[Event]] = {}
            for event in self.events.values():
                if event.calendar_id == calendar_id:
                    roots.setdefault(root_of(event), []).append(event)
            found = [occ for members in roots.values() for occ in self._expand(members, start, end)]
            return sorted(found, key=lambda e: (e.start, e.id))

    def event_token(self) -> int:
        with self.lock:
            return self.event_seq

    def expire_event_tokens(self) -> None:
        """Forget the event history: every sync token handed out until now is unknown from here on."""
        with self.lock:
            self.event_seq += 1  # as for mail: past the newest token too
            self.event_history.clear()
            self.event_floor = self.event_seq

    def event_changes(
        self, calendar_id: str, since: int, start: dt.datetime, end: dt.datetime
    ) -> tuple[list[Event], list[str], int]:
        """``(upserted, deleted ids, new token)`` of a calendar's window since token ``since``."""
        with self.lock:
            self.calendar(calendar_id)
            if since < self.event_floor or since > self.event_seq:
                raise CursorUnknown(str(since))
            changed = [c for c in self.event_history if c.seq > since and c.calendar_id == calendar_id]
            upserted: list[Event] = []
            deleted: list[str] = []
            for root in dict.fromkeys(c.root_id for c in changed):
                now_members = self._members(calendar_id, root)
                then = {e.id: e for e in now_members}
                seen: set[str] = set()
                for change in changed:
                    if change.root_id == root and change.event_id not in seen:
                        seen.add(change.event_id)
                        if change.before is None:
                            then.pop(change.event_id, None)
                        else:
                            then[change.event_id] = change.before
                current = self._expand(now_members, start, end)
                current_ids = {e.id for e in current}
                upserted.extend(current)
                deleted.extend(e.id for e in self._expand(list(then.values()), start, end) if e.id not in current_ids)
            return upserted, sorted(set(deleted)), self.event_seq

    def _record_event(self, calendar_id: str, event_id: str, before: Event | None, root: str) -> None:
        self.event_seq += 1
        self.event_history.append(EventChange(self.event_seq, calendar_id, root, event_id, before))
        if len(self.event_history) > self.history_limit:
            self.event_floor = self.event_history.pop(0).seq

    def _with_self(self, event: Event) -> Event:
        """The owner's own attendee entry marked, and their response copied to ``my_response``."""
        attendees = tuple(attrs.evolve(a, is_self=a.address.email == self.owner.email) for a in event.attendees)
        mine = next((a.response for a in attendees if a.is_self), None)
        return attrs.evolve(event, attendees=attendees, my_response=mine, updated=dt.datetime.now(dt.UTC))

    def create_event(self, event: Event) -> Event:
        with self.lock:
            self.calendar(event.calendar_id, write=True)
            if event.end < event.start:
                raise Invalid("An event cannot end before it starts.")
            event_id = event.id or f"e{next(self._ids):06d}"
            if event_id in self.events:
                raise Invalid(f"Event {event_id} exists already.")
            stored = localize(self._with_self(attrs.evolve(event, id=event_id)))
            self.events[event_id] = stored
            self._record_event(stored.calendar_id, event_id, None, root_of(stored))
            return stored

    def _stored_or_materialized(self, calendar_id: str, event_id: str) -> tuple[Event | None, Event]:
        """``(stored record or None, event)``: an occurrence without a record of its own becomes one."""
        stored = self.events.get(event_id)
        if stored is not None:
            if stored.calendar_id != calendar_id:
                raise NotFound(f"No event {event_id} in {calendar_id}.")
            return stored, stored
        split = split_occurrence_id(event_id)
        master = self.events.get(split[0]) if split else None
        if split is None or master is None or master.calendar_id != calendar_id or not master.recurrence:
            raise NotFound(f"No event {event_id} in {calendar_id}.")
        start = slot_start(master, split[1])
        if not is_occurrence(master, start):
            raise NotFound(f"No event {event_id} in {calendar_id}.")
        occurrence = attrs.evolve(
            master,
            id=event_id,
            start=start,
            end=start + (master.end - master.start),
            recurrence=(),
            series_id=master.id,
            original_start=start,
        )
        return None, occurrence

    def update_event(self, event: Event, *, check_write: bool = True) -> Event:
        with self.lock:
            self.calendar(event.calendar_id, write=check_write)
            before, current = self._stored_or_materialized(event.calendar_id, event.id)
            if event.end < event.start:
                raise Invalid("An event cannot end before it starts.")
            # An occurrence keeps its place in the series whatever the client sends.
            updated = attrs.evolve(event, series_id=current.series_id, original_start=current.original_start)
            updated = localize(self._with_self(updated))
            self.events[event.id] = updated
            self._record_event(event.calendar_id, event.id, before, root_of(updated))
            return updated

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        with self.lock:
            self.calendar(calendar_id, write=True)
            stored, current = self._stored_or_materialized(calendar_id, event_id)
            root = root_of(current)
            if current.series_id is not None:
                # One occurrence goes: the series gets an EXDATE for its slot.
                master = self.events.get(current.series_id)
                if master is not None and current.original_start is not None:
                    slot = current.original_start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
                    self.events[master.id] = attrs.evolve(master, recurrence=(*master.recurrence, f"EXDATE:{slot}"))
                    self._record_event(calendar_id, master.id, master, root)
                if stored is not None:
                    del self.events[event_id]
                    self._record_event(calendar_id, event_id, stored, root)
                return
            for member in self._members(calendar_id, root):
                del self.events[member.id]
                self._record_event(calendar_id, member.id, member, root)

    def respond(self, calendar_id: str, event_id: str, response: ResponseStatus, comment: str = "") -> Event:
        with self.lock:
            self.calendar(calendar_id)
            _, current = self._stored_or_materialized(calendar_id, event_id)
            attendees = list(current.attendees)
            mine = [i for i, a in enumerate(attendees) if a.address.email == self.owner.email]
            if mine:
                attendees[mine[0]] = attrs.evolve(attendees[mine[0]], response=response)
            else:
                attendees.append(Attendee(self.owner, response, is_self=True))
            # Answering an invitation needs no write access to the calendar that shows it.
            return self.update_event(attrs.evolve(current, attendees=tuple(attendees)), check_write=False)

    def free_busy(self, addresses: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[FreeBusy]:
        with self.lock:
            result = []
            for address in addresses:
                owned = [c.id for c in self.calendars.values() if c.owner and c.owner.email == address.lower()]
                if not owned:
                    result.append(FreeBusy(address, error="notFound"))
                    continue
                busy = [
                    BusyInterval(e.start, e.end, e.show_as)
                    for calendar_id in owned
                    for e in self.event_window(calendar_id, start, end)
                    if e.show_as is not ShowAs.FREE and e.status is not EventStatus.CANCELLED
                ]
                result.append(FreeBusy(address, tuple(sorted(busy, key=lambda b: (b.start, b.end)))))
            return result

    def occurrence_id(self, master_id: str, start: dt.datetime) -> str:
        """The id of a series' occurrence at ``start`` (for tests that address one occurrence)."""
        with self.lock:
            return occurrence_id(self.events[master_id], start)


def parse_bytes(raw: bytes) -> EmailMessage:
    """The server reads only headers of what it stores (threading, recipients, Message-ID)."""
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]

"""One user's labelled mailbox as an emulator with Gmail's API shapes keeps it: labels, messages in
threads, the history log, drafts, filters and the vacation responder.

It serves every emulator whose mail API follows Gmail's JSON (Gmail, Zoom Mail). Each subclasses
:class:`LabelledMailbox` with its system labels, id formats, error texts and its own label writes
(Gmail nests labels by ``a/b`` names, Zoom Mail by ``parentId``). Handlers call these methods under
the emulator's lock; tests may call them too (to deliver mail, or to forget history). Errors are
:class:`host.sandbox.api_error.ApiError`, or the subclass's own.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
import time
from collections.abc import Iterable, Iterator
from email.utils import format_datetime, make_msgid
from typing import ClassVar

import attrs

from host.sandbox.api_error import ApiError, bad_request
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.gmail_query import Candidate, parse
from host.sandbox.mime_payload import Facts, facts, snippet

#: How many history records a mailbox keeps; older start ids get 404 (Gmail keeps about a week).
HISTORY_LIMIT = 50_000


@attrs.define(eq=False)
class StoredMessage:
    id: str
    thread_id: str
    internal_date: int  # milliseconds since the epoch, as Gmail counts
    labels: set[str]
    history_id: int
    raw_bytes: bytes | None = attrs.field(default=None, repr=False)
    source: tuple[GeneratedMailbox, int] | None = attrs.field(default=None, repr=False)
    _snippet: str | None = None
    _facts: Facts | None = None

    def raw(self) -> bytes:
        if self.raw_bytes is not None:
            return self.raw_bytes
        assert self.source is not None
        generated, index = self.source
        return generated.raw(index)

    def facts(self) -> Facts:
        if self._facts is not None:
            return self._facts
        found = facts(self.raw())
        if self.source is None:  # seeded messages are many: re-read them rather than hold them twice
            self._facts = found
        return found

    @property
    def snippet(self) -> str:
        if self._snippet is None:
            # A seeded message's text is known from its generation: no parse of its bytes for it.
            text = self.source[0].plain_text(self.source[1]) if self.source is not None else None
            self._snippet = snippet(text) if text is not None else self.facts().snippet
        return self._snippet

    @property
    def key(self) -> tuple[int, str]:
        return (self.internal_date, self.id)

    def ref(self) -> dict:
        return {"id": self.id, "threadId": self.thread_id}

    def ref_with_labels(self) -> dict:
        return {"id": self.id, "threadId": self.thread_id, "labelIds": sorted(self.labels)}


def _normalised_subject(subject: str) -> str:
    return re.sub(r"^\s*((re|fwd?|aw|wg)\s*:\s*)+", "", subject, flags=re.IGNORECASE).strip().lower()


class LabelledMailbox:
    """One user's mailbox; subclasses give the class attributes and the label writes."""

    #: System labels: id -> (labelListVisibility, messageListVisibility). Their name is their id.
    SYSTEM_LABELS: ClassVar[dict[str, tuple[str | None, str | None]]]
    #: Labels that only the server sets: a client cannot add or remove them with modify.
    SERVER_ONLY: frozenset[str]
    #: The first message id's number, the domain of the Message-IDs the server adds.
    FIRST_ID: int
    MESSAGE_ID_DOMAIN: str
    #: The texts of the API's 404 answers: for a missing item, and for a history id no longer kept.
    NOT_FOUND: str
    HISTORY_GONE: str
    #: What a message sent without recipients gets.
    NO_RECIPIENT: str

    def __init__(self, email: str, name: str) -> None:
        self.email = email
        self.name = name
        self.labels: dict[str, dict] = {}
        for label_id, (list_visibility, message_visibility) in self.SYSTEM_LABELS.items():
            label = {"id": label_id, "name": label_id, "type": "system"}
            if list_visibility:
                label.update(labelListVisibility=list_visibility, messageListVisibility=message_visibility)
            self.labels[label_id] = label
        self.messages: dict[str, StoredMessage] = {}
        self.order: list[tuple[int, str]] = []  # (internal_date, id), oldest first
        self.threads: dict[str, list[str]] = {}
        self.thread_of_message_id: dict[str, str] = {}  # Message-ID header -> thread id
        self.history: list[dict] = []
        self.history_id = 1000
        self.history_floor = self.history_id
        self.drafts: dict[str, str] = {}  # draft id -> message id
        self.filters: dict[str, dict] = {}
        self.vacation: dict = {"enableAutoReply": False, "responseSubject": "", "responseBodyPlainText": ""}
        self._ids = itertools.count(self.FIRST_ID)
        self._label_ids = itertools.count(1)
        self._other_ids = itertools.count(1)

    # -- seeding ---------------------------------------------------------------------------------

    def seed(self, generated: GeneratedMailbox, label_names: dict[str, str]) -> None:
        """Take in a generated mailbox; ``label_names`` maps its custom label names to label ids."""
        for index in range(len(generated)):
            meta = generated.meta(index)
            labels = {label_names.get(name, name) for name in meta.labels}
            if meta.unread:
                labels.add("UNREAD")
            message = StoredMessage(
                id=meta.id,
                thread_id=meta.thread_id,
                internal_date=int(meta.date.timestamp() * 1000),
                labels=labels,
                history_id=self.history_id,
                source=(generated, index),
            )
            self.messages[message.id] = message
            self.order.append(message.key)
            self.threads.setdefault(message.thread_id, []).append(message.id)
            self.thread_of_message_id[meta.message_id] = message.thread_id
        self.order.sort()

    # -- history -----------------------------------------------------------------------------------

    def _record(self, kind: str, message: StoredMessage, label_ids: Iterable[str] = ()) -> None:
        self.history_id += 1
        change: dict = {"message": message.ref_with_labels()}
        if kind in ("labelsAdded", "labelsRemoved"):
            change["labelIds"] = sorted(label_ids)
        self.history.append(self._history_record(kind, message, change))
        message.history_id = self.history_id
        if len(self.history) > HISTORY_LIMIT:
            dropped = self.history.pop(0)
            self.history_floor = int(dropped["id"])

    def _history_record(self, kind: str, message: StoredMessage, change: dict) -> dict:
        return {"id": str(self.history_id), kind: [change]}

    def forget_history(self) -> None:
        """Drop every history record, as the server does after a while: every history id handed out so
        far now gets 404, the next one (from the profile, after a full sync) works."""
        self.history.clear()
        self.history_id += 1
        self.history_floor = self.history_id

    def history_since(self, start: int) -> list[dict]:
        if start < self.history_floor:
            raise ApiError(404, self.HISTORY_GONE, reason="notFound")
        position = bisect.bisect_right([int(record["id"]) for record in self.history], start)
        return self.history[position:]

    # -- labels ------------------------------------------------------------------------------------

    def label(self, label_id: str) -> dict:
        if label_id not in self.labels:
            raise self.not_found()
        return self.labels[label_id]

    def label_with_counts(self, label_id: str) -> dict:
        label = dict(self.label(label_id))
        members = [m for m in self.messages.values() if label_id in m.labels]
        threads = {m.thread_id for m in members}
        unread_threads = {m.thread_id for m in members if "UNREAD" in m.labels}
        label.update(
            messagesTotal=len(members),
            messagesUnread=sum("UNREAD" in m.labels for m in members),
            threadsTotal=len(threads),
            threadsUnread=len(unread_threads),
        )
        return label

    def _drop_label(self, label_id: str) -> None:
        """A deleted label leaves its messages (each change recorded) and the filters' actions."""
        for message in self.messages.values():
            if label_id in message.labels:
                message.labels.discard(label_id)
                self._record("labelsRemoved", message, [label_id])
        for mail_filter in self.filters.values():
            action = mail_filter.get("action", {})
            for key in ("addLabelIds", "removeLabelIds"):
                if label_id in action.get(key, []):
                    action[key] = [other for other in action[key] if other != label_id]
        del self.labels[label_id]

    def label_names(self) -> dict[str, str]:
        """Label id -> the name search's ``label:`` takes."""
        return {label_id: label["name"] for label_id, label in self.labels.items()}

    def not_found(self) -> ApiError:
        return ApiError(404, self.NOT_FOUND, reason="notFound")

    # -- messages ------------------------------------------------------------------------------------

    def message(self, message_id: str) -> StoredMessage:
        message = self.messages.get(message_id)
        if message is None:
            raise self.not_found()
        return message

    def newest_first(self, after: tuple[int, str] | None = None) -> Iterator[StoredMessage]:
        end = bisect.bisect_left(self.order, after) if after is not None else len(self.order)
        for position in range(end - 1, -1, -1):
            yield self.messages[self.order[position][1]]

    def _check_labels(self, label_ids: Iterable[str], *, adding: bool) -> set[str]:
        found = set()
        for label_id in label_ids:
            if label_id not in self.labels:
                raise bad_request(f"Invalid label: {label_id}")
            if label_id in self.SERVER_ONLY and (adding or label_id == "DRAFT"):
                raise bad_request(f"Invalid label: {label_id}")
            found.add(label_id)
        return found

    def modify(self, message: StoredMessage, add: Iterable[str], remove: Iterable[str]) -> None:
        add_ids = self._check_labels(add, adding=True)
        remove_ids = self._check_labels(remove, adding=False)
        if add_ids & remove_ids:
            raise bad_request("A label cannot be both added and removed.")
        self._apply(message, add_ids, remove_ids)

    def _apply(self, message: StoredMessage, add: set[str], remove: set[str]) -> None:
        added = add - message.labels
        removed = remove & message.labels
        message.labels |= added
        message.labels -= removed
        if added:
            self._record("labelsAdded", message, added)
        if removed:
            self._record("labelsRemoved", message, removed)

    def trash(self, message: StoredMessage) -> None:
        # A trashed message leaves the inbox; untrash does not put it back.
        self._apply(message, {"TRASH"}, {"SPAM", "INBOX"})

    def untrash(self, message: StoredMessage) -> None:
        self._apply(message, set(), {"TRASH"})

    def delete(self, message: StoredMessage) -> None:
        self._record("messagesDeleted", message)
        del self.messages[message.id]
        self.order.remove(message.key)
        thread = self.threads[message.thread_id]
        thread.remove(message.id)
        if not thread:
            del self.threads[message.thread_id]
        for draft_id, message_id in list(self.drafts.items()):
            if message_id == message.id:
                del self.drafts[draft_id]

    def add(self, raw: bytes, labels: set[str], *, thread_id: str | None = None) -> StoredMessage:
        """Store new mail (sent, a draft, or delivered), threaded by References and subject as Gmail threads it."""
        raw = self._complete(raw)
        found = facts(raw)
        thread = self._thread_for(found, thread_id)
        message_id = self._message_id(next(self._ids))
        now = int(time.time() * 1000)
        if self.order and now <= self.order[-1][0]:
            now = self.order[-1][0] + 1  # newest-first order must put new mail first
        message = StoredMessage(message_id, thread or message_id, now, set(labels), self.history_id, raw)
        self.messages[message_id] = message
        bisect.insort(self.order, message.key)
        self.threads.setdefault(message.thread_id, []).append(message_id)
        if found.message_id:
            self.thread_of_message_id[found.message_id] = message.thread_id
        self._record("messagesAdded", message)
        return message

    def _message_id(self, number: int) -> str:
        return f"{number:016x}"

    def _complete(self, raw: bytes) -> bytes:
        """The server adds Message-ID, Date and From when a client's message lacks them."""
        head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
        extra = b""
        if not re.search(rb"(^|\n)message-id:", head):
            extra += f"Message-ID: {make_msgid(domain=self.MESSAGE_ID_DOMAIN)}\r\n".encode()
        if not re.search(rb"(^|\n)date:", head):
            extra += f"Date: {format_datetime(dt.datetime.now(dt.UTC))}\r\n".encode()
        if not re.search(rb"(^|\n)from:", head):
            extra += f"From: {self.email}\r\n".encode()
        return extra + raw

    def _thread_for(self, found: Facts, thread_id: str | None) -> str | None:
        if thread_id is not None:
            if thread_id not in self.threads:
                raise self.not_found()
            first = self.messages[self.threads[thread_id][0]]
            # A message stays in the asked-for thread only when the subjects agree.
            if _normalised_subject(first.facts().subject) == _normalised_subject(found.subject):
                return thread_id
            return None
        for reference in reversed(found.references):
            if reference in self.thread_of_message_id and self.thread_of_message_id[reference] in self.threads:
                return self.thread_of_message_id[reference]
        return None

    def send(self, raw: bytes, thread_id: str | None) -> StoredMessage:
        found = facts(raw)
        if not (found.to or found.cc or found.bcc):
            raise bad_request(self.NO_RECIPIENT)
        labels = {"SENT"}
        if self.email.lower() in " ".join((found.to, found.cc, found.bcc)).lower():
            labels |= {"INBOX", "UNREAD"}
        return self.add(raw, labels, thread_id=thread_id)

    def deliver(self, raw: bytes, labels: Iterable[str] = ("INBOX", "UNREAD")) -> StoredMessage:
        """New mail arriving from outside (for tests and the demo), through the user's filters."""
        found = facts(raw)
        filed = set(labels)
        for mail_filter in self.filters.values():
            if self._matches(mail_filter["criteria"], raw, found, filed):
                action = mail_filter["action"]
                filed = (filed | set(action.get("addLabelIds", []))) - set(action.get("removeLabelIds", []))
        return self.add(raw, filed)

    def _matches(self, criteria: dict, raw: bytes, found: Facts, labels: set[str]) -> bool:
        def contains(text: str, wanted: str | None) -> bool:
            return wanted is None or any(w.strip().lower() in text.lower() for w in wanted.split(" OR "))

        recipients = " ".join((found.to, found.cc, found.bcc))
        candidate = Candidate(frozenset(labels), time.time(), lambda: found)
        names = self.label_names()
        size, comparison = criteria.get("size"), criteria.get("sizeComparison", "larger")
        return (
            contains(found.sender, criteria.get("from"))
            and contains(recipients, criteria.get("to"))
            and contains(found.subject, criteria.get("subject"))
            and (not criteria.get("hasAttachment") or found.has_attachment)
            and (not criteria.get("query") or parse(criteria["query"], names)(candidate))
            and (not criteria.get("negatedQuery") or not parse(criteria["negatedQuery"], names)(candidate))
            and (size is None or (len(raw) > int(size) if comparison == "larger" else len(raw) < int(size)))
        )

    # -- drafts ------------------------------------------------------------------------------------

    def draft(self, draft_id: str) -> StoredMessage:
        if draft_id not in self.drafts:
            raise self.not_found()
        return self.messages[self.drafts[draft_id]]

    def create_draft(self, raw: bytes, thread_id: str | None) -> str:
        message = self.add(raw, {"DRAFT"}, thread_id=thread_id)
        draft_id = self._draft_id(next(self._other_ids))
        self.drafts[draft_id] = message.id
        return draft_id

    def _draft_id(self, number: int) -> str:
        return f"r{number:019d}"

    def update_draft(self, draft_id: str, raw: bytes, thread_id: str | None) -> None:
        old = self.draft(draft_id)
        message = self.add(raw, {"DRAFT"}, thread_id=thread_id or old.thread_id)
        self.delete(old)
        self.drafts[draft_id] = message.id

    def send_draft(self, draft_id: str) -> StoredMessage:
        message = self.draft(draft_id)
        found = message.facts()
        if not (found.to or found.cc or found.bcc):
            raise bad_request("Recipient address required")
        del self.drafts[draft_id]
        add = {"SENT"}
        if self.email.lower() in " ".join((found.to, found.cc, found.bcc)).lower():
            add |= {"INBOX", "UNREAD"}
        self._apply(message, add, {"DRAFT"})
        return message

    # -- filters -----------------------------------------------------------------------------------

    def create_filter(self, body: dict) -> dict:
        criteria = {k: v for k, v in dict(body.get("criteria") or {}).items() if v not in (None, "", False)}
        action = {k: v for k, v in dict(body.get("action") or {}).items() if v not in (None, "", [])}
        if not criteria:
            raise bad_request("Filter doesn't have any criteria")
        if not action:
            raise bad_request("Filter doesn't have any actions")
        for key in ("addLabelIds", "removeLabelIds"):
            for label_id in action.get(key, []):
                if label_id not in self.labels:
                    raise bad_request(f"Invalid label {label_id} in AddLabelIds")
        for existing in self.filters.values():
            if existing["criteria"] == criteria and existing["action"] == action:
                raise self._filter_exists()
        filter_id = self._filter_id(next(self._other_ids))
        self.filters[filter_id] = {"id": filter_id, "criteria": criteria, "action": action}
        return self.filters[filter_id]

    def _filter_exists(self) -> Exception:
        return bad_request("Filter already exists", reason="failedPrecondition")

    def _filter_id(self, number: int) -> str:
        return f"ANe1Bmj{number:010d}"

    def profile(self) -> dict:
        return {
            "emailAddress": self.email,
            "messagesTotal": len(self.messages),
            "threadsTotal": len(self.threads),
            "historyId": str(self.history_id),
        }


LABEL_FIELDS = ("messageListVisibility", "labelListVisibility", "color")


def label_fields(body: dict) -> dict:
    """The label fields a client may write (but the name), checked."""
    fields = {key: body[key] for key in LABEL_FIELDS if key in body}
    color = fields.get("color")
    valid = isinstance(color, dict) and all(
        isinstance(color.get(k), str) and re.fullmatch(r"#[0-9a-fA-F]{6}", color[k])
        for k in ("textColor", "backgroundColor")
    )
    if color is not None and not valid:
        raise bad_request("Invalid label color: give textColor and backgroundColor as #rrggbb.")
    if fields.get("messageListVisibility", "show") not in ("show", "hide"):
        raise bad_request("Invalid messageListVisibility")
    if fields.get("labelListVisibility", "labelShow") not in ("labelShow", "labelShowIfUnread", "labelHide"):
        raise bad_request("Invalid labelListVisibility")
    return fields

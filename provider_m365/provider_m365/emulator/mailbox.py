"""The emulated Exchange mailbox: folders, messages, categories, rules, mailbox settings, and the change
log that mail folder delta queries read.

Seeded from the toolkit's :class:`~host.sandbox.datagen.Mailbox`: Gmail-style labels become one folder
per message (``INBOX`` -> inbox, ``SENT`` -> sentitems, ``TRASH`` -> deleteditems, ``SPAM`` ->
junkemail, no label -> archive, two custom labels -> custom folders) plus categories (the other custom
labels), ``STARRED`` becomes a follow-up flag and ``IMPORTANT`` high importance.

Every message has an immutable id (its ``key``) and a REST id that changes whenever it moves, as in
Exchange; a request sees the kind its ``Prefer: IdType`` asks for and may name a message by either.
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import hashlib
import itertools
import threading
from collections.abc import Iterable
from typing import Any

import attrs

from host.mime import build_message, parse_message
from host.model.mail import Address, Message, OutgoingAttachment, OutgoingMessage
from host.sandbox.datagen import Mailbox
from provider_m365.emulator.odata import GraphError, bad_request, not_found

WELL_KNOWN = {
    "inbox": "Inbox",
    "drafts": "Drafts",
    "sentitems": "Sent Items",
    "deleteditems": "Deleted Items",
    "junkemail": "Junk Email",
    "archive": "Archive",
    "outbox": "Outbox",
    "syncissues": "Sync Issues",
}
HIDDEN = frozenset({"syncissues"})
ROOT = "msgfolderroot"
FOLDER_LABELS = {"Receipts": ("inbox", "Receipts"), "Projekte/Ärger": (None, "Projekte", "Ärger")}
CATEGORY_LABELS = {"Work": "preset7", "Travel": "preset4", "Family": "preset0"}
LABEL_FOLDERS = {"TRASH": "deleteditems", "SPAM": "junkemail", "SENT": "sentitems", "INBOX": "inbox"}


def _digest(*parts: object, size: int = 12) -> str:
    return hashlib.blake2s(":".join(map(str, parts)).encode(), digest_size=size).hexdigest()


@attrs.define
class StoredFolder:
    id: str
    name: str
    parent_id: str
    well_known: str | None = None
    hidden: bool = False


@attrs.define
class StoredAttachment:
    """An attachment Graph knows beside the MIME parts: ``kind`` is file, item or reference."""

    id: str
    kind: str
    name: str
    content_type: str
    data: bytes = b""
    is_inline: bool = False
    content_id: str | None = None


@attrs.define(eq=False)
class StoredMessage:
    key: str  # the immutable id
    rest_id: str
    folder_id: str
    conversation_id: str
    internet_message_id: str
    received: dt.datetime
    created: dt.datetime
    modified: dt.datetime
    seq: int
    is_read: bool = False
    flag_status: str = "notFlagged"
    categories: list[str] = attrs.Factory(list)
    importance: str = "normal"
    is_draft: bool = False
    index: int | None = None  # a seeded message: its bytes come from the generator
    raw: bytes | None = None  # a message sent or saved as MIME
    composed: OutgoingMessage | None = None  # a message created from JSON: rendered to MIME on demand
    extra_attachments: list[StoredAttachment] = attrs.Factory(list)
    parsed: Message | None = None  # cache of the parsed MIME
    search_text: str | None = None


@attrs.frozen
class Tombstone:
    seq: int
    folder_id: str
    key: str
    rest_id: str


class MailboxState:
    """One user's mailbox. Thread-safe: the server thread changes it while tests read it."""

    def __init__(self, owner: Address, messages: int, seed: int) -> None:
        self.owner = owner
        self.lock = threading.RLock()
        self.generator = Mailbox(messages, seed=seed, owner=owner)
        self.seq = 0
        self.generation = 1  # bumped when the server forgets every delta state
        self.folders: dict[str, StoredFolder] = {}
        self.messages: dict[str, StoredMessage] = {}
        self.rest_ids: dict[str, str] = {}
        self.by_folder: dict[str, set[str]] = {}  # folder id -> keys of the messages in it
        self.tombstones: list[Tombstone] = []
        self.categories: dict[str, dict[str, str]] = {}
        self.rules: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []  # the subject of every message sent, once per send
        self.settings: dict[str, Any] = {
            "automaticRepliesSetting": {
                "status": "disabled",
                "externalAudience": "all",
                "internalReplyMessage": "",
                "externalReplyMessage": "",
                "scheduledStartDateTime": {"dateTime": "2025-01-01T00:00:00.0000000", "timeZone": "UTC"},
                "scheduledEndDateTime": {"dateTime": "2025-01-02T00:00:00.0000000", "timeZone": "UTC"},
            },
            "timeZone": "W. Europe Standard Time",
            "language": {"locale": "en-US", "displayName": "English (United States)"},
        }
        self._ids = itertools.count(1)
        self._sorted: list[StoredMessage] | None = None
        self._seed_folders()
        self._seed_messages()
        self._seed_rules()

    # -- ids ---------------------------------------------------------------------------------------

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def new_key(self, prefix: str = "AAMkAGm") -> str:
        return f"{prefix}{_digest(self.owner.email, 'new', next(self._ids))}"

    @staticmethod
    def rest_id_for(key: str, folder_id: str) -> str:
        # A REST id depends on the folder, so it changes with every move, as Exchange's do.
        return "AAMkAGr" + _digest(key, folder_id, size=14)

    # -- seeding -----------------------------------------------------------------------------------

    def _add_folder(self, name: str, parent_id: str, well_known: str | None = None) -> StoredFolder:
        folder_id = "AQMkAGf" + _digest(self.owner.email, parent_id, name)
        folder = StoredFolder(folder_id, name, parent_id, well_known, well_known in HIDDEN)
        self.folders[folder_id] = folder
        return folder

    def _seed_folders(self) -> None:
        self.folders[ROOT] = StoredFolder(ROOT, "Top of Information Store", "", ROOT)
        for well_known, name in WELL_KNOWN.items():
            self._add_folder(name, ROOT, well_known)
        self.label_folders: dict[str, str] = {}
        for label, (parent, *names) in FOLDER_LABELS.items():
            parent_id = self.well_known(parent).id if parent else ROOT
            for name in names:
                parent_id = self._add_folder(name, parent_id).id
            self.label_folders[label] = parent_id
        for name, color in CATEGORY_LABELS.items():
            category_id = "cat-" + _digest(name, size=6)
            self.categories[category_id] = {"id": category_id, "displayName": name, "color": color}

    def _seed_messages(self) -> None:
        # Only metadata is kept; each message's bytes are generated again when asked for.
        for index in range(len(self.generator)):
            meta = self.generator.meta(index)
            labels = set(meta.labels)
            folder = next((self.well_known(f) for label, f in LABEL_FOLDERS.items() if label in labels), None)
            custom = next((self.label_folders[label] for label in FOLDER_LABELS if label in labels), None)
            if folder is None or (custom and folder.well_known == "inbox"):
                folder_id = custom or self.well_known("archive").id
            else:
                folder_id = folder.id
            key = "AAMkAGi" + meta.id
            message = StoredMessage(
                key=key,
                rest_id=self.rest_id_for(key, folder_id),
                folder_id=folder_id,
                conversation_id="AAQkAGc" + meta.thread_id,
                internet_message_id=meta.message_id,
                received=meta.date,
                created=meta.date,
                modified=meta.date,
                seq=0,
                is_read=not meta.unread,
                flag_status="flagged" if meta.starred else "notFlagged",
                categories=[label for label in meta.labels if label in CATEGORY_LABELS],
                importance="high" if "IMPORTANT" in labels else "normal",
                index=index,
            )
            if "attachment" in meta.features and index % 3 == 0:
                message.extra_attachments.append(
                    StoredAttachment(
                        "AAMkAGa" + _digest(key, "reference"),
                        "reference",
                        "Shared plan.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    )
                )
            self._store(message)

    def _seed_rules(self) -> None:
        archive = self.well_known("archive").id
        self.rules["AQAAAJ5dZp8="] = {
            "id": "AQAAAJ5dZp8=",
            "displayName": "Newsletters to Archive",
            "sequence": 1,
            "isEnabled": True,
            "hasError": False,
            "isReadOnly": False,
            "conditions": {"senderContains": ["news@letters.example.org"]},
            "actions": {"moveToFolder": archive, "markAsRead": True, "stopProcessingRules": True},
        }

    def _store(self, message: StoredMessage) -> None:
        self.messages[message.key] = message
        self.rest_ids[message.rest_id] = message.key
        self.by_folder.setdefault(message.folder_id, set()).add(message.key)
        self._sorted = None

    # -- folders -----------------------------------------------------------------------------------

    def well_known(self, name: str) -> StoredFolder:
        return next(f for f in self.folders.values() if f.well_known == name)

    def folder(self, folder_id: str) -> StoredFolder:
        with self.lock:
            found = self.folders.get(folder_id)
            if found is None:
                found = next((f for f in self.folders.values() if f.well_known == folder_id.lower()), None)
            if found is None:
                raise not_found("The specified folder could not be found in the store.")
            return found

    def children(self, parent_id: str, include_hidden: bool) -> list[StoredFolder]:
        with self.lock:
            return [f for f in self.folders.values() if f.parent_id == parent_id and (include_hidden or not f.hidden)]

    def folder_counts(self, folder_id: str) -> tuple[int, int, int]:
        """(total, unread, child folders)."""
        with self.lock:
            inside = [self.messages[key] for key in self.by_folder.get(folder_id, ())]
            children = sum(1 for f in self.folders.values() if f.parent_id == folder_id)
            return len(inside), sum(1 for m in inside if not m.is_read), children

    def create_folder(self, parent_id: str, name: str, hidden: bool = False) -> StoredFolder:
        with self.lock:
            parent = self.folder(parent_id)
            if not name.strip():
                raise bad_request("displayName must not be empty.")
            if any(f.parent_id == parent.id and f.name.lower() == name.lower() for f in self.folders.values()):
                raise bad_request("A folder with the specified name already exists.", "ErrorFolderExists")
            folder = self._add_folder(name, parent.id)
            folder.hidden = hidden
            return folder

    def rename_folder(self, folder_id: str, name: str) -> StoredFolder:
        with self.lock:
            folder = self.folder(folder_id)
            if folder.well_known:
                raise GraphAccessDenied("Well-known folders cannot be renamed.")
            folder.name = name
            return folder

    def delete_folder(self, folder_id: str) -> None:
        with self.lock:
            folder = self.folder(folder_id)
            if folder.well_known:
                raise GraphAccessDenied("Well-known folders cannot be deleted.")
            doomed = {folder.id}
            grew = True
            while grew:
                more = {f.id for f in self.folders.values() if f.parent_id in doomed} - doomed
                grew = bool(more)
                doomed |= more
            for message in [m for m in self.messages.values() if m.folder_id in doomed]:
                self.delete_message(message.key)
            for doomed_id in doomed:
                del self.folders[doomed_id]

    # -- messages ----------------------------------------------------------------------------------

    def message(self, message_id: str) -> StoredMessage:
        with self.lock:
            key = message_id if message_id in self.messages else self.rest_ids.get(message_id)
            if key is None or key not in self.messages:
                raise not_found()
            return self.messages[key]

    def newest_first(self) -> list[StoredMessage]:
        with self.lock:
            if self._sorted is None:
                self._sorted = sorted(self.messages.values(), key=lambda m: (m.received, m.key), reverse=True)
            return self._sorted

    def raw(self, message: StoredMessage) -> bytes:
        if message.index is not None:
            return self.generator.raw(message.index)
        if message.raw is not None:
            return message.raw
        assert message.composed is not None
        built = build_message(message.composed, sender=self.owner, message_id=message.internet_message_id)
        return built.as_bytes()

    def parsed(self, message: StoredMessage) -> Message:
        if message.parsed is None:
            message.parsed = parse_message(
                self.raw(message), id=message.key, thread_id=message.conversation_id, date_fallback=message.received
            )
        return message.parsed

    def search_text(self, message: StoredMessage) -> str:
        """The plain-text parts in lower case, for ``$search`` (the stdlib's quick compat32 parse: the
        host's careful parser is too slow to run over a whole mailbox per query)."""
        if message.search_text is None:
            parts = email.message_from_bytes(self.raw(message)).walk()
            texts = []
            for part in parts:
                if part.get_content_type() == "text/plain":
                    payload = part.get_payload(decode=True)
                    if isinstance(payload, bytes):
                        texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
            message.search_text = " ".join(texts).lower()
        return message.search_text

    def touch(self, message: StoredMessage) -> None:
        message.seq = self.next_seq()
        message.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def update(self, message: StoredMessage, changes: dict[str, Any]) -> None:
        with self.lock:
            if "isRead" in changes:
                message.is_read = bool(changes["isRead"])
            if "flag" in changes:
                status = (changes["flag"] or {}).get("flagStatus", "notFlagged")
                if status not in ("notFlagged", "flagged", "complete"):
                    raise bad_request(f"Unknown flagStatus {status!r}.")
                message.flag_status = status
            if "categories" in changes:
                message.categories = [str(c) for c in changes["categories"] or []]
            if "importance" in changes:
                message.importance = str(changes["importance"])
            if message.is_draft and message.composed is not None:
                message.composed = compose(changes, message.composed)
                message.parsed = None
            self.touch(message)

    def remove_attachment(self, message: StoredMessage, attachment_id: str, part_id: str | None) -> None:
        """Take an attachment off a draft: one Graph added, or a file part of a draft made from JSON."""
        with self.lock:
            if not message.is_draft:
                raise GraphAccessDenied("Attachments can only be removed from drafts.")
            extra = [a for a in message.extra_attachments if a.id != attachment_id]
            if len(extra) < len(message.extra_attachments):
                message.extra_attachments = extra
            else:
                part = next((a for a in self.parsed(message).attachments if a.id == part_id), None)
                if part is None or message.composed is None:
                    raise not_found("The attachment was not found.")
                files = list(message.composed.attachments)
                files.remove(next(f for f in files if f.filename == part.filename))
                message.composed = attrs.evolve(message.composed, attachments=tuple(files))
            message.parsed = None
            self.touch(message)

    def move(self, message: StoredMessage, folder_id: str) -> StoredMessage:
        with self.lock:
            folder = self.folder(folder_id)
            if folder.id == message.folder_id:
                return message
            self.tombstones.append(Tombstone(self.next_seq(), message.folder_id, message.key, message.rest_id))
            del self.rest_ids[message.rest_id]
            self.by_folder[message.folder_id].discard(message.key)
            self.by_folder.setdefault(folder.id, set()).add(message.key)
            message.folder_id = folder.id
            message.rest_id = self.rest_id_for(message.key, folder.id)
            self.rest_ids[message.rest_id] = message.key
            self.touch(message)
            return message

    def delete_message(self, key: str) -> None:
        with self.lock:
            message = self.messages.pop(key)
            del self.rest_ids[message.rest_id]
            self.by_folder[message.folder_id].discard(key)
            self.tombstones.append(Tombstone(self.next_seq(), message.folder_id, message.key, message.rest_id))
            self._sorted = None

    def add_message(
        self,
        folder_id: str,
        *,
        raw: bytes | None = None,
        composed: OutgoingMessage | None = None,
        is_draft: bool = False,
        is_read: bool = True,
        conversation_id: str | None = None,
        internet_message_id: str | None = None,
    ) -> StoredMessage:
        with self.lock:
            folder = self.folder(folder_id)
            now = dt.datetime.now(dt.UTC).replace(microsecond=0)
            key = self.new_key()
            if internet_message_id is None:
                internet_message_id = f"<{key[-16:]}@{self.owner.email.partition('@')[2] or 'sandbox'}>"
            message = StoredMessage(
                key=key,
                rest_id=self.rest_id_for(key, folder.id),
                folder_id=folder.id,
                conversation_id=conversation_id or "AAQkAGc" + _digest(key, size=8),
                internet_message_id=internet_message_id,
                received=now,
                created=now,
                modified=now,
                seq=self.next_seq(),
                is_read=is_read,
                is_draft=is_draft,
                raw=raw,
                composed=composed,
            )
            if raw is not None:
                parsed = self.parsed(message)
                message.internet_message_id = parsed.message_id_header or internet_message_id
                thread = self.find_conversation(parsed.in_reply_to, parsed.references)
                if thread and conversation_id is None:
                    message.conversation_id = thread
            self._store(message)
            return message

    def find_conversation(self, in_reply_to: str | None, references: Iterable[str]) -> str | None:
        wanted = {_bracket(i) for i in (in_reply_to, *references) if i}
        if not wanted:
            return None
        return next((m.conversation_id for m in self.messages.values() if m.internet_message_id in wanted), None)

    def changes(self, folder_id: str, since: int) -> tuple[list[StoredMessage], list[Tombstone]]:
        with self.lock:
            here = self.by_folder.get(folder_id, set())
            present = [m for m in map(self.messages.__getitem__, here) if m.seq > since]
            gone: dict[str, Tombstone] = {}
            for stone in self.tombstones:
                if stone.seq > since and stone.folder_id == folder_id and stone.key not in here:
                    gone[stone.key] = stone
            return present, list(gone.values())

    def in_folder(self, folder_id: str) -> list[StoredMessage]:
        here = self.by_folder.get(folder_id, set())
        return [m for m in self.newest_first() if m.key in here]


class GraphAccessDenied(GraphError):
    """Refused: Graph's 403 ErrorAccessDenied."""

    def __init__(self, message: str) -> None:
        super().__init__(403, "ErrorAccessDenied", message)


def _bracket(value: str) -> str:
    value = value.strip()
    return value if value.startswith("<") else f"<{value}>"


def recipients(items: Any) -> tuple[Address, ...]:
    result = []
    for item in items or ():
        address = (item or {}).get("emailAddress") or {}
        if not address.get("address"):
            raise bad_request("A recipient has no address.", "ErrorInvalidRecipients")
        result.append(Address(str(address["address"]), str(address.get("name") or "")))
    return tuple(result)


def compose(data: dict[str, Any], base: OutgoingMessage | None = None) -> OutgoingMessage:
    """An OutgoingMessage from Graph message JSON (create or PATCH), over ``base``."""
    message = base or OutgoingMessage(to=(), subject="")
    changes: dict[str, Any] = {}
    if "subject" in data:
        changes["subject"] = str(data["subject"] or "")
    if "body" in data:
        body = data["body"] or {}
        content = str(body.get("content") or "")
        if str(body.get("contentType", "text")).lower() == "html":
            changes.update(body_html=content, body_text="")
        else:
            changes.update(body_text=content, body_html=None)
    for field, name in (("toRecipients", "to"), ("ccRecipients", "cc"), ("bccRecipients", "bcc")):
        if field in data:
            changes[name] = recipients(data[field])
    if "attachments" in data:
        changes["attachments"] = tuple(file_attachment(a) for a in data["attachments"] or ())
    return attrs.evolve(message, **changes)


def file_attachment(data: dict[str, Any]) -> OutgoingAttachment:
    if data.get("@odata.type", "#microsoft.graph.fileAttachment") != "#microsoft.graph.fileAttachment":
        raise bad_request("Only file attachments can be sent inline with a message.")
    try:
        content = base64.b64decode(data.get("contentBytes") or "", validate=True)
    except ValueError:
        raise bad_request("contentBytes is not base64.") from None
    return OutgoingAttachment(
        filename=str(data.get("name") or "attachment"),
        content_type=str(data.get("contentType") or "application/octet-stream"),
        data=content,
        content_id=data.get("contentId") if data.get("isInline") else None,
    )

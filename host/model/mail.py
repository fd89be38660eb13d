"""Mail: folders and labels, messages, threads, drafts, rules, auto-replies and signatures.

Gmail and Zoom Mail have labels (a message carries many); Microsoft Graph has folders (a message
lives in one) and categories (many). The model has one notion, :class:`Folder`, with ``exclusive``
telling the two apart, and a message carries the ids of every folder or label it is in.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs


class FolderKind(enum.Enum):
    """The role of a folder or label; the host finds the inbox and friends by role, not by name."""

    INBOX = "inbox"
    SENT = "sent"
    DRAFTS = "drafts"
    ARCHIVE = "archive"  # Gmail: All Mail without INBOX; Graph: the archive folder
    TRASH = "trash"
    SPAM = "spam"
    STARRED = "starred"
    IMPORTANT = "important"
    OUTBOX = "outbox"
    CATEGORY = "category"  # Gmail's CATEGORY_* tabs, Graph's master categories
    CUSTOM = "custom"


@attrs.frozen
class Folder:
    """A folder (exclusive: a message is in one) or a label (a message carries many)."""

    id: str
    name: str
    kind: FolderKind = FolderKind.CUSTOM
    exclusive: bool = False
    parent_id: str | None = None
    color: str | None = None  # "#rrggbb"
    hidden: bool = False
    total: int | None = None
    unread: int | None = None
    provider_data: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)


@attrs.frozen
class Address:
    """A mailbox: ``"Ana Müller" <ana@example.com>``."""

    email: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@attrs.frozen
class Attachment:
    """An attachment's metadata; the content is fetched on demand and cached in the store.

    ``content_id`` is set for inline parts referenced by ``cid:`` from the HTML body.
    ``kind`` is ``file`` for ordinary parts; Graph adds ``item`` (an attached message or event) and
    ``reference`` (a link to a cloud file, with ``url``).
    """

    id: str
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    content_id: str | None = None
    inline: bool = False
    kind: str = "file"
    url: str | None = None


@attrs.frozen
class MessageSummary:
    """What a message list shows: enough to draw a row without the body."""

    id: str
    thread_id: str
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    date: dt.datetime
    snippet: str = ""
    folder_ids: tuple[str, ...] = ()
    unread: bool = False
    flagged: bool = False
    has_attachments: bool = False
    size: int = 0


@attrs.frozen
class Message:
    """A whole message: headers, both bodies, attachment metadata.

    ``parse_note`` is set when the MIME was malformed: the message is still stored and shown,
    with the note saying what was wrong (never dropped). ``raw`` holds the RFC 5322 bytes when the
    provider gave them; they are kept in the encrypted store for "show original" and re-parsing.
    """

    id: str
    thread_id: str
    subject: str
    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    date: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    folder_ids: tuple[str, ...] = ()
    unread: bool = False
    flagged: bool = False
    snippet: str = ""
    body_text: str = ""
    body_html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    message_id_header: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    size: int = 0
    parse_note: str | None = None
    raw: bytes | None = attrs.field(default=None, repr=False, eq=False, hash=False)
    provider_data: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)

    @property
    def has_attachments(self) -> bool:
        return any(not a.inline for a in self.attachments)

    def summary(self) -> MessageSummary:
        return MessageSummary(
            id=self.id,
            thread_id=self.thread_id,
            subject=self.subject,
            sender=self.sender,
            to=self.to,
            date=self.date,
            snippet=self.snippet,
            folder_ids=self.folder_ids,
            unread=self.unread,
            flagged=self.flagged,
            has_attachments=self.has_attachments,
            size=self.size,
        )


@attrs.frozen
class Thread:
    """A conversation; its folders are the union of its messages' (Gmail's rule for labels)."""

    id: str
    subject: str
    message_ids: tuple[str, ...]
    last_date: dt.datetime
    folder_ids: tuple[str, ...] = ()
    unread_count: int = 0
    participants: tuple[Address, ...] = ()


@attrs.frozen
class OutgoingAttachment:
    filename: str
    content_type: str
    data: bytes = attrs.field(repr=False)
    content_id: str | None = None


@attrs.frozen
class OutgoingMessage:
    """A message to send or to keep as a draft.

    ``in_reply_to`` / ``references`` / ``thread_id`` make a reply land in its conversation.
    """

    to: tuple[Address, ...]
    subject: str
    body_text: str = ""
    body_html: str | None = None
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    sender: Address | None = None
    attachments: tuple[OutgoingAttachment, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_id: str | None = None
    # Set by the outbox and sent as the Message-ID header, so that after a crash mid-send the sync
    # engine can ask the server (``rfc822msgid:``) whether the message went out before sending again.
    message_id_header: str | None = None


@attrs.frozen
class Draft:
    """A draft on the server: its own id and the message id it shows up as in the drafts folder."""

    id: str
    message: OutgoingMessage
    message_id: str | None = None
    updated: dt.datetime | None = None


@attrs.frozen
class RuleConditions:
    """When a rule applies. Empty fields match anything; all set fields must match.

    Gmail filter criteria map to ``from_contains``/``to_contains``/``subject_contains``/``query``/
    ``negated_query``/``has_attachment``/``size_*``; Graph's messageRulePredicates to the address and
    ``*_contains`` lists, ``importance`` and ``has_attachment``.
    """

    from_contains: tuple[str, ...] = ()
    to_contains: tuple[str, ...] = ()
    subject_contains: tuple[str, ...] = ()
    body_contains: tuple[str, ...] = ()
    query: str | None = None
    negated_query: str | None = None
    has_attachment: bool | None = None
    size_larger_than: int | None = None
    size_smaller_than: int | None = None
    importance: str | None = None  # "low" | "normal" | "high"


@attrs.frozen
class RuleActions:
    """What a rule does to a matching message."""

    add_folder_ids: tuple[str, ...] = ()
    remove_folder_ids: tuple[str, ...] = ()
    move_to_folder_id: str | None = None
    mark_read: bool = False
    mark_flagged: bool = False
    archive: bool = False
    delete: bool = False
    forward_to: tuple[Address, ...] = ()
    stop_processing: bool = False


@attrs.frozen
class Rule:
    """A server-side filter (Gmail filter, Graph messageRule, Zoom Mail filter)."""

    id: str | None
    name: str
    conditions: RuleConditions
    actions: RuleActions
    exceptions: RuleConditions | None = None
    enabled: bool = True
    sequence: int = 0


class AutoReplyMode(enum.Enum):
    DISABLED = "disabled"
    ALWAYS = "alwaysEnabled"
    SCHEDULED = "scheduled"


class AutoReplyAudience(enum.Enum):
    """Who gets the external reply (Graph's externalAudience; Gmail's restrictTo* flags)."""

    NONE = "none"
    CONTACTS = "contactsOnly"
    DOMAIN = "domainOnly"
    ALL = "all"


@attrs.frozen
class AutoReply:
    """Out-of-office: Gmail's vacation settings, Graph's automaticRepliesSetting."""

    mode: AutoReplyMode = AutoReplyMode.DISABLED
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    subject: str = ""
    internal_message: str = ""
    external_message: str = ""
    audience: AutoReplyAudience = AutoReplyAudience.ALL
    html: bool = False


@attrs.frozen
class Signature:
    """A signature. Gmail reads it from sendAs; Graph has none, so the host keeps it locally."""

    id: str
    name: str
    html: str = ""
    text: str = ""
    default_for_new: bool = True
    default_for_replies: bool = True

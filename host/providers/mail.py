"""The mail provider protocol: what the sync engine, the CLI and the UI call on a mailbox."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from host.providers.connection import ProviderConnection, ProviderLimits

if TYPE_CHECKING:  # annotations only: plugins import this module at load, the model is not light
    from host.model.mail import AutoReply, Draft, Folder, Message, OutgoingMessage, Rule, Signature


class MailCapability(enum.Enum):
    """What a mail provider can do. A method whose capability is missing raises NotSupported."""

    LABELS = "labels"  # many labels per message (Gmail, Zoom Mail); else exclusive folders
    FOLDER_EDIT = "folder-edit"  # create / rename / delete folders or labels
    CATEGORIES = "categories"  # Graph's master categories as labels
    DRAFTS = "drafts"
    SERVER_SEARCH = "server-search"
    RULES = "rules"
    AUTO_REPLY = "auto-reply"
    SIGNATURES = "signatures"  # read from the server; without it the host keeps them locally
    ATTACHMENTS = "attachments"


@attrs.frozen
class MessagePage:
    """One page of a full listing, newest first."""

    messages: tuple[Message, ...]
    next_page_token: str | None


@attrs.frozen
class MessageUpdate:
    """A change of folders/labels or flags only: no need to fetch the message again."""

    id: str
    folder_ids: tuple[str, ...]
    unread: bool
    flagged: bool


@attrs.frozen
class ChangePage:
    """Changes since a cursor. ``cursor`` is where to continue; ``has_more`` asks for another call."""

    added: tuple[Message, ...] = ()
    updated: tuple[MessageUpdate, ...] = ()
    deleted: tuple[str, ...] = ()
    cursor: str = ""
    has_more: bool = False


@runtime_checkable
class MailProvider(Protocol):
    """One signed-in mailbox. Every method does I/O; none is called on the GUI thread.

    Errors: :class:`~host.errors.RateLimited` (429 or a quota error, with ``retry_after``),
    :class:`~host.errors.TransientError` (5xx, dropped connections), :class:`~host.errors.CursorExpired`
    from :meth:`changes`, :class:`~host.errors.NotSupported` for a missing capability, and
    :class:`~host.errors.ProviderError` for the rest. The sync engine retries the first two.
    """

    capabilities: frozenset[MailCapability]
    limits: ProviderLimits

    async def list_folders(self) -> list[Folder]:
        """Every folder and label, system ones included, with unread counts where the server has them."""

    async def current_cursor(self) -> str:
        """The position to ask :meth:`changes` from; taken *before* a full listing starts."""

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        """Every message of the mailbox, newest first, ``limits.page_size`` at a time.

        ``since`` bounds the listing to messages received on or after it (the backfill window).
        """

    async def get_message(self, message_id: str) -> Message:
        """One whole message, parsed."""

    async def changes(self, cursor: str) -> ChangePage:
        """What changed on the server since ``cursor``; raises CursorExpired when it is unknown."""

    async def modify(
        self,
        ids: Sequence[str],
        *,
        add_folder_ids: Sequence[str] = (),
        remove_folder_ids: Sequence[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        """Change labels and flags. Archive is ``remove_folder_ids=[inbox]`` on label providers."""

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        """Move messages; returns old id -> new id where the server gives moved messages new ids."""

    async def trash(self, ids: Sequence[str]) -> None:
        """Move to the trash (recoverable)."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Delete for good."""

    async def send(self, message: OutgoingMessage) -> str:
        """Send and return the sent message's id (empty when the server does not tell)."""

    async def list_drafts(self) -> list[Draft]: ...

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        """Create (``draft_id`` None) or replace a draft."""

    async def delete_draft(self, draft_id: str) -> None: ...

    async def send_draft(self, draft_id: str) -> str: ...

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes: ...

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        """Ids of messages matching ``query`` (the host's operator syntax) on the server."""

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder: ...

    async def rename_folder(self, folder_id: str, name: str) -> Folder: ...

    async def delete_folder(self, folder_id: str) -> None: ...

    async def list_rules(self) -> list[Rule]: ...

    async def save_rule(self, rule: Rule) -> Rule:
        """Create (``rule.id`` None) or change a rule; Gmail changes by delete + create."""

    async def delete_rule(self, rule_id: str) -> None: ...

    async def get_auto_reply(self) -> AutoReply: ...

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply: ...

    async def list_signatures(self) -> list[Signature]: ...

    async def aclose(self) -> None:
        """Release what the session holds (the HTTP client is closed by the host)."""


@runtime_checkable
class MailProviderFactory(Protocol):
    """What ``register_mail_providers`` registers: opens a :class:`MailProvider` per account.

    ``account_type`` names the :class:`~host.providers.AccountType` it serves; ``scopes`` are the
    OAuth scopes it needs (when the user declines one, the host runs without mail);
    ``capabilities`` are declared here too so the UI can hide what a provider lacks before sign-in.
    """

    account_type: str
    scopes: tuple[str, ...]
    capabilities: frozenset[MailCapability]

    def open(self, connection: ProviderConnection) -> MailProvider: ...

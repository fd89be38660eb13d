"""The Zoom Mail provider: ``/emails/mailboxes/me/...`` over the account's authorised client.

Zoom Mail mirrors Gmail (:class:`LabelledMail`: labels, history ids, raw RFC 2822 messages in base64url, Gmail's search
syntax) but has no batch endpoint: whole messages are fetched one request each (or one a thread,
where several of a thread are wanted), a few at a time, inside Zoom's per-account rate limits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from host.errors import NotSupported, ProviderError
from host.mime import build_message, outgoing_from_raw, to_base64url
from host.model import Address, Draft, Folder, Message, OutgoingMessage, Signature
from host.providers import ProviderConnection, ProviderLimits
from host.providers.google_shapes import messages as google_messages
from host.providers.google_shapes.mail_client import LabelledMail
from provider_zoommail import labels as zoom_labels
from provider_zoommail.account import MAIL_CAPABILITIES
from provider_zoommail.api import RateBucket, RateLabel, ZoomApi

ME = "emails/mailboxes/me"
LIGHT, MEDIUM, HEAVY = RateLabel.LIGHT, RateLabel.MEDIUM, RateLabel.HEAVY
#: Zoom's rate limit label of each operation.
WEIGHT = {
    "profile": LIGHT,
    "labels.list": MEDIUM,
    "labels.get": LIGHT,
    "labels.write": LIGHT,
    "messages.list": MEDIUM,
    "messages.get": LIGHT,
    "threads.get": LIGHT,
    "messages.modify": MEDIUM,
    "messages.batchModify": HEAVY,
    "messages.trash": LIGHT,
    "messages.batchDelete": MEDIUM,
    "messages.send": MEDIUM,
    "attachments.get": MEDIUM,
    "history.list": LIGHT,
    "drafts.list": MEDIUM,
    "drafts.get": LIGHT,
    "drafts.create": MEDIUM,
    "drafts.update": MEDIUM,
    "drafts.delete": LIGHT,
    "drafts.send": MEDIUM,
    "filters.list": MEDIUM,
    "filters.get": LIGHT,
    "filters.create": LIGHT,
    "filters.delete": LIGHT,
    "vacation.get": LIGHT,
    "vacation.update": LIGHT,
}

T = TypeVar("T")
R = TypeVar("R")


#: What ``in:`` takes; any other folder the host's ``in:`` names is a label.
PLACES = frozenset({"inbox", "sent", "drafts", "draft", "spam", "trash", "starred", "important", "anywhere"})


def zoom_query(query: str) -> str:
    return google_messages.search_query(query, PLACES)


class ZoomMail(LabelledMail):
    """One signed-in Zoom Mail mailbox (a :class:`~host.providers.MailProvider`)."""

    SERVICE = "Zoom Mail"
    IN_NAMES = PLACES

    capabilities = MAIL_CAPABILITIES
    # No batch endpoint: a page is one listing and a get per message or thread, four in flight.
    limits = ProviderLimits(max_concurrency=4, batch_size=1, page_size=50)

    def __init__(self, connection: ProviderConnection, bucket: RateBucket | None = None) -> None:
        super().__init__(connection)
        self.api = ZoomApi(connection, "Zoom Mail", bucket)

    async def _call(self, method: str, path: str, operation: str, **options: Any) -> Any:
        return await self.api.request(method, f"{ME}/{path}", WEIGHT[operation], **options)

    def _folder_ids(self, label_ids: Sequence[str]) -> tuple[str, ...]:
        return zoom_labels.folder_ids(label_ids)

    async def _each(self, items: Sequence[T], call: Callable[[T], Awaitable[R]]) -> list[R]:
        """``call`` on every item, ``limits.max_concurrency`` at a time, answers in order."""
        gate = asyncio.Semaphore(self.limits.max_concurrency)

        async def one(item: T) -> R:
            async with gate:
                return await call(item)

        return list(await asyncio.gather(*(one(item) for item in items)))

    # -- folders -------------------------------------------------------------------------------------

    async def _labels(self) -> list[dict]:
        return (await self._call("GET", "labels", "labels.list", params={"format": "full"}))["labels"]

    async def list_folders(self) -> list[Folder]:
        return zoom_labels.to_folders(await self._labels())

    async def _folder(self, label_id: str) -> Folder:
        label = await self._call("GET", f"labels/{label_id}", "labels.get")
        return next(f for f in zoom_labels.to_folders([label]) if f.id == label_id)

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        body = {"name": name, "parentId": parent_id or "", "labelListVisibility": "labelShow"}
        created = await self._call("POST", "labels", "labels.write", body=body)
        return await self._folder(created["id"])

    async def rename_folder(self, folder_id: str, name: str) -> Folder:
        """Labels nest by id, so a rename leaves the labels under it where they are. A PATCH needs
        the parent besides the name."""
        label = await self._call("GET", f"labels/{folder_id}", "labels.get")
        body = {"name": name, "parentId": label.get("parentId") or ""}
        await self._call("PATCH", f"labels/{folder_id}", "labels.write", body=body)
        return await self._folder(folder_id)

    async def delete_folder(self, folder_id: str) -> None:
        await self._call("DELETE", f"labels/{folder_id}", "labels.write")

    # -- listing and sync ----------------------------------------------------------------------------

    async def _get(self, message_id: str) -> dict[str, Message]:
        try:
            resource = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "raw"})
        except ProviderError as error:
            if error.status == 404:  # deleted since it was listed
                return {}
            raise
        return {message_id: self._message(resource)}

    async def _thread(self, thread_id: str) -> dict[str, Message]:
        try:
            thread = await self._call("GET", f"threads/{thread_id}", "threads.get", params={"format": "raw"})
        except ProviderError as error:
            if error.status == 404:
                return {}
            raise
        return {resource["id"]: self._message(resource) for resource in thread.get("messages", [])}

    async def _fetch(self, refs: Sequence[tuple[str, str]]) -> tuple[list[Message], list[str]]:
        """Whole messages by (id, thread id), in the order given; ids the server no longer has come
        back apart. Two or more messages of one thread come in one request for the thread (a Light
        request, as a message's is), which halves the requests of a listing where replies are near."""
        by_thread: dict[str, list[str]] = {}
        for message_id, thread_id in refs:
            by_thread.setdefault(thread_id, []).append(message_id)

        async def load(item: tuple[str, list[str]]) -> dict[str, Message]:
            thread_id, ids = item
            return await (self._get(ids[0]) if len(ids) == 1 else self._thread(thread_id))

        found: dict[str, Message] = {}
        for loaded in await self._each(list(by_thread.items()), load):
            found.update(loaded)
        messages = [found[message_id] for message_id, _ in refs if message_id in found]
        gone = [message_id for message_id, _ in refs if message_id not in found]
        return messages, gone

    async def _trash_one(self, message_id: str) -> None:
        try:
            await self._call("POST", f"messages/{message_id}/trash", "messages.trash")
        except ProviderError as error:
            if error.status != 404:  # gone already: what was asked is done
                raise

    async def trash(self, ids: Sequence[str]) -> None:
        await self._each(ids, self._trash_one)

    # -- sending and drafts ---------------------------------------------------------------------------

    def _raw(self, message: OutgoingMessage) -> dict[str, Any]:
        """Zoom Mail threads a message by its References, which build_message writes for replies."""
        account = self.connection.account
        mime = build_message(message, sender=Address(account.email, account.display_name))
        return {"raw": to_base64url(mime)}

    def _draft(self, resource: dict) -> Draft:
        message = self._message(resource["message"])
        outgoing = outgoing_from_raw(message.raw or b"", thread_id=message.thread_id)
        return Draft(resource["id"], outgoing, message.id, message.date)

    async def _get_draft(self, draft_id: str) -> Draft | None:
        try:
            return self._draft(await self._call("GET", f"drafts/{draft_id}", "drafts.get", params={"format": "raw"}))
        except ProviderError as error:
            if error.status == 404:
                return None
            raise

    async def list_drafts(self) -> list[Draft]:
        ids: list[str] = []
        page: str | None = None
        while True:
            listed = await self._call("GET", "drafts", "drafts.list", params={"maxResults": 500, "pageToken": page})
            ids.extend(draft["id"] for draft in listed.get("drafts", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        return [draft for draft in await self._each(ids, self._get_draft) if draft is not None]

    async def list_signatures(self) -> list[Signature]:
        raise NotSupported("Zoom Mail", "signatures on the server (the host keeps them)")

"""The Zoom Mail provider: ``/emails/mailboxes/me/...`` over the account's authorised client.

Zoom Mail mirrors Gmail (labels, history ids, raw RFC 2822 messages in base64url, Gmail's search
syntax) but has no batch endpoint: whole messages are fetched one request each (or one a thread,
where several of a thread are wanted), a few at a time, inside Zoom's per-account rate limits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from host.errors import CursorExpired, NotSupported, ProviderError
from host.mime import attachment_bytes, build_message, to_base64url
from host.model import Address, AutoReply, Draft, Folder, Message, OutgoingAttachment, OutgoingMessage, Rule, Signature
from host.providers import ChangePage, MessagePage, MessageUpdate, ProviderConnection, ProviderLimits
from host.providers.google_shapes import labels as google_labels
from host.providers.google_shapes import messages as google_messages
from host.providers.google_shapes import settings
from provider_zoommail import labels as zoom_labels
from provider_zoommail.account import MAIL_CAPABILITIES
from provider_zoommail.api import RateBucket, RateLabel, ZoomApi

ME = "emails/mailboxes/me"
HISTORY_PAGE = 500
#: Ids a batchModify or batchDelete takes at once.
BATCH_IDS = 1000
LIGHT, MEDIUM, HEAVY = RateLabel.LIGHT, RateLabel.MEDIUM, RateLabel.HEAVY

T = TypeVar("T")
R = TypeVar("R")


def message_from_zoom(resource: dict) -> Message:
    return google_messages.message_from_json(resource, zoom_labels.folder_ids)


def update_from_labels(message_id: str, label_ids: Sequence[str]) -> MessageUpdate:
    return google_messages.update_from_labels(message_id, label_ids, zoom_labels.folder_ids)


#: What ``in:`` takes; any other folder the host's ``in:`` names is a label.
PLACES = frozenset({"inbox", "sent", "drafts", "draft", "spam", "trash", "starred", "important", "anywhere"})


def zoom_query(query: str) -> str:
    return google_messages.search_query(query, PLACES)


class ZoomMail:
    """One signed-in Zoom Mail mailbox (a :class:`~host.providers.MailProvider`)."""

    capabilities = MAIL_CAPABILITIES
    # No batch endpoint: a page is one listing and a get per message or thread, four in flight.
    limits = ProviderLimits(max_concurrency=4, batch_size=1, page_size=50)

    def __init__(self, connection: ProviderConnection, bucket: RateBucket | None = None) -> None:
        self.connection = connection
        self.api = ZoomApi(connection, "Zoom Mail", bucket)

    async def _call(self, method: str, path: str, label: RateLabel, **options: Any) -> Any:
        return await self.api.request(method, f"{ME}/{path}", label, **options)

    async def _each(self, items: Sequence[T], call: Callable[[T], Awaitable[R]]) -> list[R]:
        """``call`` on every item, ``limits.max_concurrency`` at a time, answers in order."""
        gate = asyncio.Semaphore(self.limits.max_concurrency)

        async def one(item: T) -> R:
            async with gate:
                return await call(item)

        return list(await asyncio.gather(*(one(item) for item in items)))

    # -- folders -------------------------------------------------------------------------------------

    async def _labels(self) -> list[dict]:
        return (await self._call("GET", "labels", MEDIUM, params={"format": "full"}))["labels"]

    async def list_folders(self) -> list[Folder]:
        return zoom_labels.to_folders(await self._labels())

    async def _folder(self, label_id: str) -> Folder:
        label = await self._call("GET", f"labels/{label_id}", LIGHT)
        return next(f for f in zoom_labels.to_folders([label]) if f.id == label_id)

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        body = {"name": name, "parentId": parent_id or "", "labelListVisibility": "labelShow"}
        created = await self._call("POST", "labels", LIGHT, body=body)
        return await self._folder(created["id"])

    async def rename_folder(self, folder_id: str, name: str) -> Folder:
        """Labels nest by id, so a rename leaves the labels under it where they are. A PATCH needs
        the parent besides the name."""
        label = await self._call("GET", f"labels/{folder_id}", LIGHT)
        body = {"name": name, "parentId": label.get("parentId") or ""}
        await self._call("PATCH", f"labels/{folder_id}", LIGHT, body=body)
        return await self._folder(folder_id)

    async def delete_folder(self, folder_id: str) -> None:
        await self._call("DELETE", f"labels/{folder_id}", LIGHT)

    # -- listing and sync ----------------------------------------------------------------------------

    async def current_cursor(self) -> str:
        return str((await self._call("GET", "profile", LIGHT))["historyId"])

    async def _get(self, message_id: str) -> dict[str, Message]:
        try:
            resource = await self._call("GET", f"messages/{message_id}", LIGHT, params={"format": "raw"})
        except ProviderError as error:
            if error.status == 404:  # deleted since it was listed
                return {}
            raise
        return {message_id: message_from_zoom(resource)}

    async def _thread(self, thread_id: str) -> dict[str, Message]:
        try:
            thread = await self._call("GET", f"threads/{thread_id}", LIGHT, params={"format": "raw"})
        except ProviderError as error:
            if error.status == 404:
                return {}
            raise
        return {resource["id"]: message_from_zoom(resource) for resource in thread.get("messages", [])}

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

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        params: dict[str, Any] = {"maxResults": self.limits.page_size, "includeSpamTrash": True}
        if page_token:
            params["pageToken"] = page_token
        if since is not None:
            params["q"] = f"after:{int(since.timestamp())}"
        listed = await self._call("GET", "messages", MEDIUM, params=params)
        messages, _gone = await self._fetch([(ref["id"], ref["threadId"]) for ref in listed.get("messages", [])])
        return MessagePage(tuple(messages), listed.get("nextPageToken"))

    async def get_message(self, message_id: str) -> Message:
        resource = await self._call("GET", f"messages/{message_id}", LIGHT, params={"format": "raw"})
        return message_from_zoom(resource)

    async def changes(self, cursor: str) -> ChangePage:
        """History since ``cursor``; Zoom Mail answers 404 for a history id it no longer keeps."""
        if not cursor.isdigit():
            raise CursorExpired()
        try:
            answer = await self._call(
                "GET", "history", LIGHT, params={"startHistoryId": cursor, "maxResults": HISTORY_PAGE}
            )
        except ProviderError as error:
            if error.status in (404, 400):
                raise CursorExpired() from error
            raise
        records = answer.get("history", [])
        state: dict[str, tuple[str, list[str]]] = {}  # message id -> ("added" | "labels" | "deleted", labels)
        threads: dict[str, str] = {}
        for record in records:
            for kind in ("messagesAdded", "labelsAdded", "labelsRemoved", "messagesDeleted"):
                for change in record.get(kind, []):
                    message = change["message"]
                    threads[message["id"]] = message["threadId"]
                    previous = state.get(message["id"], ("labels", []))[0]
                    if kind == "messagesDeleted":
                        state[message["id"]] = ("deleted", [])
                    elif kind == "messagesAdded" or previous == "added":
                        state[message["id"]] = ("added", message.get("labelIds", []))
                    elif previous != "deleted":
                        state[message["id"]] = ("labels", message.get("labelIds", []))
        added, gone = await self._fetch([(i, threads[i]) for i, (what, _) in state.items() if what == "added"])
        deleted = [i for i, (what, _) in state.items() if what == "deleted"] + gone
        updated = [update_from_labels(i, found) for i, (what, found) in state.items() if what == "labels"]
        if answer.get("nextPageToken") and records:
            return ChangePage(tuple(added), tuple(updated), tuple(deleted), records[-1]["id"], has_more=True)
        return ChangePage(tuple(added), tuple(updated), tuple(deleted), str(answer["historyId"]), has_more=False)

    # -- changing messages ------------------------------------------------------------------------

    async def modify(
        self,
        ids: Sequence[str],
        *,
        add_folder_ids: Sequence[str] = (),
        remove_folder_ids: Sequence[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        add, remove = google_labels.label_changes(add_folder_ids, remove_folder_ids, unread, flagged)
        await self._relabel(ids, add, remove)

    async def _relabel(self, ids: Sequence[str], add: list[str], remove: list[str]) -> None:
        if not ids or not (add or remove):
            return
        body: dict[str, Any] = {"addLabelIds": add, "removeLabelIds": remove}
        if len(ids) == 1:
            await self._call("POST", f"messages/{ids[0]}/modify", MEDIUM, body=body)
            return
        for start in range(0, len(ids), BATCH_IDS):
            chunk = list(ids[start : start + BATCH_IDS])
            await self._call("POST", "messages/batchModify", HEAVY, body={"ids": chunk, **body})

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        """Labels keep their ids: the answer is always empty."""
        if folder_id == "TRASH":
            await self.trash(ids)
        else:
            await self._relabel(ids, *google_labels.move_changes(folder_id))
        return {}

    async def _trash_one(self, message_id: str) -> None:
        try:
            await self._call("POST", f"messages/{message_id}/trash", LIGHT)
        except ProviderError as error:
            if error.status != 404:  # gone already: what was asked is done
                raise

    async def trash(self, ids: Sequence[str]) -> None:
        await self._each(ids, self._trash_one)

    async def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), BATCH_IDS):
            chunk = list(ids[start : start + BATCH_IDS])
            await self._call("POST", "messages/batchDelete", MEDIUM, body={"ids": chunk})

    # -- sending and drafts ---------------------------------------------------------------------------

    def _raw(self, message: OutgoingMessage) -> dict[str, Any]:
        """Zoom Mail threads a message by its References, which build_message writes for replies."""
        account = self.connection.account
        mime = build_message(message, sender=Address(account.email, account.display_name))
        return {"raw": to_base64url(mime)}

    async def send(self, message: OutgoingMessage) -> str:
        sent = await self._call("POST", "messages/send", MEDIUM, body=self._raw(message))
        return str(sent.get("id", ""))

    def _draft(self, resource: dict) -> Draft:
        message = message_from_zoom(resource["message"])
        raw = message.raw or b""
        outgoing = OutgoingMessage(
            to=message.to,
            subject=message.subject,
            body_text=message.body_text,
            body_html=message.body_html,
            cc=message.cc,
            bcc=message.bcc,
            sender=message.sender,
            attachments=tuple(
                OutgoingAttachment(a.filename, a.content_type, attachment_bytes(raw, a.id), a.content_id)
                for a in message.attachments
            ),
            in_reply_to=message.in_reply_to,
            references=message.references,
            thread_id=message.thread_id,
        )
        return Draft(resource["id"], outgoing, message.id, message.date)

    async def _get_draft(self, draft_id: str) -> Draft | None:
        try:
            return self._draft(await self._call("GET", f"drafts/{draft_id}", LIGHT, params={"format": "raw"}))
        except ProviderError as error:
            if error.status == 404:
                return None
            raise

    async def list_drafts(self) -> list[Draft]:
        ids: list[str] = []
        page: str | None = None
        while True:
            listed = await self._call("GET", "drafts", MEDIUM, params={"maxResults": 500, "pageToken": page})
            ids.extend(draft["id"] for draft in listed.get("drafts", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        return [draft for draft in await self._each(ids, self._get_draft) if draft is not None]

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        body = {"message": self._raw(message)}
        if draft_id is None:
            saved = await self._call("POST", "drafts", MEDIUM, body=body)
        else:
            saved = await self._call("PUT", f"drafts/{draft_id}", MEDIUM, body=body)
        return Draft(saved["id"], message, saved["message"]["id"], dt.datetime.now(dt.UTC))

    async def delete_draft(self, draft_id: str) -> None:
        await self._call("DELETE", f"drafts/{draft_id}", LIGHT)

    async def send_draft(self, draft_id: str) -> str:
        sent = await self._call("POST", "drafts/send", MEDIUM, body={"id": draft_id})
        return str(sent.get("id", ""))

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes:
        """``attachment_id`` is host.mime's part number ("2.1"); Zoom's part ids count from 0 ("1.0")."""
        resource = await self._call("GET", f"messages/{message_id}", LIGHT, params={"format": "full"})
        part = _zoom_part(resource.get("payload", {}), attachment_id)
        body = (part or {}).get("body", {})
        if body.get("attachmentId"):
            found = await self._call("GET", f"messages/{message_id}/attachments/{body['attachmentId']}", MEDIUM)
            return google_messages.b64decode(found["data"])
        if part is not None and "data" in body:
            return google_messages.b64decode(body["data"])
        # A part numbered otherwise (a recovered broken multipart): read it from the raw message.
        raw = await self._call("GET", f"messages/{message_id}", LIGHT, params={"format": "raw"})
        return attachment_bytes(google_messages.b64decode(raw["raw"]), attachment_id)

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        ids: list[str] = []
        page: str | None = None
        while len(ids) < limit:
            params = {"q": zoom_query(query), "maxResults": min(500, limit - len(ids)), "pageToken": page}
            listed = await self._call("GET", "messages", MEDIUM, params=params)
            ids.extend(ref["id"] for ref in listed.get("messages", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        return ids[:limit]

    # -- settings ----------------------------------------------------------------------------------

    async def list_rules(self) -> list[Rule]:
        listed = await self._call("GET", "settings/filters", MEDIUM)
        return [settings.rule_from_filter(f) for f in (listed or {}).get("filter", [])]

    async def save_rule(self, rule: Rule) -> Rule:
        """Filters cannot be changed: a changed rule is a new filter, then the old one goes."""
        body = settings.filter_from_rule(rule, "Zoom Mail")
        if rule.id is not None:
            current = await self._call("GET", f"settings/filters/{rule.id}", LIGHT)
            if {k: current.get(k, {}) for k in ("criteria", "action")} == body:
                return settings.rule_from_filter(current)
        created = await self._call("POST", "settings/filters", LIGHT, body=body)
        if rule.id is not None:
            await self._call("DELETE", f"settings/filters/{rule.id}", LIGHT)
        return settings.rule_from_filter(created)

    async def delete_rule(self, rule_id: str) -> None:
        await self._call("DELETE", f"settings/filters/{rule_id}", LIGHT)

    async def get_auto_reply(self) -> AutoReply:
        return settings.auto_reply_from_vacation(await self._call("GET", "settings/vacation", LIGHT))

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply:
        body = settings.vacation_from_auto_reply(auto_reply)
        return settings.auto_reply_from_vacation(await self._call("PUT", "settings/vacation", LIGHT, body=body))

    async def list_signatures(self) -> list[Signature]:
        raise NotSupported("Zoom Mail", "signatures on the server (the host keeps them)")

    async def aclose(self) -> None:
        """Nothing of its own to release: the host closes the HTTP client."""


def _zoom_part(payload: dict, section: str) -> dict | None:
    """The part of a ``format=full`` payload that an IMAP-style section number names."""
    if not payload.get("parts"):
        return payload if section == "1" else None
    part: dict | None = payload
    for number in section.split("."):
        children = (part or {}).get("parts") or []
        if not number.isdigit() or not 1 <= int(number) <= len(children):
            return None
        part = children[int(number) - 1]
    return part

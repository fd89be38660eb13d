"""The Gmail mail provider: Gmail API v1 over the account's authorised client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from host.errors import CursorExpired, ProviderError, RateLimited
from host.mime import attachment_bytes, build_message, outgoing_from_raw, to_base64url
from host.model import Address, AutoReply, Draft, Folder, Message, OutgoingMessage, Rule, Signature
from host.providers import (
    ChangePage,
    MessagePage,
    MessageUpdate,
    ProviderConnection,
    ProviderLimits,
)
from host.providers.google_shapes import labels as google_labels
from host.providers.google_shapes import messages as google_messages
from host.providers.google_shapes import settings as google_settings
from provider_gmail import labels as gmail_labels
from provider_gmail import settings
from provider_gmail.account import MAIL_CAPABILITIES
from provider_gmail.api import BatchAnswer, BatchCall, GoogleApi, UnitBucket

BATCH_PATH = "batch/gmail/v1"
ME = "gmail/v1/users/me"
#: Google's quota units per method.
COST = {
    "profile": 1,
    "labels.list": 1,
    "labels.get": 1,
    "labels.write": 5,
    "messages.list": 5,
    "messages.get": 5,
    "messages.modify": 5,
    "messages.batchModify": 50,
    "messages.trash": 5,
    "messages.batchDelete": 50,
    "messages.send": 100,
    "attachments.get": 5,
    "history.list": 2,
    "drafts.list": 5,
    "drafts.get": 5,
    "drafts.create": 10,
    "drafts.update": 15,
    "drafts.delete": 10,
    "drafts.send": 100,
    "settings.read": 1,
    "settings.write": 5,
}
HISTORY_PAGE = 500


def message_from_gmail(resource: dict) -> Message:
    return google_messages.message_from_json(resource, gmail_labels.folder_ids)


def update_from_labels(message_id: str, label_ids: Sequence[str]) -> MessageUpdate:
    return google_messages.update_from_labels(message_id, label_ids, gmail_labels.folder_ids)


#: What Gmail's ``in:`` takes; any other folder the host's ``in:`` names is a label.
GMAIL_PLACES = frozenset(
    {"inbox", "sent", "drafts", "draft", "spam", "trash", "starred", "important", "chats", "anywhere", "snoozed"}
)


def gmail_query(query: str) -> str:
    return google_messages.search_query(query, GMAIL_PLACES)


class GmailMail:
    """One signed-in Gmail mailbox (a :class:`~host.providers.MailProvider`)."""

    capabilities = MAIL_CAPABILITIES
    # A page is one messages.list and one batch of gets: 255 units, about the quota's second, so the
    # first page of the inbox shows without waiting for the bucket.
    limits = ProviderLimits(max_concurrency=4, batch_size=50, page_size=50)

    def __init__(self, connection: ProviderConnection, bucket: UnitBucket | None = None) -> None:
        self.connection = connection
        self.api = GoogleApi(connection, "gmail", "Gmail", bucket or UnitBucket())

    @property
    def bucket(self) -> UnitBucket:
        assert self.api.bucket is not None
        return self.api.bucket

    async def _call(self, method: str, path: str, cost: str, **options: Any) -> Any:
        return await self.api.request(method, f"{ME}/{path}", cost=COST[cost], **options)

    async def _batch(self, calls: Sequence[BatchCall]) -> list[BatchAnswer]:
        """A batch whose throttled calls are tried again once the server allows (others are kept)."""
        answers: list[BatchAnswer | None] = [None] * len(calls)
        pending = list(range(len(calls)))
        for _attempt in range(8):
            results = await self.api.batch(BATCH_PATH, [calls[i] for i in pending])
            retry = []
            for index, answer in zip(pending, results, strict=True):
                if isinstance(answer.error, RateLimited):
                    retry.append(index)
                answers[index] = answer
            if not retry:
                break
            pending = retry
        return [answer for answer in answers if answer is not None]

    # -- folders -------------------------------------------------------------------------------------

    async def list_folders(self) -> list[Folder]:
        listed = (await self._call("GET", "labels", "labels.list"))["labels"]
        answers = await self._batch(
            [BatchCall("GET", f"{ME}/labels/{label['id']}", cost=COST["labels.get"]) for label in listed]
        )
        detailed = [
            answer.value if answer.error is None else label for label, answer in zip(listed, answers, strict=True)
        ]
        return gmail_labels.to_folders(detailed)

    async def _labels(self) -> dict[str, dict]:
        return {label["id"]: label for label in (await self._call("GET", "labels", "labels.list"))["labels"]}

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        full = name
        if parent_id is not None:
            parent = (await self._labels()).get(parent_id)
            if parent is None:
                raise ProviderError(f"Gmail has no label {parent_id}.", status=404)
            full = f"{parent['name']}/{name}"
        body = {"name": full, "labelListVisibility": "labelShow", "messageListVisibility": "show"}
        created = await self._call("POST", "labels", "labels.write", body=body)
        return await self._folder(created["id"])

    async def _folder(self, label_id: str) -> Folder:
        return next(f for f in gmail_labels.to_folders([*(await self._labels()).values()]) if f.id == label_id)

    async def rename_folder(self, folder_id: str, name: str) -> Folder:
        """Rename a label and keep its children under it (Gmail renames only the one label)."""
        known = await self._labels()
        label = known.get(folder_id)
        if label is None or label.get("type") != "user":
            raise ProviderError("Only your own labels can be renamed.", status=400)
        head, _, _ = label["name"].rpartition("/")
        new_name = f"{head}/{name}" if head else name
        old_prefix = label["name"] + "/"
        await self._call("PATCH", f"labels/{folder_id}", "labels.write", body={"name": new_name})
        for child in known.values():
            if child.get("type") == "user" and child["name"].startswith(old_prefix):
                renamed = new_name + "/" + child["name"][len(old_prefix) :]
                await self._call("PATCH", f"labels/{child['id']}", "labels.write", body={"name": renamed})
        return await self._folder(folder_id)

    async def delete_folder(self, folder_id: str) -> None:
        await self._call("DELETE", f"labels/{folder_id}", "labels.write")

    # -- listing and sync ----------------------------------------------------------------------------

    async def current_cursor(self) -> str:
        return str((await self._call("GET", "profile", "profile"))["historyId"])

    async def _fetch(self, refs: Sequence[tuple[str, str]]) -> tuple[list[Message], list[str]]:
        """Whole messages by id through the batch endpoint; ids the server no longer has come back apart."""
        calls = [
            BatchCall("GET", f"{ME}/messages/{message_id}", {"format": "raw"}, cost=COST["messages.get"])
            for message_id, _thread in refs
        ]
        messages, gone = [], []
        for (message_id, _thread), answer in zip(refs, await self._batch(calls), strict=True):
            if answer.error is None:
                messages.append(message_from_gmail(answer.value))
            elif answer.status == 404:
                gone.append(message_id)
            else:
                raise answer.error
        return messages, gone

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        params: dict[str, Any] = {"maxResults": self.limits.page_size, "includeSpamTrash": True}
        if page_token:
            params["pageToken"] = page_token
        if since is not None:
            params["q"] = f"after:{int(since.timestamp())}"
        listed = await self._call("GET", "messages", "messages.list", params=params)
        refs = [(ref["id"], ref["threadId"]) for ref in listed.get("messages", [])]
        messages, _gone = await self._fetch(refs)
        return MessagePage(tuple(messages), listed.get("nextPageToken"))

    async def get_message(self, message_id: str) -> Message:
        resource = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "raw"})
        return message_from_gmail(resource)

    async def changes(self, cursor: str) -> ChangePage:
        if not cursor.isdigit():
            raise CursorExpired()
        try:
            answer = await self._call(
                "GET", "history", "history.list", params={"startHistoryId": cursor, "maxResults": HISTORY_PAGE}
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
        added_refs = [(i, threads[i]) for i, (what, _) in state.items() if what == "added"]
        added, gone = await self._fetch(added_refs)
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
            await self._call("POST", f"messages/{ids[0]}/modify", "messages.modify", body=body)
            return
        for start in range(0, len(ids), 1000):
            chunk = list(ids[start : start + 1000])
            await self._call("POST", "messages/batchModify", "messages.batchModify", body={"ids": chunk, **body})

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        """Labels keep their ids: the answer is always empty."""
        if folder_id == "TRASH":
            await self.trash(ids)
        else:
            await self._relabel(ids, *google_labels.move_changes(folder_id))
        return {}

    async def _each(self, ids: Sequence[str], verb: str) -> None:
        calls = [BatchCall("POST", f"{ME}/messages/{i}/{verb}", cost=COST[f"messages.{verb}"]) for i in ids]
        for answer in await self._batch(calls):
            if answer.error is not None and answer.status != 404:
                raise answer.error

    async def trash(self, ids: Sequence[str]) -> None:
        await self._each(ids, "trash")

    async def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), 1000):
            chunk = list(ids[start : start + 1000])
            await self._call("POST", "messages/batchDelete", "messages.batchDelete", body={"ids": chunk})

    # -- sending and drafts ---------------------------------------------------------------------------

    def _raw(self, message: OutgoingMessage) -> dict[str, Any]:
        account = self.connection.account
        # The outbox's own Message-ID, so that after a crash mid-send it can ask whether it went out.
        mime = build_message(
            message, sender=Address(account.email, account.display_name), message_id=message.message_id_header
        )
        body: dict[str, Any] = {"raw": to_base64url(mime)}
        if message.thread_id:
            body["threadId"] = message.thread_id
        return body

    async def send(self, message: OutgoingMessage) -> str:
        sent = await self._call("POST", "messages/send", "messages.send", body=self._raw(message))
        return str(sent.get("id", ""))

    async def _draft(self, resource: dict) -> Draft:
        message = message_from_gmail(resource["message"])
        outgoing = outgoing_from_raw(message.raw or b"", thread_id=message.thread_id)
        return Draft(resource["id"], outgoing, message.id, message.date)

    async def list_drafts(self) -> list[Draft]:
        refs: list[str] = []
        page: str | None = None
        while True:
            listed = await self._call("GET", "drafts", "drafts.list", params={"maxResults": 500, "pageToken": page})
            refs.extend(draft["id"] for draft in listed.get("drafts", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        calls = [BatchCall("GET", f"{ME}/drafts/{i}", {"format": "raw"}, cost=COST["drafts.get"]) for i in refs]
        drafts = []
        for answer in await self._batch(calls):
            if answer.error is None:
                drafts.append(await self._draft(answer.value))
            elif answer.status != 404:
                raise answer.error
        return drafts

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        body = {"message": self._raw(message)}
        if draft_id is None:
            saved = await self._call("POST", "drafts", "drafts.create", body=body)
        else:
            saved = await self._call("PUT", f"drafts/{draft_id}", "drafts.update", body={"id": draft_id, **body})
        return Draft(saved["id"], message, saved["message"]["id"], dt.datetime.now(dt.UTC))

    async def delete_draft(self, draft_id: str) -> None:
        await self._call("DELETE", f"drafts/{draft_id}", "drafts.delete")

    async def send_draft(self, draft_id: str) -> str:
        sent = await self._call("POST", "drafts/send", "drafts.send", body={"id": draft_id})
        return str(sent.get("id", ""))

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes:
        """``attachment_id`` is host.mime's part number ("2.1"); Gmail's part ids count from 0 ("1.0")."""
        resource = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "full"})
        part = _gmail_part(resource.get("payload", {}), attachment_id)
        body = (part or {}).get("body", {})
        if body.get("attachmentId"):
            found = await self._call(
                "GET", f"messages/{message_id}/attachments/{body['attachmentId']}", "attachments.get"
            )
            return google_messages.b64decode(found["data"])
        if part is not None and "data" in body:
            return google_messages.b64decode(body["data"])
        # A part Gmail numbers otherwise (a recovered broken multipart): read it from the raw message.
        raw = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "raw"})
        return attachment_bytes(google_messages.b64decode(raw["raw"]), attachment_id)

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        ids: list[str] = []
        page: str | None = None
        while len(ids) < limit:
            params = {"q": gmail_query(query), "maxResults": min(500, limit - len(ids)), "pageToken": page}
            listed = await self._call("GET", "messages", "messages.list", params=params)
            ids.extend(ref["id"] for ref in listed.get("messages", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        return ids[:limit]

    # -- settings ----------------------------------------------------------------------------------

    async def list_rules(self) -> list[Rule]:
        listed = await self._call("GET", "settings/filters", "settings.read")
        return [google_settings.rule_from_filter(f) for f in listed.get("filter", [])]

    async def save_rule(self, rule: Rule) -> Rule:
        """Gmail filters cannot be changed: a changed rule is a new filter, then the old one goes."""
        body = google_settings.filter_from_rule(rule, "Gmail")
        if rule.id is not None:
            current = await self._call("GET", f"settings/filters/{rule.id}", "settings.read")
            if {k: current.get(k, {}) for k in ("criteria", "action")} == body:
                return google_settings.rule_from_filter(current)
        created = await self._call("POST", "settings/filters", "settings.write", body=body)
        if rule.id is not None:
            await self._call("DELETE", f"settings/filters/{rule.id}", "settings.write")
        return google_settings.rule_from_filter(created)

    async def delete_rule(self, rule_id: str) -> None:
        await self._call("DELETE", f"settings/filters/{rule_id}", "settings.write")

    async def get_auto_reply(self) -> AutoReply:
        return google_settings.auto_reply_from_vacation(await self._call("GET", "settings/vacation", "settings.read"))

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply:
        body = google_settings.vacation_from_auto_reply(auto_reply)
        return google_settings.auto_reply_from_vacation(
            await self._call("PUT", "settings/vacation", "settings.write", body=body)
        )

    async def list_signatures(self) -> list[Signature]:
        listed = await self._call("GET", "settings/sendAs", "settings.read")
        return [settings.signature_from_send_as(s) for s in listed.get("sendAs", [])]

    async def aclose(self) -> None:
        """Nothing of its own to release: the host closes the HTTP client."""


def _gmail_part(payload: dict, section: str) -> dict | None:
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

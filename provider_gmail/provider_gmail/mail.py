"""The Gmail mail provider: Gmail API v1 over the account's authorised client (:class:`LabelledMail`
with Gmail's batches, quota units, labels nested by name and sendAs signatures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from host.errors import ProviderError, RateLimited
from host.mime import build_message, outgoing_from_raw, to_base64url
from host.model import Address, Draft, Folder, Message, OutgoingMessage, Signature
from host.providers import MessagePage, ProviderConnection, ProviderLimits
from host.providers.google_shapes.mail_client import LabelledMail
from host.providers.read_ahead import ReadAhead, read_each
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
    "filters.list": 1,
    "filters.get": 1,
    "filters.create": 5,
    "filters.delete": 5,
    "vacation.get": 1,
    "vacation.update": 5,
    "sendAs.list": 1,
}


#: What Gmail's ``in:`` takes; any other folder the host's ``in:`` names is a label.
GMAIL_PLACES = frozenset(
    {"inbox", "sent", "drafts", "draft", "spam", "trash", "starred", "important", "chats", "anywhere", "snoozed"}
)


class GmailMail(LabelledMail):
    """One signed-in Gmail mailbox (a :class:`~host.providers.MailProvider`)."""

    SERVICE = "Gmail"
    IN_NAMES = GMAIL_PLACES

    capabilities = MAIL_CAPABILITIES
    # A page is one messages.list and one batch of gets: 255 units, about the quota's second, so the
    # first page of the inbox shows without waiting for the bucket.
    limits = ProviderLimits(max_concurrency=4, batch_size=50, page_size=50)

    def __init__(self, connection: ProviderConnection, bucket: UnitBucket | None = None) -> None:
        super().__init__(connection)
        self.api = GoogleApi(connection, "gmail", "Gmail", bucket or UnitBucket())
        self._ahead: ReadAhead[tuple[list[dict], str | None]] = ReadAhead()

    @property
    def bucket(self) -> UnitBucket:
        assert self.api.bucket is not None
        return self.api.bucket

    async def _call(self, method: str, path: str, operation: str, **options: Any) -> Any:
        return await self.api.request(method, f"{ME}/{path}", cost=COST[operation], **options)

    def _folder_ids(self, label_ids: Sequence[str]) -> tuple[str, ...]:
        return gmail_labels.folder_ids(label_ids)

    def _draft_update(self, draft_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"id": draft_id, **body}

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

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        """A page of the full listing. The next page's requests go out before this page's messages are
        parsed, so that Gmail answers them meanwhile (it takes several batches in flight)."""
        resources, next_token = await self._ahead.take((page_token, since), partial(self._page, page_token, since))
        if next_token:
            self._ahead.start((next_token, since), partial(self._page, next_token, since))
        return MessagePage(tuple(await read_each(resources, self._message)), next_token)

    async def _page(self, page_token: str | None, since: dt.datetime | None) -> tuple[list[dict], str | None]:
        refs, next_token = await self._listed(page_token, since)
        resources, _gone = await self._resources(refs)
        return resources, next_token

    async def _fetch(self, refs: Sequence[tuple[str, str]]) -> tuple[list[Message], list[str]]:
        resources, gone = await self._resources(refs)
        return [self._message(resource) for resource in resources], gone

    async def _resources(self, refs: Sequence[tuple[str, str]]) -> tuple[list[dict], list[str]]:
        """Messages' ``format=raw`` resources by id through the batch endpoint, in the order given; ids
        the server no longer has come back apart."""
        calls = [
            BatchCall("GET", f"{ME}/messages/{message_id}", {"format": "raw"}, cost=COST["messages.get"])
            for message_id, _thread in refs
        ]
        resources, gone = [], []
        for (message_id, _thread), answer in zip(refs, await self._batch(calls), strict=True):
            if answer.error is None:
                resources.append(answer.value)
            elif answer.status == 404:
                gone.append(message_id)
            else:
                raise answer.error
        return resources, gone

    async def _each(self, ids: Sequence[str], verb: str) -> None:
        calls = [BatchCall("POST", f"{ME}/messages/{i}/{verb}", cost=COST[f"messages.{verb}"]) for i in ids]
        for answer in await self._batch(calls):
            if answer.error is not None and answer.status != 404:
                raise answer.error

    async def trash(self, ids: Sequence[str]) -> None:
        await self._each(ids, "trash")

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

    async def _draft(self, resource: dict) -> Draft:
        message = self._message(resource["message"])
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

    async def aclose(self) -> None:
        await self._ahead.aclose()

    async def list_signatures(self) -> list[Signature]:
        listed = await self._call("GET", "settings/sendAs", "sendAs.list")
        return [settings.signature_from_send_as(s) for s in listed.get("sendAs", [])]

"""TestMail's mail provider: the host's MailProvider protocol over the emulator's JSON API."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from host.mime import build_message, outgoing_from_raw, parse_message
from host.model.mail import Address, AutoReply, Draft, Folder, Message, OutgoingMessage, Rule, Signature
from host.providers.connection import ProviderConnection, ProviderLimits
from host.providers.mail import ChangePage, MailCapability, MessagePage, MessageUpdate
from host.providers.read_ahead import ReadAhead, read_each
from testprovider import names
from testprovider.client import TestMailClient
from testprovider.codec import from_json, to_json

CAPABILITIES = frozenset(
    {
        MailCapability.LABELS,
        MailCapability.FOLDER_EDIT,
        MailCapability.DRAFTS,
        MailCapability.SERVER_SEARCH,
        MailCapability.RULES,
        MailCapability.AUTO_REPLY,
        MailCapability.SIGNATURES,
        MailCapability.ATTACHMENTS,
    }
)
LIMITS = ProviderLimits(max_concurrency=4, batch_size=1, page_size=100)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def message_from_json(data: dict[str, Any]) -> Message:
    """A message entry with ``raw``, parsed; the server's labels and flags win over the headers."""
    return parse_message(
        _unb64(data["raw"]),
        id=data["id"],
        thread_id=data["threadId"],
        folder_ids=tuple(data["folderIds"]),
        unread=data["unread"],
        flagged=data["flagged"],
        date_fallback=dt.datetime.fromisoformat(data["date"]),
    )


@attrs.frozen
class TestMailProviderFactory:
    """What the plugin registers for ``register_mail_providers``."""

    __test__ = False

    account_type: str = names.ACCOUNT_TYPE
    scopes: tuple[str, ...] = (names.MAIL_SCOPE,)
    capabilities: frozenset[MailCapability] = CAPABILITIES

    def open(self, connection: ProviderConnection) -> TestMailProvider:
        return TestMailProvider(connection)


class TestMailProvider:
    """One TestMail mailbox. Labels, not folders: archive removes INBOX; a move keeps ids."""

    __test__ = False

    capabilities = CAPABILITIES
    limits = LIMITS

    def __init__(self, connection: ProviderConnection) -> None:
        self.api = TestMailClient(connection)
        self.account = connection.account
        self._ahead: ReadAhead[Any] = ReadAhead()

    async def list_folders(self) -> list[Folder]:
        data = await self.api.request("GET", "mailbox/folders")
        return [from_json(Folder, item) for item in data["folders"]]

    async def current_cursor(self) -> str:
        return str((await self.api.request("GET", "mailbox/profile"))["cursor"])

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        """A page; the next one is asked for before this one is parsed (host.providers.read_ahead)."""
        data = await self._ahead.take((page_token, since), lambda: self._listing_page(page_token, since))
        token = data.get("nextPageToken")
        if token:
            self._ahead.start((token, since), lambda: self._listing_page(token, since))
        return MessagePage(tuple(await read_each(data["messages"], message_from_json)), token)

    async def _listing_page(self, page_token: str | None, since: dt.datetime | None) -> Any:
        params: dict[str, str] = {"pageSize": str(self.limits.page_size), "format": "raw"}
        if page_token:
            params["pageToken"] = page_token
        if since is not None:
            params["since"] = since.isoformat()
        return await self.api.request("GET", "mailbox/messages", params=params)

    async def get_message(self, message_id: str) -> Message:
        return message_from_json(await self.api.request("GET", f"mailbox/messages/{message_id}"))

    async def changes(self, cursor: str) -> ChangePage:
        data = await self.api.request(
            "GET", "mailbox/history", params={"cursor": cursor, "pageSize": "100"}, cursor=True
        )
        added: list[Message] = []
        updated: list[MessageUpdate] = []
        deleted: list[str] = []
        for change in data["changes"]:
            if change["type"] == "deleted":
                deleted.append(change["id"])
            elif change["type"] == "added":
                added.append(message_from_json(change["message"]))
            else:
                message = change["message"]
                updated.append(
                    MessageUpdate(message["id"], tuple(message["folderIds"]), message["unread"], message["flagged"])
                )
        return ChangePage(tuple(added), tuple(updated), tuple(deleted), str(data["cursor"]), bool(data["hasMore"]))

    async def modify(
        self,
        ids: Sequence[str],
        *,
        add_folder_ids: Sequence[str] = (),
        remove_folder_ids: Sequence[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        body: dict[str, Any] = {"ids": list(ids), "addFolderIds": list(add_folder_ids)}
        body["removeFolderIds"] = list(remove_folder_ids)
        if unread is not None:
            body["unread"] = unread
        if flagged is not None:
            body["flagged"] = flagged
        await self.api.request("POST", "mailbox/messages/modify", json=body)

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        data = await self.api.request("POST", "mailbox/messages/move", json={"ids": list(ids), "folderId": folder_id})
        return dict(data.get("moved", {}))

    async def trash(self, ids: Sequence[str]) -> None:
        await self.api.request("POST", "mailbox/messages/trash", json={"ids": list(ids)})

    async def delete(self, ids: Sequence[str]) -> None:
        await self.api.request("POST", "mailbox/messages/delete", json={"ids": list(ids)})

    def _raw(self, message: OutgoingMessage) -> str:
        return _b64(build_message(message, sender=Address(self.account.email, self.account.display_name)).as_bytes())

    async def send(self, message: OutgoingMessage) -> str:
        body = {"raw": self._raw(message), "threadId": message.thread_id}
        return str((await self.api.request("POST", "mailbox/send", json=body))["id"])

    @staticmethod
    def _draft(data: dict[str, Any]) -> Draft:
        outgoing = outgoing_from_raw(_unb64(data["raw"]), thread_id=data.get("threadId"))
        return Draft(data["id"], outgoing, None, dt.datetime.fromisoformat(data["updated"]))

    async def list_drafts(self) -> list[Draft]:
        data = await self.api.request("GET", "mailbox/drafts")
        return [self._draft(item) for item in data["drafts"]]

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        body = {"raw": self._raw(message), "threadId": message.thread_id}
        if draft_id is None:
            return self._draft(await self.api.request("POST", "mailbox/drafts", json=body))
        return self._draft(await self.api.request("PUT", f"mailbox/drafts/{draft_id}", json=body))

    async def delete_draft(self, draft_id: str) -> None:
        await self.api.request("DELETE", f"mailbox/drafts/{draft_id}")

    async def send_draft(self, draft_id: str) -> str:
        return str((await self.api.request("POST", f"mailbox/drafts/{draft_id}/send"))["id"])

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes:
        data = await self.api.request("GET", f"mailbox/messages/{message_id}/attachments/{attachment_id}")
        return _unb64(data["data"])

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        data = await self.api.request("GET", "mailbox/search", params={"q": query, "limit": str(limit)})
        return list(data["ids"])

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        data = await self.api.request("POST", "mailbox/folders", json={"name": name, "parent_id": parent_id})
        return from_json(Folder, data)

    async def rename_folder(self, folder_id: str, name: str) -> Folder:
        return from_json(Folder, await self.api.request("PATCH", f"mailbox/folders/{folder_id}", json={"name": name}))

    async def delete_folder(self, folder_id: str) -> None:
        await self.api.request("DELETE", f"mailbox/folders/{folder_id}")

    async def list_rules(self) -> list[Rule]:
        return [from_json(Rule, item) for item in (await self.api.request("GET", "mailbox/rules"))["rules"]]

    async def save_rule(self, rule: Rule) -> Rule:
        if rule.id is None:
            return from_json(Rule, await self.api.request("POST", "mailbox/rules", json=to_json(rule)))
        return from_json(Rule, await self.api.request("PUT", f"mailbox/rules/{rule.id}", json=to_json(rule)))

    async def delete_rule(self, rule_id: str) -> None:
        await self.api.request("DELETE", f"mailbox/rules/{rule_id}")

    async def get_auto_reply(self) -> AutoReply:
        return from_json(AutoReply, await self.api.request("GET", "mailbox/autoreply"))

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply:
        return from_json(AutoReply, await self.api.request("PUT", "mailbox/autoreply", json=to_json(auto_reply)))

    async def list_signatures(self) -> list[Signature]:
        data = await self.api.request("GET", "mailbox/signatures")
        return [from_json(Signature, item) for item in data["signatures"]]

    async def aclose(self) -> None:
        """Stop a listing page read ahead; the HTTP client belongs to the host."""
        await self._ahead.aclose()

"""A mail provider for an API shaped like Gmail's: the history cursor, listing and fetching, label
changes, sending, drafts, attachments, search, filters and the vacation responder.

It serves every provider whose mail API follows Gmail's JSON (Gmail, Zoom Mail). Each subclasses
:class:`LabelledMail` with how it sends a request (its client, and what each operation costs or weighs
by the name it is called by here: ``messages.get``, ``filters.list`` ...), how it fetches whole messages
(Gmail batches, Zoom Mail fetches one by one), its labels as folders, and its raw message bodies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, ClassVar

from host.errors import CursorExpired, ProviderError
from host.mime import attachment_bytes
from host.model import AutoReply, Draft, Message, OutgoingMessage, Rule
from host.providers import ChangePage, MessagePage, ProviderConnection, ProviderLimits
from host.providers.google_shapes import labels as google_labels
from host.providers.google_shapes import messages as google_messages
from host.providers.google_shapes import settings as google_settings

HISTORY_PAGE = 500
#: Ids a batchModify or batchDelete takes at once.
BATCH_IDS = 1000


class LabelledMail:
    """One signed-in mailbox (a :class:`~host.providers.MailProvider`) but for what each API does its
    own way: folders, fetching whole messages, trash, drafts' listing and bodies, signatures."""

    #: The provider's name in errors the user sees (``Gmail filters cannot ...``).
    SERVICE: ClassVar[str]
    #: The names the API's ``in:`` takes; other folders the host's ``in:`` names are labels.
    IN_NAMES: ClassVar[Collection[str]]
    limits: ClassVar[ProviderLimits]

    def __init__(self, connection: ProviderConnection) -> None:
        self.connection = connection

    # -- what each API does its own way ----------------------------------------------------------------

    async def _call(self, method: str, path: str, operation: str, **options: Any) -> Any:
        """A request under the mailbox's path; ``operation`` names it for the API's quota."""
        raise NotImplementedError

    def _folder_ids(self, label_ids: Sequence[str]) -> tuple[str, ...]:
        raise NotImplementedError

    def _message(self, resource: dict) -> Message:
        return google_messages.message_from_json(resource, self._folder_ids)

    async def _fetch(self, refs: Sequence[tuple[str, str]]) -> tuple[list[Message], list[str]]:
        """Whole messages by (id, thread id), in the order given, and the ids the server no longer has."""
        raise NotImplementedError

    def _raw(self, message: OutgoingMessage) -> dict[str, Any]:
        """The body that sends ``message`` (``raw``, and what else the API takes)."""
        raise NotImplementedError

    def _draft_update(self, draft_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return body

    # -- reading -----------------------------------------------------------------------------------

    async def current_cursor(self) -> str:
        return str((await self._call("GET", "profile", "profile"))["historyId"])

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        refs, next_token = await self._listed(page_token, since)
        messages, _gone = await self._fetch(refs)
        return MessagePage(tuple(messages), next_token)

    async def _listed(
        self, page_token: str | None, since: dt.datetime | None
    ) -> tuple[list[tuple[str, str]], str | None]:
        """One page of the full listing: its messages' (id, thread id), and the next page's token."""
        params: dict[str, Any] = {"maxResults": self.limits.page_size, "includeSpamTrash": True}
        if page_token:
            params["pageToken"] = page_token
        if since is not None:
            params["q"] = f"after:{int(since.timestamp())}"
        listed = await self._call("GET", "messages", "messages.list", params=params)
        return [(ref["id"], ref["threadId"]) for ref in listed.get("messages", [])], listed.get("nextPageToken")

    async def get_message(self, message_id: str) -> Message:
        resource = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "raw"})
        return self._message(resource)

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
        updated = [
            google_messages.update_from_labels(i, found, self._folder_ids)
            for i, (what, found) in state.items()
            if what == "labels"
        ]
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
        for start in range(0, len(ids), BATCH_IDS):
            chunk = list(ids[start : start + BATCH_IDS])
            await self._call("POST", "messages/batchModify", "messages.batchModify", body={"ids": chunk, **body})

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        """Labels keep their ids: the answer is always empty."""
        if folder_id == "TRASH":
            await self.trash(ids)
        else:
            await self._relabel(ids, *google_labels.move_changes(folder_id))
        return {}

    async def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), BATCH_IDS):
            chunk = list(ids[start : start + BATCH_IDS])
            await self._call("POST", "messages/batchDelete", "messages.batchDelete", body={"ids": chunk})

    # -- sending and drafts ---------------------------------------------------------------------------

    async def send(self, message: OutgoingMessage) -> str:
        sent = await self._call("POST", "messages/send", "messages.send", body=self._raw(message))
        return str(sent.get("id", ""))

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        body = {"message": self._raw(message)}
        if draft_id is None:
            saved = await self._call("POST", "drafts", "drafts.create", body=body)
        else:
            saved = await self._call(
                "PUT", f"drafts/{draft_id}", "drafts.update", body=self._draft_update(draft_id, body)
            )
        return Draft(saved["id"], message, saved["message"]["id"], dt.datetime.now(dt.UTC))

    async def delete_draft(self, draft_id: str) -> None:
        await self._call("DELETE", f"drafts/{draft_id}", "drafts.delete")

    async def send_draft(self, draft_id: str) -> str:
        sent = await self._call("POST", "drafts/send", "drafts.send", body={"id": draft_id})
        return str(sent.get("id", ""))

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes:
        """``attachment_id`` is host.mime's part number ("2.1"); the API's part ids count from 0 ("1.0")."""
        resource = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "full"})
        part = _part(resource.get("payload", {}), attachment_id)
        body = (part or {}).get("body", {})
        if body.get("attachmentId"):
            found = await self._call(
                "GET", f"messages/{message_id}/attachments/{body['attachmentId']}", "attachments.get"
            )
            return google_messages.b64decode(found["data"])
        if part is not None and "data" in body:
            return google_messages.b64decode(body["data"])
        # A part the API numbers otherwise (a recovered broken multipart): read it from the raw message.
        raw = await self._call("GET", f"messages/{message_id}", "messages.get", params={"format": "raw"})
        return attachment_bytes(google_messages.b64decode(raw["raw"]), attachment_id)

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        ids: list[str] = []
        page: str | None = None
        while len(ids) < limit:
            params = {
                "q": google_messages.search_query(query, self.IN_NAMES),
                "maxResults": min(500, limit - len(ids)),
                "pageToken": page,
            }
            listed = await self._call("GET", "messages", "messages.list", params=params)
            ids.extend(ref["id"] for ref in listed.get("messages", []))
            page = listed.get("nextPageToken")
            if not page:
                break
        return ids[:limit]

    # -- settings ----------------------------------------------------------------------------------

    async def list_rules(self) -> list[Rule]:
        listed = await self._call("GET", "settings/filters", "filters.list")
        return [google_settings.rule_from_filter(f) for f in (listed or {}).get("filter", [])]

    async def save_rule(self, rule: Rule) -> Rule:
        """Filters cannot be changed: a changed rule is a new filter, then the old one goes."""
        body = google_settings.filter_from_rule(rule, self.SERVICE)
        if rule.id is not None:
            current = await self._call("GET", f"settings/filters/{rule.id}", "filters.get")
            if {k: current.get(k, {}) for k in ("criteria", "action")} == body:
                return google_settings.rule_from_filter(current)
        created = await self._call("POST", "settings/filters", "filters.create", body=body)
        if rule.id is not None:
            await self._call("DELETE", f"settings/filters/{rule.id}", "filters.delete")
        return google_settings.rule_from_filter(created)

    async def delete_rule(self, rule_id: str) -> None:
        await self._call("DELETE", f"settings/filters/{rule_id}", "filters.delete")

    async def get_auto_reply(self) -> AutoReply:
        return google_settings.auto_reply_from_vacation(await self._call("GET", "settings/vacation", "vacation.get"))

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply:
        body = google_settings.vacation_from_auto_reply(auto_reply)
        return google_settings.auto_reply_from_vacation(
            await self._call("PUT", "settings/vacation", "vacation.update", body=body)
        )

    async def aclose(self) -> None:
        """Nothing of its own to release: the host closes the HTTP client."""


def _part(payload: dict, section: str) -> dict | None:
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

"""Microsoft 365 mail through Graph: the host's MailProvider protocol.

Graph has exclusive folders (a message lives in one) and categories (a message carries many): both
become :class:`~host.model.mail.Folder`, categories with ids ``category:<name>`` and ``exclusive=False``.
Conversations are threads (``conversationId``). Sync takes bodies in Graph's structured form, a page
of 100 in one request (Graph meters every request, those inside a ``$batch`` too); opening a message
fetches its MIME content (``$value``), parsed by the host's parser, with the raw bytes.

Sync: Graph's delta is per mail folder. The cursor is one opaque string holding every folder's delta
link and the server time it was taken at; ``changes`` follows them all. Delta does not say whether an
item is new or changed, so a message created after the cursor's time is reported as added (with its
body) and any other as an update of folders and flags (a move keeps the immutable id). The first
round of delta links is taken in the catch-up after a full listing, not before it (see
:meth:`M365MailProvider.current_cursor`).

Graph has no signature API: ``SIGNATURES`` is not among the capabilities and the host keeps signatures.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email.utils
import json
import re
import secrets
from collections.abc import Sequence
from typing import Any

import attrs

from host.errors import CursorExpired, NotSupported, ProviderError
from host.html.text import html_to_text
from host.mime import attachment_bytes, build_message, parse_message
from host.model.mail import (
    Address,
    Attachment,
    AutoReply,
    AutoReplyAudience,
    AutoReplyMode,
    Draft,
    Folder,
    FolderKind,
    Message,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
    Signature,
)
from host.providers.connection import ProviderConnection, ProviderLimits
from host.providers.mail import ChangePage, MessagePage, MessageUpdate
from host.providers.read_ahead import ReadAhead, read_each
from provider_m365.account import MAIL_CAPABILITIES
from provider_m365.graph import GraphClient, graph_error
from provider_m365.timezones import to_windows, zone

PROVIDER = "Microsoft 365"
CAPABILITIES = MAIL_CAPABILITIES
LIMITS = ProviderLimits(max_concurrency=4, batch_size=20, page_size=100)
CATEGORY = "category:"
GRAPH_ATTACHMENT = "graph:"
#: What sync needs of a message besides its MIME content.
META = (
    "id,parentFolderId,conversationId,isRead,flag,categories,receivedDateTime,createdDateTime,"
    "lastModifiedDateTime,hasAttachments"
)
#: A whole message in one request with no MIME to fetch or parse: under Graph's budget (10,000 requests in
#: ten minutes a mailbox) a page of 100 costs one request, where the MIME content costs one a message.
#: The MIME content (``$value``) is fetched when a message is opened (:meth:`M365MailProvider.get_message`).
WHOLE = (
    META + ",subject,from,toRecipients,ccRecipients,bccRecipients,replyTo,body,bodyPreview,"
    "internetMessageId,internetMessageHeaders"
)
ATTACHMENTS = "attachments($select=id,name,contentType,size,isInline,microsoft.graph.fileAttachment/contentId)"
WELL_KNOWN = {
    "inbox": FolderKind.INBOX,
    "sentitems": FolderKind.SENT,
    "drafts": FolderKind.DRAFTS,
    "deleteditems": FolderKind.TRASH,
    "junkemail": FolderKind.SPAM,
    "archive": FolderKind.ARCHIVE,
    "outbox": FolderKind.OUTBOX,
}
#: Outlook's category colour presets.
PRESETS = ("#e7a1a2", "#f9ba89", "#f7dd8f", "#fcfa90", "#78d168", "#9fdcc9", "#c6d2b0", "#9db7e8", "#b5a1e2",
           "#daaec2", "#dad9dc", "#6b7994", "#bfbfbf", "#6f6f6f", "#4f4f4f", "#c11a25", "#e2620d", "#c79930",
           "#b9b300", "#368f2b", "#329b7a", "#778b45", "#2858a5", "#5c3fa3", "#93446b")  # fmt: skip
#: A message created this long before a cursor's server time still counts as new after it (clock steps).
NEW_MARGIN = dt.timedelta(seconds=60)
AUDIENCES = {"none": AutoReplyAudience.NONE, "contactsOnly": AutoReplyAudience.CONTACTS, "all": AutoReplyAudience.ALL}


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _server_time(headers: Any) -> dt.datetime:
    try:
        return email.utils.parsedate_to_datetime(headers["date"])
    except (KeyError, TypeError, ValueError):
        return dt.datetime.now(dt.UTC)


def folder_ids(item: dict[str, Any]) -> tuple[str, ...]:
    return (item["parentFolderId"], *(CATEGORY + name for name in item.get("categories") or ()))


def _flagged(item: dict[str, Any]) -> bool:
    return (item.get("flag") or {}).get("flagStatus") == "flagged"


def _recipients(addresses: Sequence[Address]) -> list[dict[str, Any]]:
    return [{"emailAddress": {"address": a.email, "name": a.name or a.email}} for a in addresses]


def _addresses(items: Any) -> tuple[Address, ...]:
    return tuple(
        Address(str(i["emailAddress"]["address"]), str(i["emailAddress"].get("name") or ""))
        for i in items or ()
        if (i.get("emailAddress") or {}).get("address")
    )


def _attachment(item: dict[str, Any]) -> Attachment:
    return Attachment(
        id=GRAPH_ATTACHMENT + item["id"],
        filename=item.get("name") or "attachment",
        content_type=item.get("contentType") or "application/octet-stream",
        size=int(item.get("size") or 0),
        content_id=item.get("contentId"),
        inline=bool(item.get("isInline")),
        kind=str(item.get("@odata.type", "#microsoft.graph.fileAttachment"))
        .rsplit(".", 1)[1]
        .removesuffix("Attachment"),
    )


def message_from_graph(item: dict[str, Any]) -> Message:
    """A message from Graph's structured form (:data:`WHOLE` with attachments expanded)."""
    body = item.get("body") or {}
    content = str(body.get("content") or "")
    html = content if str(body.get("contentType", "text")).lower() == "html" else None
    headers = tuple((str(h.get("name")), str(h.get("value"))) for h in item.get("internetMessageHeaders") or ())
    lookup = {name.lower(): value for name, value in headers}
    senders = _addresses([item["from"]] if item.get("from") else [])
    return Message(
        id=item["id"],
        thread_id=item.get("conversationId") or item["id"],
        subject=item.get("subject") or "",
        sender=senders[0] if senders else None,
        to=_addresses(item.get("toRecipients")),
        cc=_addresses(item.get("ccRecipients")),
        bcc=_addresses(item.get("bccRecipients")),
        reply_to=_addresses(item.get("replyTo")),
        date=_time(item.get("receivedDateTime")) or dt.datetime.now(dt.UTC),
        folder_ids=folder_ids(item),
        unread=not item.get("isRead", False),
        flagged=_flagged(item),
        snippet=item.get("bodyPreview") or "",
        body_text=html_to_text(html) if html is not None else content,
        body_html=html,
        attachments=tuple(_attachment(a) for a in item.get("attachments") or ()),
        message_id_header=item.get("internetMessageId"),
        in_reply_to=(re.findall(r"<[^>]+>", lookup.get("in-reply-to", "")) or [None])[0],
        references=tuple(re.findall(r"<[^>]+>", lookup.get("references", ""))),
        headers=headers,
        size=len(content.encode()),
    )


def encode_cursor(stamp: dt.datetime, links: dict[str, str], listing: str | None = None) -> str:
    data = {"v": 1, "t": stamp.isoformat(), "links": links, "listing": listing}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, dict[str, str], str | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return dt.datetime.fromisoformat(data["t"]), dict(data["links"]), data.get("listing")
    except (ValueError, KeyError, TypeError) as error:
        raise CursorExpired(f"The Microsoft 365 sync position is unreadable ({type(error).__name__}).") from None


class M365MailProvider:
    """One Exchange Online mailbox."""

    capabilities = CAPABILITIES
    limits = LIMITS

    def __init__(self, connection: ProviderConnection) -> None:
        self.graph = GraphClient(connection)
        self.account = connection.account
        self._well_known: dict[str, str] | None = None
        # The listing under way (see current_cursor) and the ids it brought.
        self._listing: str | None = None
        self._listed: set[str] = set()
        # The next listing page, asked for while the last one was read (see list_messages).
        self._ahead: ReadAhead[dict[str, Any]] = ReadAhead()

    # -- folders ----------------------------------------------------------------------------------

    async def well_known(self) -> dict[str, str]:
        """Well-known folder name -> its id (Graph v1.0 names them only by path)."""
        if self._well_known is None:
            names = list(WELL_KNOWN)
            results = await self.graph.batch(
                [{"method": "GET", "url": f"/me/mailFolders/{n}?$select=id"} for n in names]
            )
            found = {}
            for name, result in zip(names, results, strict=True):
                if result.status == 200:
                    found[name] = result.body["id"]
                elif result.status != 404:  # a mailbox may lack one (no archive): anything else is an error
                    raise graph_error(result.status, result.headers, result.body)
            self._well_known = found
        return self._well_known

    async def _folder_items(self) -> list[dict[str, Any]]:
        params = {"includeHiddenFolders": "true", "$top": "100"}
        level = await self.graph.all("me/mailFolders", params=params)
        found = list(level)
        while level:
            parents = [f for f in level if f.get("childFolderCount")]
            children = await asyncio.gather(
                *(self.graph.all(f"me/mailFolders/{f['id']}/childFolders", params=params) for f in parents)
            )
            level = [child for group in children for child in group]
            found.extend(level)
        return found

    async def list_folders(self) -> list[Folder]:
        well_known = {folder_id: name for name, folder_id in (await self.well_known()).items()}
        items, categories = await asyncio.gather(
            self._folder_items(), self.graph.all("me/outlook/masterCategories", params={"$top": "100"})
        )
        ids = {item["id"] for item in items}
        folders = [
            Folder(
                id=item["id"],
                name=item["displayName"],
                kind=WELL_KNOWN.get(well_known.get(item["id"], ""), FolderKind.CUSTOM),
                exclusive=True,
                parent_id=item.get("parentFolderId") if item.get("parentFolderId") in ids else None,
                hidden=bool(item.get("isHidden")),
                total=item.get("totalItemCount"),
                unread=item.get("unreadItemCount"),
            )
            for item in items
        ]
        for category in categories:
            color = str(category.get("color") or "")
            folders.append(
                Folder(
                    id=CATEGORY + category["displayName"],
                    name=category["displayName"],
                    kind=FolderKind.CATEGORY,
                    exclusive=False,
                    color=PRESETS[int(color[6:])] if color.startswith("preset") and color[6:].isdigit() else None,
                    provider_data={"id": category["id"]},
                )
            )
        return folders

    async def create_folder(self, name: str, parent_id: str | None = None) -> Folder:
        path = f"me/mailFolders/{parent_id}/childFolders" if parent_id else "me/mailFolders"
        item = await self.graph.json("POST", path, json={"displayName": name, "isHidden": False})
        return Folder(item["id"], item["displayName"], exclusive=True, parent_id=parent_id, total=0, unread=0)

    async def rename_folder(self, folder_id: str, name: str) -> Folder:
        if folder_id.startswith(CATEGORY):
            raise NotSupported(PROVIDER, "renaming categories")
        item = await self.graph.json("PATCH", f"me/mailFolders/{folder_id}", json={"displayName": name})
        return Folder(item["id"], item["displayName"], exclusive=True, total=item.get("totalItemCount"))

    async def delete_folder(self, folder_id: str) -> None:
        if folder_id.startswith(CATEGORY):
            category = await self._category_id(folder_id.removeprefix(CATEGORY))
            await self.graph.send("DELETE", f"me/outlook/masterCategories/{category}")
            return
        await self.graph.send("DELETE", f"me/mailFolders/{folder_id}")

    async def _category_id(self, name: str) -> str:
        for category in await self.graph.all("me/outlook/masterCategories"):
            if category["displayName"] == name:
                return category["id"]
        raise ProviderError(f"Microsoft 365 has no category {name!r}.", status=404)

    # -- listing and bodies ---------------------------------------------------------------------

    def _message(self, item: dict[str, Any], raw: bytes) -> Message:
        received = _time(item.get("receivedDateTime"))
        message = parse_message(
            raw,
            id=item["id"],
            thread_id=item.get("conversationId") or item["id"],
            folder_ids=folder_ids(item),
            unread=not item.get("isRead", False),
            flagged=_flagged(item),
            date_fallback=received,
        )
        # The server's arrival time orders the mailbox; the Date header is the sender's clock.
        return attrs.evolve(message, date=received) if received else message

    async def _with_bodies(self, items: Sequence[dict[str, Any]]) -> list[Message]:
        """Whole messages for delta items, 20 a batch, from the structured body (see :data:`WHOLE`)."""
        query = f"$select={WHOLE}&$expand={ATTACHMENTS}"
        requests = [{"method": "GET", "url": f"/me/messages/{item['id']}?{query}"} for item in items]
        return [message_from_graph(item) for item in await self.graph.batch_values(requests)]

    async def list_messages(self, *, page_token: str | None, since: dt.datetime | None) -> MessagePage:
        """A page of the listing; its next page is asked for before this one is read into messages
        (see :mod:`host.providers.read_ahead`): the next call, which the sync engine makes at once,
        finds it on its way."""
        page = await self._ahead.take(page_token, lambda: self._listing_page(page_token, since))
        link = page.get("@odata.nextLink")
        token = self.graph.relative(link) if link else None
        if token is not None:
            self._ahead.start(token, lambda: self.graph.get(token))
        messages = await read_each(page.get("value", []), message_from_graph)
        self._listed.update(m.id for m in messages)
        return MessagePage(tuple(messages), token)

    async def _listing_page(self, page_token: str | None, since: dt.datetime | None) -> dict[str, Any]:
        if page_token:
            return await self.graph.get(page_token)
        params = {
            "$select": WHOLE,
            "$expand": ATTACHMENTS,
            "$orderby": "receivedDateTime desc",
            "$top": str(self.limits.page_size),
        }
        if since is not None:
            params["$filter"] = f"receivedDateTime ge {since.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        return await self.graph.get("me/messages", params=params)

    async def get_message(self, message_id: str) -> Message:
        meta, raw, attachments = await self.graph.batch_values(
            [
                {"method": "GET", "url": f"/me/messages/{message_id}?$select={META}"},
                {"method": "GET", "url": f"/me/messages/{message_id}/$value"},
                {
                    "method": "GET",
                    "url": f"/me/messages/{message_id}/attachments?$select=id,name,contentType,size,isInline",
                },
            ]
        )
        message = self._message(meta, raw)
        # Item and reference attachments are not MIME parts: list them from Graph.
        names = {a.filename for a in message.attachments}
        extra = [
            _attachment(item)
            for item in attachments.get("value", [])
            if item.get("@odata.type") != "#microsoft.graph.fileAttachment" and item.get("name") not in names
        ]
        return attrs.evolve(message, attachments=(*message.attachments, *extra)) if extra else message

    async def fetch_attachment(self, message_id: str, attachment_id: str) -> bytes:
        if attachment_id.startswith(GRAPH_ATTACHMENT):
            item = await self.graph.get(
                f"me/messages/{message_id}/attachments/{attachment_id.removeprefix(GRAPH_ATTACHMENT)}"
            )
            if "contentBytes" not in item:
                raise ProviderError(
                    f"{item.get('name', 'This attachment')} is a link to a file in the cloud, not a file.",
                    hint="Open the message in Outlook on the web to follow the link.",
                )
            return base64.b64decode(item["contentBytes"])
        raw = (await self.graph.send("GET", f"me/messages/{message_id}/$value")).content
        return attachment_bytes(raw, attachment_id)

    # -- sync ---------------------------------------------------------------------------------------

    async def _mail_folder_ids(self) -> list[str]:
        return [item["id"] for item in await self._folder_items()]

    async def _delta(self, folder_id: str, link: str | None) -> tuple[list[dict], str, dt.datetime]:
        """Follow one folder's delta round to its end: (items, the new delta link, server time at the start)."""
        first = True
        stamp = dt.datetime.now(dt.UTC)
        url = link or f"me/mailFolders/{folder_id}/messages/delta"
        params = None if link else {"$select": META}
        items: list[dict] = []
        while True:
            response = await self.graph.send("GET", url, params=params, prefer=("odata.maxpagesize=200",), cursor=True)
            if first:
                stamp, first = _server_time(response.headers), False
            page = response.json()
            items.extend(page.get("value", []))
            if "@odata.deltaLink" in page:
                return items, self.graph.relative(page["@odata.deltaLink"]), stamp
            url, params = page["@odata.nextLink"], None

    async def _fetch_whole(self, items: Any, threshold: dt.datetime) -> list[dict[str, Any]]:
        """The delta items to fetch whole: messages created since ``threshold``, and drafts changed since
        (the only messages whose content changes; the others change folders and flags only)."""
        drafts = (await self.well_known()).get("drafts")

        def whole(item: dict[str, Any]) -> bool:
            if (_time(item.get("createdDateTime")) or threshold) >= threshold:
                return True
            return (
                item.get("parentFolderId") == drafts
                and (_time(item.get("lastModifiedDateTime")) or threshold) >= threshold
            )

        return [item for item in items if whole(item)]

    async def current_cursor(self) -> str:
        """The server's time, and a new listing: cheap, so that the first page comes at once.

        Graph has no "latest" delta link for mail: one takes a full round through every folder. That
        round runs in the catch-up after the listing instead (:meth:`_first_round`), which tells what
        changed since this time from the messages' own timestamps, and what was deleted from the ids
        this session listed.
        """
        response = await self.graph.send("GET", "me/mailFolders/inbox", params={"$select": "id"})
        self._listing, self._listed = secrets.token_hex(8), set()
        return encode_cursor(_server_time(response.headers), {}, self._listing)

    async def _first_round(self, since: dt.datetime, listing: str, folders: list[str]) -> ChangePage:
        if listing != self._listing:
            # The listing was made by another session (the host restarted in between): what it
            # listed is unknown here, so deletions could be missed. A new listing misses nothing.
            raise CursorExpired("The listing this catch-up belongs to was made before a restart.")
        rounds = await asyncio.gather(*(self._delta(f, None) for f in folders))
        present = {item["id"]: item for items, _, _ in rounds for item in items if "@removed" not in item}
        threshold = since - NEW_MARGIN
        new = await self._fetch_whole(present.values(), threshold)
        new_ids = {i["id"] for i in new}
        updated = [
            MessageUpdate(i["id"], folder_ids(i), not i.get("isRead", False), _flagged(i))
            for i in present.values()
            if i["id"] not in new_ids and (_time(i.get("lastModifiedDateTime")) or threshold) >= threshold
        ]
        deleted = tuple(sorted(self._listed - set(present)))
        added = await self._with_bodies(new) if new else []
        self._listed = set()
        stamp = min((r[2] for r in rounds), default=dt.datetime.now(dt.UTC))
        cursor = encode_cursor(stamp, {f: r[1] for f, r in zip(folders, rounds, strict=True)})
        return ChangePage(tuple(added), tuple(updated), deleted, cursor, False)

    async def changes(self, cursor: str) -> ChangePage:
        since, links, listing = decode_cursor(cursor)
        folders = await self._mail_folder_ids()
        if listing is not None:
            return await self._first_round(since, listing, folders)
        if set(links) - set(folders):
            # A folder went away with its messages, and no delta round of it is left to say which.
            raise CursorExpired("A mail folder was deleted on the server since the last sync.")
        rounds = await asyncio.gather(*(self._delta(f, links.get(f)) for f in folders))
        present: dict[str, dict] = {}
        removed: set[str] = set()
        for items, _, _ in rounds:
            for item in items:
                if "@removed" in item:
                    removed.add(item["id"])
                else:
                    present[item["id"]] = item
        new = await self._fetch_whole(present.values(), since - NEW_MARGIN)
        new_ids = {i["id"] for i in new}
        updated = [
            MessageUpdate(i["id"], folder_ids(i), not i.get("isRead", False), _flagged(i))
            for i in present.values()
            if i["id"] not in new_ids
        ]
        added = await self._with_bodies(new) if new else []
        stamp = min((r[2] for r in rounds), default=dt.datetime.now(dt.UTC))
        cursor = encode_cursor(stamp, {f: r[1] for f, r in zip(folders, rounds, strict=True)})
        return ChangePage(tuple(added), tuple(updated), tuple(sorted(removed - set(present))), cursor, False)

    # -- changing messages -------------------------------------------------------------------------

    async def modify(
        self,
        ids: Sequence[str],
        *,
        add_folder_ids: Sequence[str] = (),
        remove_folder_ids: Sequence[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        add_categories = [f.removeprefix(CATEGORY) for f in add_folder_ids if f.startswith(CATEGORY)]
        remove_categories = {f.removeprefix(CATEGORY) for f in remove_folder_ids if f.startswith(CATEGORY)}
        folders_added = [f for f in add_folder_ids if not f.startswith(CATEGORY)]
        folders_removed = [f for f in remove_folder_ids if not f.startswith(CATEGORY)]
        patch: dict[str, Any] = {}
        if unread is not None:
            patch["isRead"] = not unread
        if flagged is not None:
            patch["flag"] = {"flagStatus": "flagged" if flagged else "notFlagged"}
        bodies = [dict(patch) for _ in ids]
        if add_categories or remove_categories:
            current = await self.graph.batch_values(
                [{"method": "GET", "url": f"/me/messages/{i}?$select=categories"} for i in ids]
            )
            for body, item in zip(bodies, current, strict=True):
                kept = [c for c in item.get("categories") or () if c not in remove_categories]
                body["categories"] = kept + [c for c in add_categories if c not in kept]
        if any(bodies):
            await self.graph.batch_values(
                [
                    {"method": "PATCH", "url": f"/me/messages/{i}", "body": b}
                    for i, b in zip(ids, bodies, strict=True)
                    if b
                ]
            )
        # Folders are exclusive: adding one is a move; taking a message out of its folder archives it.
        if folders_added:
            await self.move(ids, folders_added[-1])
        elif folders_removed:
            await self.move(ids, (await self.well_known())["archive"])

    async def move(self, ids: Sequence[str], folder_id: str) -> dict[str, str]:
        if folder_id.startswith(CATEGORY):
            await self.modify(ids, add_folder_ids=[folder_id])
            return {}
        moved = await self.graph.batch_values(
            [{"method": "POST", "url": f"/me/messages/{i}/move", "body": {"destinationId": folder_id}} for i in ids]
        )
        # With immutable ids a message keeps its id; the mapping is there for servers that ignore the header.
        return {old: item["id"] for old, item in zip(ids, moved, strict=True) if item["id"] != old}

    async def trash(self, ids: Sequence[str]) -> None:
        await self.move(ids, "deleteditems")

    async def delete(self, ids: Sequence[str]) -> None:
        await self.graph.batch_values([{"method": "POST", "url": f"/me/messages/{i}/permanentDelete"} for i in ids])

    # -- sending and drafts -------------------------------------------------------------------------

    def _sender(self) -> Address:
        return Address(self.account.email, self.account.display_name)

    async def send(self, message: OutgoingMessage) -> str:
        # MIME keeps our Message-ID, In-Reply-To and References; Graph's JSON send cannot set them.
        mime = build_message(message, sender=self._sender(), message_id=message.message_id_header)
        content = base64.b64encode(mime.as_bytes())
        await self.graph.send("POST", "me/sendMail", content=content, headers={"Content-Type": "text/plain"})
        return await self._sent_id(str(mime["Message-ID"]))

    async def _sent_id(self, message_id_header: str) -> str:
        """sendMail answers 202 without an id: the sent copy is found by its Message-ID ("" until it shows)."""
        found = await self._by_message_id(message_id_header, folder="sentitems")
        return found[0] if found else ""

    @staticmethod
    def _draft_body(message: OutgoingMessage) -> dict[str, Any]:
        html = message.body_html is not None
        return {
            "subject": message.subject,
            "body": {
                "contentType": "html" if html else "text",
                "content": message.body_html if html else message.body_text,
            },
            "toRecipients": _recipients(message.to),
            "ccRecipients": _recipients(message.cc),
            "bccRecipients": _recipients(message.bcc),
        }

    @staticmethod
    def _attachment_body(attachment: Any) -> dict[str, Any]:
        return {
            "@odata.type": "#microsoft.graph.fileAttachment",
            "name": attachment.filename,
            "contentType": attachment.content_type,
            "contentBytes": base64.b64encode(attachment.data).decode(),
            "isInline": attachment.content_id is not None,
            "contentId": attachment.content_id,
        }

    def _draft(self, item: dict[str, Any]) -> Draft:
        body = item.get("body") or {}
        html = str(body.get("contentType", "text")).lower() == "html"
        outgoing = OutgoingMessage(
            to=_addresses(item.get("toRecipients")),
            cc=_addresses(item.get("ccRecipients")),
            bcc=_addresses(item.get("bccRecipients")),
            subject=item.get("subject") or "",
            body_text="" if html else str(body.get("content") or ""),
            body_html=str(body.get("content") or "") if html else None,
            thread_id=item.get("conversationId"),
        )
        return Draft(item["id"], outgoing, item["id"], _time(item.get("lastModifiedDateTime")))

    async def list_drafts(self) -> list[Draft]:
        select = "id,subject,body,toRecipients,ccRecipients,bccRecipients,conversationId,lastModifiedDateTime"
        items = await self.graph.all("me/mailFolders/drafts/messages", params={"$select": select, "$top": "100"})
        return [self._draft(item) for item in items]

    async def save_draft(self, draft_id: str | None, message: OutgoingMessage) -> Draft:
        body = self._draft_body(message)
        if draft_id is None:
            originals = await self._by_message_id(message.in_reply_to) if message.in_reply_to else []
            original = originals[0] if originals else None
            if original is not None:
                # A reply made on the server lands in the original's conversation with the right headers.
                created = await self.graph.json("POST", f"me/messages/{original}/createReply", json={})
                draft_id = created["id"]
            else:
                body["attachments"] = [self._attachment_body(a) for a in message.attachments]
                return self._draft(await self.graph.json("POST", "me/messages", json=body))
        item = await self.graph.json("PATCH", f"me/messages/{draft_id}", json=body)
        existing = await self.graph.all(f"me/messages/{draft_id}/attachments", params={"$select": "id,name"})
        for attachment in existing:
            await self.graph.send("DELETE", f"me/messages/{draft_id}/attachments/{attachment['id']}")
        for attachment in message.attachments:
            await self.graph.json("POST", f"me/messages/{draft_id}/attachments", json=self._attachment_body(attachment))
        return self._draft(item)

    async def _by_message_id(self, message_id_header: str, *, folder: str | None = None) -> list[str]:
        """Ids of the messages with this Message-ID header (in ``folder`` when given)."""
        value = message_id_header.strip()
        value = value if value.startswith("<") else f"<{value}>"
        path = f"me/mailFolders/{folder}/messages" if folder else "me/messages"
        params = {"$filter": f"internetMessageId eq '{value.replace(chr(39), chr(39) * 2)}'", "$select": "id"}
        return [item["id"] for item in (await self.graph.get(path, params=params)).get("value", [])]

    async def create_reply(self, message_id: str, *, reply_all: bool = False, comment: str = "") -> Draft:
        """A reply draft made by the server (createReply / createReplyAll), quoting the original."""
        action = "createReplyAll" if reply_all else "createReply"
        return self._draft(
            await self.graph.json("POST", f"me/messages/{message_id}/{action}", json={"comment": comment})
        )

    async def create_forward(self, message_id: str, to: Sequence[Address], *, comment: str = "") -> Draft:
        body = {"comment": comment, "toRecipients": _recipients(to)}
        return self._draft(await self.graph.json("POST", f"me/messages/{message_id}/createForward", json=body))

    async def delete_draft(self, draft_id: str) -> None:
        await self.graph.send("DELETE", f"me/messages/{draft_id}")

    async def send_draft(self, draft_id: str) -> str:
        header = (await self.graph.get(f"me/messages/{draft_id}", params={"$select": "internetMessageId"}))[
            "internetMessageId"
        ]
        await self.graph.send("POST", f"me/messages/{draft_id}/send")
        return await self._sent_id(header)

    # -- search ---------------------------------------------------------------------------------------

    async def search(self, query: str, *, limit: int = 50) -> list[str]:
        operator, _, value = query.strip().partition(":")
        if operator.lower() == "rfc822msgid" and value:
            # What the outbox asks after a crash mid-send; KQL cannot, a filter on the header can.
            return (await self._by_message_id(value))[:limit]
        # KQL takes the host's from:/to:/subject: operators as they are; the whole query goes in quotes.
        params = {"$search": '"' + query.replace('"', "") + '"', "$top": str(limit), "$select": "id"}
        page = await self.graph.get("me/messages", params=params)
        return [item["id"] for item in page.get("value", [])][:limit]

    # -- rules ------------------------------------------------------------------------------------------

    async def list_rules(self) -> list[Rule]:
        archive = (await self.well_known()).get("archive")
        items = await self.graph.all("me/mailFolders/inbox/messageRules")
        return [rule_from_graph(item, archive) for item in items]

    async def save_rule(self, rule: Rule) -> Rule:
        archive = (await self.well_known()).get("archive")
        body = rule_to_graph(rule, archive)
        if rule.id is None:
            item = await self.graph.json("POST", "me/mailFolders/inbox/messageRules", json=body)
        else:
            item = await self.graph.json("PATCH", f"me/mailFolders/inbox/messageRules/{rule.id}", json=body)
        return rule_from_graph(item, archive)

    async def delete_rule(self, rule_id: str) -> None:
        await self.graph.send("DELETE", f"me/mailFolders/inbox/messageRules/{rule_id}")

    # -- auto-reply and signatures -----------------------------------------------------------------------

    async def get_auto_reply(self) -> AutoReply:
        data = await self.graph.get("me/mailboxSettings", params={"$select": "automaticRepliesSetting"})
        return auto_reply_from_graph(data["automaticRepliesSetting"])

    async def set_auto_reply(self, auto_reply: AutoReply) -> AutoReply:
        body = {"automaticRepliesSetting": auto_reply_to_graph(auto_reply)}
        data = await self.graph.json("PATCH", "me/mailboxSettings", json=body)
        return auto_reply_from_graph(data["automaticRepliesSetting"])

    async def list_signatures(self) -> list[Signature]:
        raise NotSupported(PROVIDER, "signatures on the server (the host keeps them)")

    async def aclose(self) -> None:
        """Stop a listing page read ahead; the HTTP client belongs to the host."""
        await self._ahead.aclose()


# -- rules ------------------------------------------------------------------------------------------------


def _predicates(conditions: RuleConditions) -> dict[str, Any]:
    if conditions.query or conditions.negated_query:
        raise NotSupported(PROVIDER, "rules with a search query (use sender, recipient, subject or body words)")
    if conditions.has_attachment is False:
        raise NotSupported(PROVIDER, "rules for messages without attachments")
    data: dict[str, Any] = {}
    for name, values in (
        ("senderContains", conditions.from_contains),
        ("recipientContains", conditions.to_contains),
        ("subjectContains", conditions.subject_contains),
        ("bodyContains", conditions.body_contains),
    ):
        if values:
            data[name] = list(values)
    if conditions.has_attachment:
        data["hasAttachments"] = True
    if conditions.importance:
        data["importance"] = conditions.importance
    if conditions.size_larger_than is not None or conditions.size_smaller_than is not None:
        # Graph measures in kilobytes.
        data["withinSizeRange"] = {
            "minimumSize": (conditions.size_larger_than or 0) // 1024,
            "maximumSize": (conditions.size_smaller_than or 2**31 * 1024) // 1024,
        }
    return data


def _conditions(data: dict[str, Any] | None) -> RuleConditions:
    data = data or {}
    size = data.get("withinSizeRange") or {}
    maximum = size.get("maximumSize")
    return RuleConditions(
        from_contains=tuple(data.get("senderContains") or ()),
        to_contains=tuple(data.get("recipientContains") or ()),
        subject_contains=tuple(data.get("subjectContains") or ()),
        body_contains=tuple(data.get("bodyContains") or ()),
        has_attachment=True if data.get("hasAttachments") else None,
        importance=data.get("importance"),
        size_larger_than=size["minimumSize"] * 1024 if size.get("minimumSize") else None,
        size_smaller_than=maximum * 1024 if maximum and maximum < 2**31 else None,
    )


def rule_to_graph(rule: Rule, archive_id: str | None) -> dict[str, Any]:
    actions = rule.actions
    if actions.remove_folder_ids:
        raise NotSupported(PROVIDER, "rules that remove a category")
    if actions.mark_flagged:
        raise NotSupported(PROVIDER, "rules that flag messages")
    if actions.archive and actions.move_to_folder_id:
        raise NotSupported(PROVIDER, "rules that both archive and move (a message is in one folder)")
    graph_actions: dict[str, Any] = {}
    target = archive_id if actions.archive else actions.move_to_folder_id
    if target:
        graph_actions["moveToFolder"] = target
    categories = [f.removeprefix(CATEGORY) for f in actions.add_folder_ids if f.startswith(CATEGORY)]
    copies = [f for f in actions.add_folder_ids if not f.startswith(CATEGORY)]
    if len(copies) > 1:
        raise NotSupported(PROVIDER, "rules that copy to several folders")
    if categories:
        graph_actions["assignCategories"] = categories
    if copies:
        graph_actions["copyToFolder"] = copies[0]
    if actions.mark_read:
        graph_actions["markAsRead"] = True
    if actions.delete:
        graph_actions["delete"] = True
    if actions.forward_to:
        graph_actions["forwardTo"] = _recipients(actions.forward_to)
    if actions.stop_processing:
        graph_actions["stopProcessingRules"] = True
    body: dict[str, Any] = {
        "displayName": rule.name,
        "sequence": max(1, rule.sequence),
        "isEnabled": rule.enabled,
        "conditions": _predicates(rule.conditions),
        "actions": graph_actions,
    }
    if rule.exceptions is not None:
        body["exceptions"] = _predicates(rule.exceptions)
    return body


def rule_from_graph(item: dict[str, Any], archive_id: str | None) -> Rule:
    actions = item.get("actions") or {}
    move = actions.get("moveToFolder")
    add = [CATEGORY + c for c in actions.get("assignCategories") or ()]
    if actions.get("copyToFolder"):
        add.append(actions["copyToFolder"])
    exceptions = item.get("exceptions")
    return Rule(
        id=item["id"],
        name=item.get("displayName") or "",
        conditions=_conditions(item.get("conditions")),
        actions=RuleActions(
            add_folder_ids=tuple(add),
            move_to_folder_id=move if move and move != archive_id else None,
            archive=bool(move) and move == archive_id,
            mark_read=bool(actions.get("markAsRead")),
            delete=bool(actions.get("delete") or actions.get("permanentDelete")),
            forward_to=_addresses(actions.get("forwardTo")),
            stop_processing=bool(actions.get("stopProcessingRules")),
        ),
        exceptions=_conditions(exceptions) if exceptions else None,
        enabled=bool(item.get("isEnabled", True)),
        sequence=int(item.get("sequence") or 0),
    )


# -- automatic replies ------------------------------------------------------------------------------------


def _zoned(value: dict[str, Any] | None) -> dt.datetime | None:
    if not value or not value.get("dateTime"):
        return None
    text = str(value["dateTime"])[:26]
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone(value.get("timeZone"))).astimezone(dt.UTC)


def auto_reply_from_graph(data: dict[str, Any]) -> AutoReply:
    internal, external = str(data.get("internalReplyMessage") or ""), str(data.get("externalReplyMessage") or "")
    return AutoReply(
        mode=AutoReplyMode(data.get("status", "disabled")),
        start=_zoned(data.get("scheduledStartDateTime")),
        end=_zoned(data.get("scheduledEndDateTime")),
        internal_message=internal,
        external_message=external,
        audience=AUDIENCES.get(data.get("externalAudience", "all"), AutoReplyAudience.ALL),
        html="<" in internal + external and ">" in internal + external,
    )


def auto_reply_to_graph(auto_reply: AutoReply) -> dict[str, Any]:
    """Graph has no subject for automatic replies, and no "domain only" audience: answering only
    people inside the organisation is ``externalAudience: none``."""
    audience = {v: k for k, v in AUDIENCES.items()}.get(auto_reply.audience, "none")
    data: dict[str, Any] = {
        "status": auto_reply.mode.value,
        "externalAudience": audience,
        "internalReplyMessage": auto_reply.internal_message,
        "externalReplyMessage": auto_reply.external_message,
    }
    for key, value in (("scheduledStartDateTime", auto_reply.start), ("scheduledEndDateTime", auto_reply.end)):
        if value is not None:
            utc = value.astimezone(dt.UTC)
            data[key] = {"dateTime": utc.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": to_windows("UTC")}
    return data

"""Graph's mail routes over :class:`~provider_m365.emulator.mailbox.MailboxState`.

Served under ``/v1.0/me`` and ``/v1.0/users/{user-id}`` (the signed-in user only: mail is not shared
here). Paths, parameters and JSON property names follow the Graph v1.0 CSDL; the emulator's tests check
both against the spec.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import attrs
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from host.mime import attachment_bytes
from host.model.mail import Address
from provider_m365.emulator import odata
from provider_m365.emulator.mailbox import (
    MailboxState,
    StoredAttachment,
    StoredMessage,
    compose,
    file_attachment,
)
from provider_m365.emulator.odata import GraphError, bad_request, not_found

if TYPE_CHECKING:
    from provider_m365.emulator.app import GraphEmulator

READ = ("Mail.Read", "Mail.ReadWrite")
WRITE = ("Mail.ReadWrite",)
SEND = ("Mail.Send",)
SETTINGS_READ = ("MailboxSettings.Read", "MailboxSettings.ReadWrite")
SETTINGS_WRITE = ("MailboxSettings.ReadWrite",)
DEFAULT_SELECT_LIST = 10
MESSAGE_CONTEXT = "users('me')/messages"


def _address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {"emailAddress": {"name": address.name or address.email, "address": address.email}}


def _attachment_id(part_id: str) -> str:
    return "AAMkAT" + base64.urlsafe_b64encode(part_id.encode()).decode().rstrip("=")


def _part_id(attachment_id: str) -> str | None:
    if not attachment_id.startswith("AAMkAT"):
        return None
    text = attachment_id[6:]
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


class MailApi:
    def __init__(self, emulator: GraphEmulator) -> None:
        self.emulator = emulator
        self._rounds: dict[tuple[str, int, int, int], list[tuple[str, Any]]] = {}

    # -- plumbing ----------------------------------------------------------------------------------

    def mailbox(self, request: Request, scopes: tuple[str, ...]) -> MailboxState:
        token = self.emulator.oauth.require_token(request, scopes=scopes)
        user = request.path_params.get("user_id")
        state = self.emulator.mailbox
        if token.email.lower() != state.owner.email.lower():
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        if user is not None and user.lower() not in (state.owner.email.lower(), "me"):
            raise GraphError(403, "ErrorAccessDenied", "Access to another user's mailbox is denied.")
        return state

    @staticmethod
    def message_id(state: MailboxState, message: StoredMessage, request: Request) -> str:
        return message.key if odata.immutable_ids(request) else message.rest_id

    def folder_json(self, state: MailboxState, folder_id: str) -> dict[str, Any]:
        folder = state.folder(folder_id)
        total, unread, children = state.folder_counts(folder.id)
        return {
            "id": folder.id,
            "displayName": folder.name,
            "parentFolderId": folder.parent_id,
            "childFolderCount": children,
            "unreadItemCount": unread,
            "totalItemCount": total,
            "isHidden": folder.hidden,
        }

    def message_json(self, state: MailboxState, message: StoredMessage, request: Request, *, body: bool) -> dict:
        if message.index is not None:
            meta = state.generator.meta(message.index)
            subject, sender, to, cc, bcc = meta.subject, meta.sender, meta.to, meta.cc, ()
            has_attachments = "attachment" in meta.features
        else:
            parsed = state.parsed(message) if message.composed is None else None
            composed = message.composed
            subject = composed.subject if composed else parsed.subject
            sender = state.owner if composed else parsed.sender
            to = composed.to if composed else parsed.to
            cc = composed.cc if composed else parsed.cc
            bcc = composed.bcc if composed else parsed.bcc
            has_attachments = bool(composed.attachments) if composed else parsed.has_attachments
        has_attachments = has_attachments or any(not a.is_inline for a in message.extra_attachments)
        data: dict[str, Any] = {
            "@odata.etag": f'W/"{message.seq}"',
            "id": self.message_id(state, message, request),
            "createdDateTime": odata.utc_stamp(message.created),
            "lastModifiedDateTime": odata.utc_stamp(message.modified),
            "changeKey": str(message.seq),
            "categories": list(message.categories),
            "receivedDateTime": odata.utc_stamp(message.received),
            "sentDateTime": odata.utc_stamp(message.received),
            "hasAttachments": has_attachments,
            "internetMessageId": message.internet_message_id,
            "subject": subject,
            "importance": message.importance,
            "parentFolderId": message.folder_id,
            "conversationId": message.conversation_id,
            "isRead": message.is_read,
            "isDraft": message.is_draft,
            "inferenceClassification": "focused",
            "sender": _address(sender),
            "from": _address(sender),
            "toRecipients": [_address(a) for a in to],
            "ccRecipients": [_address(a) for a in cc],
            "bccRecipients": [_address(a) for a in bcc],
            "replyTo": [],
            "flag": {"flagStatus": message.flag_status},
        }
        wanted = request.query_params.get("$select", "")
        if body or "body" in wanted or "bodyPreview" in wanted:
            parsed = state.parsed(message) if message.composed is None else None
            if message.composed is not None:
                html, text = message.composed.body_html, message.composed.body_text
            else:
                html, text = parsed.body_html, parsed.body_text
            data["bodyPreview"] = " ".join(text.split())[:255] if text else ""
            data["body"] = (
                {"contentType": "html", "content": html} if html else {"contentType": "text", "content": text}
            )
        if "internetMessageHeaders" in wanted:
            headers = state.parsed(message).headers
            data["internetMessageHeaders"] = [{"name": name, "value": value} for name, value in headers]
        if "attachments" in odata.expanded(request):
            data["attachments"] = self._attachments(state, message)
        return data

    def render(self, state: MailboxState, request: Request, *, body: bool = False):
        return lambda message: self.message_json(state, message, request, body=body)

    # -- folders -----------------------------------------------------------------------------------

    async def folders(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._create_folder(request, "msgfolderroot")
        state = self.mailbox(request, READ)
        hidden = request.query_params.get("includeHiddenFolders", "false").lower() == "true"
        items = [f.id for f in state.children("msgfolderroot", hidden)]
        return odata.collection(request, items, "users('me')/mailFolders", lambda i: self.folder_json(state, i))

    async def _create_folder(self, request: Request, parent_id: str) -> Response:
        state = self.mailbox(request, WRITE)
        body = await odata.json_body(request)
        folder = state.create_folder(parent_id, str(body.get("displayName") or ""), bool(body.get("isHidden")))
        return odata.entity(request, self.folder_json(state, folder.id), "users('me')/mailFolders/$entity", 201)

    async def folder(self, request: Request) -> Response:
        folder_id = request.path_params["folder_id"]
        if request.method == "GET":
            state = self.mailbox(request, READ)
            return odata.entity(request, self.folder_json(state, folder_id), "users('me')/mailFolders/$entity")
        state = self.mailbox(request, WRITE)
        if request.method == "DELETE":
            state.delete_folder(folder_id)
            return odata.no_content()
        body = await odata.json_body(request)
        folder = state.rename_folder(folder_id, str(body.get("displayName") or ""))
        return odata.entity(request, self.folder_json(state, folder.id), "users('me')/mailFolders/$entity")

    async def child_folders(self, request: Request) -> Response:
        parent_id = request.path_params["folder_id"]
        if request.method == "POST":
            state = self.mailbox(request, WRITE)
            return await self._create_folder(request, state.folder(parent_id).id)
        state = self.mailbox(request, READ)
        hidden = request.query_params.get("includeHiddenFolders", "false").lower() == "true"
        items = [f.id for f in state.children(state.folder(parent_id).id, hidden)]
        what = f"users('me')/mailFolders('{parent_id}')/childFolders"
        return odata.collection(request, items, what, lambda i: self.folder_json(state, i))

    # -- listing and search ------------------------------------------------------------------------

    def _filtered(self, state: MailboxState, request: Request, folder_id: str | None) -> list[StoredMessage]:
        params = request.query_params
        items = state.in_folder(folder_id) if folder_id else state.newest_first()
        search = params.get("$search")
        if search is not None:
            if params.get("$orderby"):
                raise bad_request("The query parameter '$orderby' is not supported with '$search'.", "BadRequest")
            items = [m for m in items if _matches(state, m, search)]
        for field, op, value in odata.parse_filter(params.get("$filter")):
            items = [m for m in items if _filter_match(m, field, op, value)]
        order = params.get("$orderby", "receivedDateTime desc").strip()
        if order not in ("receivedDateTime desc", "receivedDateTime DESC", "receivedDateTime", "receivedDateTime asc"):
            raise bad_request(f"Unsupported $orderby {order!r}.", "BadRequest")
        if not order.lower().endswith("desc"):
            items = list(reversed(items))
        return items

    async def messages(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.create_draft(request)
        state = self.mailbox(request, READ)
        items = self._filtered(state, request, None)
        return odata.collection(request, items, MESSAGE_CONTEXT, self.render(state, request))

    async def folder_messages(self, request: Request) -> Response:
        state = self.mailbox(request, READ)
        folder = state.folder(request.path_params["folder_id"])
        items = self._filtered(state, request, folder.id)
        what = f"users('me')/mailFolders('{folder.id}')/messages"
        return odata.collection(request, items, what, self.render(state, request))

    async def delta(self, request: Request) -> Response:
        """``mailFolders/{id}/messages/delta``: rounds of pages ending in a delta link.

        A round lists what changed after ``since`` up to ``upto`` (the change counter when the round
        began), ordered by immutable id, so that paging stays stable while other changes happen; what
        changes during a round comes in the next one.
        """
        state = self.mailbox(request, READ)
        folder = state.folder(request.path_params["folder_id"])
        params = request.query_params
        delta_token, skip_token = params.get("$deltatoken"), params.get("$skiptoken")
        if delta_token is not None or skip_token is not None:
            data = odata.decode_token(delta_token or skip_token or "")
            if (
                data is None
                or data.get("f") != folder.id
                or data.get("g") != state.generation
                or (delta_token is not None and self.emulator.faults.should_expire_cursor(request.url.path))
            ):
                raise GraphError(410, "syncStateNotFound", "The sync state generation is not found or expired.")
            since = int(data["s"])
            upto = int(data.get("u", state.seq)) if skip_token else state.seq
            after = str(data.get("k", "")) if skip_token else ""
        else:
            since, upto, after = -1, state.seq, ""
        entries = self._round(state, folder.id, since, upto)
        first = bisect.bisect_right(entries, after, key=lambda e: e[0])
        size = odata.page_size(request, 10)
        page, more = entries[first : first + size], len(entries) > first + size
        render = self.render(state, request)
        values = []
        immutable = odata.immutable_ids(request)
        for key, item in page:
            if isinstance(item, StoredMessage):
                if state.messages.get(key) is item and item.folder_id == folder.id:  # else: next round says
                    values.append(odata.select(render(item), request))
            else:
                removed_id = key if immutable else item.rest_id
                values.append(
                    {"@odata.type": "#microsoft.graph.message", "id": removed_id, "@removed": {"reason": "deleted"}}
                )
        body: dict[str, Any] = {"@odata.context": odata.context(request, "Collection(message)"), "value": values}
        token = {"f": folder.id, "g": state.generation}
        if more:
            skip = odata.encode_token({**token, "s": since, "u": upto, "k": page[-1][0]})
            body["@odata.nextLink"] = odata.link(request, **{"$skiptoken": skip})
        else:
            body["@odata.deltaLink"] = odata.link(request, **{"$deltatoken": odata.encode_token({**token, "s": upto})})
        return JSONResponse(body)

    def _round(self, state: MailboxState, folder_id: str, since: int, upto: int) -> list[tuple[str, Any]]:
        """The entries of one delta round, sorted by id, computed once per round (a round of a large
        folder has hundreds of pages)."""
        key = (folder_id, since, upto, state.generation)
        entries = self._rounds.get(key)
        if entries is None:
            with state.lock:
                present, gone = state.changes(folder_id, since)
            found: list[tuple[str, Any]] = [(m.key, m) for m in present if m.seq <= upto]
            found += [(t.key, t) for t in gone if t.seq <= upto]
            entries = self._rounds[key] = sorted(found, key=lambda e: e[0])
            while len(self._rounds) > 64:
                del self._rounds[next(iter(self._rounds))]
        return entries

    # -- one message ---------------------------------------------------------------------------------

    async def message(self, request: Request) -> Response:
        message_id = request.path_params["message_id"]
        if request.method == "GET":
            state = self.mailbox(request, READ)
            item = self.message_json(state, state.message(message_id), request, body=True)
            return odata.entity(request, item, "users('me')/messages/$entity")
        state = self.mailbox(request, WRITE)
        message = state.message(message_id)
        if request.method == "DELETE":
            state.delete_message(message.key)
            return odata.no_content()
        state.update(message, await odata.json_body(request))
        return odata.entity(
            request, self.message_json(state, message, request, body=True), "users('me')/messages/$entity"
        )

    async def value(self, request: Request) -> Response:
        state = self.mailbox(request, READ)
        raw = state.raw(state.message(request.path_params["message_id"]))
        return Response(raw, media_type="text/plain")

    async def move(self, request: Request) -> Response:
        state = self.mailbox(request, WRITE)
        body = await odata.json_body(request)
        destination = body.get("destinationId")
        if not isinstance(destination, str):
            raise bad_request("destinationId is required.")
        message = state.move(state.message(request.path_params["message_id"]), destination)
        item = self.message_json(state, message, request, body=False)
        return odata.entity(request, item, "users('me')/messages/$entity", 201)

    async def permanent_delete(self, request: Request) -> Response:
        state = self.mailbox(request, WRITE)
        state.delete_message(state.message(request.path_params["message_id"]).key)
        return odata.no_content()

    # -- sending and drafts ----------------------------------------------------------------------------

    async def _mime(self, request: Request) -> bytes | None:
        """The MIME message of a ``text/plain`` body (base64, as Graph takes MIME), else None."""
        if not request.headers.get("content-type", "").startswith("text/plain"):
            return None
        try:
            return base64.b64decode(await request.body(), validate=False)
        except (ValueError, binascii.Error):
            raise bad_request("The MIME content is not base64.", "ErrorMimeContentInvalidBase64String") from None

    async def send_mail(self, request: Request) -> Response:
        state = self.mailbox(request, SEND)
        raw = await self._mime(request)
        if raw is not None:
            sent = state.add_message("sentitems", raw=raw, is_read=True)
        else:
            body = await odata.json_body(request)
            data = body.get("message")
            if not isinstance(data, dict):
                raise bad_request("The message is missing.", "ErrorInvalidRequest")
            outgoing = compose(data)
            if not (outgoing.to or outgoing.cc or outgoing.bcc):
                raise bad_request("At least one recipient is required.", "ErrorInvalidRecipients")
            sent = state.add_message("sentitems", composed=outgoing, is_read=True)
            if body.get("saveToSentItems") is False:
                state.delete_message(sent.key)
        self._deliver_to_self(state, sent)
        return Response(status_code=202)

    def _deliver_to_self(self, state: MailboxState, sent: StoredMessage) -> None:
        """Record the send; a message the owner sends to themselves arrives in their inbox too."""
        parsed = state.parsed(sent)
        state.sent.append(parsed.subject)
        if sent.key not in state.messages:
            return
        everyone = {a.email.lower() for a in (*parsed.to, *parsed.cc, *parsed.bcc)}
        if state.owner.email.lower() in everyone:
            state.add_message("inbox", raw=state.raw(sent), is_read=False, conversation_id=sent.conversation_id)

    async def create_draft(self, request: Request) -> Response:
        state = self.mailbox(request, WRITE)
        raw = await self._mime(request)
        if raw is not None:
            draft = state.add_message("drafts", raw=raw, is_draft=True)
        else:
            draft = state.add_message("drafts", composed=compose(await odata.json_body(request)), is_draft=True)
        return odata.entity(
            request, self.message_json(state, draft, request, body=True), MESSAGE_CONTEXT + "/$entity", 201
        )

    async def create_response(self, request: Request) -> Response:
        """createReply, createReplyAll and createForward: a draft in Drafts, in the conversation."""
        state = self.mailbox(request, WRITE)
        action = request.url.path.rsplit("/", 1)[1]
        original = state.message(request.path_params["message_id"])
        parsed = state.parsed(original)
        body = await odata.json_body(request) if await request.body() else {}
        overrides = body.get("message") or {}
        comment = str(body.get("comment") or "")
        owner = state.owner.email.lower()
        if action == "createForward":
            to: tuple[Address, ...] = ()
            subject = f"FW: {parsed.subject}"
        else:
            to = parsed.reply_to or ((parsed.sender,) if parsed.sender else ())
            if action == "createReplyAll":
                to = (*to, *(a for a in (*parsed.to, *parsed.cc) if a.email.lower() != owner and a not in to))
            subject = f"RE: {parsed.subject}"
        quoted = f"{comment}\n\n-----Original Message-----\n{parsed.body_text}"
        draft_data = compose(
            overrides, compose({"subject": subject, "body": {"contentType": "text", "content": quoted}})
        )
        if "toRecipients" in body:  # createForward's own parameter
            draft_data = compose({"toRecipients": body["toRecipients"]}, draft_data)
        elif "toRecipients" not in overrides:
            draft_data = attrs.evolve(draft_data, to=to)
        draft_data = attrs.evolve(
            draft_data,
            in_reply_to=original.internet_message_id,
            references=(*parsed.references, original.internet_message_id),
        )
        draft = state.add_message(
            "drafts", composed=draft_data, is_draft=True, conversation_id=original.conversation_id
        )
        return odata.entity(
            request, self.message_json(state, draft, request, body=True), MESSAGE_CONTEXT + "/$entity", 201
        )

    async def send_draft(self, request: Request) -> Response:
        state = self.mailbox(request, SEND)
        draft = state.message(request.path_params["message_id"])
        if not draft.is_draft:
            raise bad_request("Only drafts can be sent.", "ErrorInvalidOperation")
        composed = draft.composed
        if composed is not None and not (composed.to or composed.cc or composed.bcc):
            raise bad_request("At least one recipient is required.", "ErrorInvalidRecipients")
        raw = state.raw(draft)
        state.delete_message(draft.key)
        sent = state.add_message(
            "sentitems",
            raw=raw,
            is_read=True,
            conversation_id=draft.conversation_id,
            internet_message_id=draft.internet_message_id,
        )
        self._deliver_to_self(state, sent)
        return Response(status_code=202)

    # -- attachments -------------------------------------------------------------------------------------

    def _attachments(self, state: MailboxState, message: StoredMessage) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for attachment in state.parsed(message).attachments:
            items.append(
                {
                    "@odata.type": "#microsoft.graph.fileAttachment",
                    "id": _attachment_id(attachment.id),
                    "name": attachment.filename,
                    "contentType": attachment.content_type,
                    "size": attachment.size,
                    "isInline": attachment.inline,
                    "contentId": attachment.content_id,
                    "lastModifiedDateTime": odata.utc_stamp(message.modified),
                }
            )
        for extra in message.extra_attachments:
            items.append(
                {
                    "@odata.type": f"#microsoft.graph.{extra.kind}Attachment",
                    "id": extra.id,
                    "name": extra.name,
                    "contentType": extra.content_type,
                    "size": len(extra.data),
                    "isInline": extra.is_inline,
                    "lastModifiedDateTime": odata.utc_stamp(message.modified),
                }
            )
        return items

    async def attachments(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.add_attachment(request)
        state = self.mailbox(request, READ)
        items = self._attachments(state, state.message(request.path_params["message_id"]))
        return odata.collection(request, items, "users('me')/messages/attachments", lambda a: a, default_top=100)

    async def attachment(self, request: Request) -> Response:
        state = self.mailbox(request, READ if request.method == "GET" else WRITE)
        message = state.message(request.path_params["message_id"])
        attachment_id = request.path_params["attachment_id"]
        if request.method == "DELETE":
            state.remove_attachment(message, attachment_id, _part_id(attachment_id))
            return odata.no_content()
        found = next((a for a in self._attachments(state, message) if a["id"] == attachment_id), None)
        if found is None:
            raise not_found("The attachment was not found.")
        part = _part_id(attachment_id)
        if part is not None:
            found["contentBytes"] = base64.b64encode(attachment_bytes(state.raw(message), part)).decode()
        else:
            extra = next(a for a in message.extra_attachments if a.id == attachment_id)
            if extra.kind == "file":
                found["contentBytes"] = base64.b64encode(extra.data).decode()
            elif extra.kind == "item" and "item" in request.query_params.get("$expand", ""):
                found["item"] = {"@odata.type": "#microsoft.graph.message", "subject": extra.name}
        return odata.entity(request, found, "users('me')/messages/attachments/$entity")

    async def add_attachment(self, request: Request) -> Response:
        state = self.mailbox(request, WRITE)
        message = state.message(request.path_params["message_id"])
        if not message.is_draft:
            raise GraphError(403, "ErrorAccessDenied", "Attachments can only be added to drafts.")
        body = await odata.json_body(request)
        kind = str(body.get("@odata.type", "#microsoft.graph.fileAttachment")).rsplit(".", 1)[1]
        if kind == "fileAttachment" and message.composed is not None:
            outgoing = file_attachment(body)
            message.composed = attrs.evolve(message.composed, attachments=(*message.composed.attachments, outgoing))
            state.touch(message)
            message.parsed = None
            found = [a for a in self._attachments(state, message) if a["name"] == outgoing.filename]
            return odata.entity(request, found[-1], "users('me')/messages/attachments/$entity", 201)
        if kind not in ("itemAttachment", "referenceAttachment"):
            raise bad_request(f"Unsupported attachment type {kind}.")
        extra = StoredAttachment(
            state.new_key("AAMkAGa"),
            kind.removesuffix("Attachment"),
            str(body.get("name") or "attachment"),
            str(body.get("contentType") or "application/octet-stream"),
        )
        message.extra_attachments.append(extra)
        state.touch(message)
        found = [a for a in self._attachments(state, message) if a["id"] == extra.id]
        return odata.entity(request, found[0], "users('me')/messages/attachments/$entity", 201)

    # -- categories, rules, settings ---------------------------------------------------------------------

    async def categories(self, request: Request) -> Response:
        if request.method == "POST":
            state = self.mailbox(request, WRITE)
            body = await odata.json_body(request)
            name = str(body.get("displayName") or "").strip()
            if not name or any(c["displayName"].lower() == name.lower() for c in state.categories.values()):
                raise bad_request("The category name is empty or exists already.", "ErrorInvalidRequest")
            category = {"id": state.new_key("cat-"), "displayName": name, "color": str(body.get("color", "none"))}
            state.categories[category["id"]] = category
            return odata.entity(request, category, "users('me')/outlook/masterCategories/$entity", 201)
        state = self.mailbox(request, READ)
        items = list(state.categories.values())
        return odata.collection(request, items, "users('me')/outlook/masterCategories", dict, default_top=100)

    async def category(self, request: Request) -> Response:
        state = self.mailbox(request, READ if request.method == "GET" else WRITE)
        category = state.categories.get(request.path_params["category_id"])
        if category is None:
            raise not_found("The category was not found.")
        if request.method == "DELETE":
            del state.categories[category["id"]]
            return odata.no_content()
        if request.method == "PATCH":
            body = await odata.json_body(request)
            if "color" in body:
                category["color"] = str(body["color"])
        return odata.entity(request, category, "users('me')/outlook/masterCategories/$entity")

    def _inbox(self, state: MailboxState, request: Request) -> None:
        if state.folder(request.path_params["folder_id"]).well_known != "inbox":
            raise bad_request("Message rules live on the inbox only.", "ErrorInvalidRequest")

    async def rules(self, request: Request) -> Response:
        if request.method == "POST":
            state = self.mailbox(request, SETTINGS_WRITE + WRITE)
            self._inbox(state, request)
            body = await odata.json_body(request)
            rule = _rule(state, body, {"id": state.new_key("AQAAAJ"), "hasError": False, "isReadOnly": False})
            state.rules[rule["id"]] = rule
            return odata.entity(request, rule, "users('me')/mailFolders('inbox')/messageRules/$entity", 201)
        state = self.mailbox(request, READ)
        self._inbox(state, request)
        items = sorted(state.rules.values(), key=lambda r: r["sequence"])
        return odata.collection(request, items, "users('me')/mailFolders('inbox')/messageRules", dict, default_top=100)

    async def rule(self, request: Request) -> Response:
        state = self.mailbox(request, READ if request.method == "GET" else SETTINGS_WRITE + WRITE)
        self._inbox(state, request)
        rule = state.rules.get(request.path_params["rule_id"])
        if rule is None:
            raise not_found("The rule was not found.")
        if request.method == "DELETE":
            del state.rules[rule["id"]]
            return odata.no_content()
        if request.method == "PATCH":
            rule = state.rules[rule["id"]] = _rule(state, await odata.json_body(request), rule)
        return odata.entity(request, rule, "users('me')/mailFolders('inbox')/messageRules/$entity")

    async def mailbox_settings(self, request: Request) -> Response:
        if request.method == "GET":
            state = self.mailbox(request, SETTINGS_READ)
            return odata.entity(request, state.settings, "users('me')/mailboxSettings")
        state = self.mailbox(request, SETTINGS_WRITE)
        body = await odata.json_body(request)
        unknown = set(body) - {"automaticRepliesSetting", "timeZone", "language", "@odata.context"}
        if unknown:
            raise bad_request(f"Unknown mailbox settings: {', '.join(sorted(unknown))}.")
        if "automaticRepliesSetting" in body:
            state.settings["automaticRepliesSetting"] = _auto_replies(
                body["automaticRepliesSetting"], state.settings["automaticRepliesSetting"]
            )
        if "timeZone" in body:
            state.settings["timeZone"] = str(body["timeZone"])
        return odata.entity(request, state.settings, "users('me')/mailboxSettings")

    # -- routes -----------------------------------------------------------------------------------------

    def routes(self, prefix: str) -> list[Route]:
        folder = f"{prefix}/mailFolders/{{folder_id}}"
        message = f"{prefix}/messages/{{message_id}}"
        routes = [
            Route(f"{prefix}/mailFolders", self.folders, methods=["GET", "POST"]),
            Route(folder, self.folder, methods=["GET", "PATCH", "DELETE"]),
            Route(f"{folder}/childFolders", self.child_folders, methods=["GET", "POST"]),
            Route(f"{folder}/messages", self.folder_messages, methods=["GET"]),
            Route(f"{folder}/messages/delta()", self.delta, methods=["GET"]),
            Route(f"{folder}/messages/delta", self.delta, methods=["GET"]),
            Route(f"{folder}/messageRules", self.rules, methods=["GET", "POST"]),
            Route(f"{folder}/messageRules/{{rule_id}}", self.rule, methods=["GET", "PATCH", "DELETE"]),
            Route(f"{prefix}/messages", self.messages, methods=["GET", "POST"]),
            Route(message, self.message, methods=["GET", "PATCH", "DELETE"]),
            Route(f"{message}/$value", self.value, methods=["GET"]),
            Route(f"{message}/move", self.move, methods=["POST"]),
            Route(f"{message}/permanentDelete", self.permanent_delete, methods=["POST"]),
            Route(f"{message}/createReply", self.create_response, methods=["POST"]),
            Route(f"{message}/createReplyAll", self.create_response, methods=["POST"]),
            Route(f"{message}/createForward", self.create_response, methods=["POST"]),
            Route(f"{message}/send", self.send_draft, methods=["POST"]),
            Route(f"{message}/attachments", self.attachments, methods=["GET", "POST"]),
            Route(f"{message}/attachments/{{attachment_id}}", self.attachment, methods=["GET", "DELETE"]),
            Route(f"{prefix}/sendMail", self.send_mail, methods=["POST"]),
            Route(f"{prefix}/outlook/masterCategories", self.categories, methods=["GET", "POST"]),
            Route(
                f"{prefix}/outlook/masterCategories/{{category_id}}", self.category, methods=["GET", "PATCH", "DELETE"]
            ),
            Route(f"{prefix}/mailboxSettings", self.mailbox_settings, methods=["GET", "PATCH"]),
        ]
        return routes


# -- helpers -----------------------------------------------------------------------------------------------

_KQL = re.compile(r'(?:(\w+):)?("[^"]*"|\S+)')


def _matches(state: MailboxState, message: StoredMessage, query: str) -> bool:
    """A small KQL: ``word``, ``"a phrase"``, ``from:x``, ``to:x``, ``subject:x``, ``body:x``; all must match."""
    query = query.strip().strip('"') if query.count('"') == 2 and query.strip().startswith('"') else query
    parsed = state.parsed(message) if message.index is None else None
    if message.index is not None:
        meta = state.generator.meta(message.index)
        subject, people = meta.subject, [meta.sender, *meta.to, *meta.cc]
        sender_text = f"{meta.sender.name} {meta.sender.email}".lower()
    else:
        assert parsed is not None
        subject = parsed.subject
        people = [a for a in (parsed.sender, *parsed.to, *parsed.cc) if a]
        sender_text = f"{parsed.sender.name} {parsed.sender.email}".lower() if parsed.sender else ""
    recipients_text = " ".join(f"{a.name} {a.email}" for a in people[1:]).lower()
    for field, term in _KQL.findall(query):
        term = term.strip('"').lower()
        field = field.lower()
        if field == "from":
            haystack = sender_text
        elif field == "to":
            haystack = recipients_text
        elif field == "subject":
            haystack = subject.lower()
        else:
            body = state.search_text(message) if field in ("", "body") else ""
            haystack = body if field == "body" else f"{subject} {sender_text} {recipients_text} {body}".lower()
        if term not in haystack:
            return False
    return True


def _filter_match(message: StoredMessage, field: str, op: str, value: str) -> bool:
    if field == "receivedDateTime":
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        left: Any = message.received
        right: Any = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    elif field == "internetMessageId":
        left, right = message.internet_message_id, value
    elif field == "conversationId":
        left, right = message.conversation_id, value
    elif field == "isRead":
        left, right = message.is_read, value.lower() == "true"
    else:
        raise bad_request(f"Filtering on {field} is not supported.", "BadRequest")
    return {"eq": left == right, "ge": left >= right, "gt": left > right, "le": left <= right, "lt": left < right}[op]


PREDICATES = frozenset(
    {"senderContains", "recipientContains", "subjectContains", "bodyContains", "bodyOrSubjectContains",
     "fromAddresses", "sentToAddresses", "hasAttachments", "importance", "categories", "withinSizeRange",
     "headerContains", "sentToMe", "sentOnlyToMe", "sentCcMe", "isAutomaticReply"}
)  # fmt: skip
ACTIONS = frozenset(
    {"moveToFolder", "copyToFolder", "delete", "permanentDelete", "markAsRead", "markImportance",
     "assignCategories", "forwardTo", "forwardAsAttachmentTo", "redirectTo", "stopProcessingRules"}
)  # fmt: skip


def _rule(state: MailboxState, body: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    rule = dict(base)
    for key in ("displayName", "sequence", "isEnabled"):
        if key in body:
            rule[key] = body[key]
    for key, allowed in (("conditions", PREDICATES), ("exceptions", PREDICATES), ("actions", ACTIONS)):
        if key in body:
            value = body[key] or {}
            unknown = set(value) - allowed
            if unknown:
                raise bad_request(f"Unknown {key}: {', '.join(sorted(unknown))}.")
            rule[key] = value
    if not str(rule.get("displayName") or "").strip():
        raise bad_request("displayName is required.")
    if not isinstance(rule.get("sequence"), int) or rule["sequence"] < 1:
        raise bad_request("sequence must be a positive number.")
    rule.setdefault("isEnabled", True)
    rule.setdefault("conditions", {})
    rule.setdefault("actions", {})
    for key in ("moveToFolder", "copyToFolder"):
        if key in rule["actions"]:
            rule["actions"][key] = state.folder(str(rule["actions"][key])).id
    return rule


def _auto_replies(data: Any, current: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise bad_request("automaticRepliesSetting must be an object.")
    merged = {**current, **data}
    if merged["status"] not in ("disabled", "alwaysEnabled", "scheduled"):
        raise bad_request(f"Unknown status {merged['status']!r}.")
    if merged["externalAudience"] not in ("none", "contactsOnly", "all"):
        raise bad_request(f"Unknown externalAudience {merged['externalAudience']!r}.")
    for key in ("scheduledStartDateTime", "scheduledEndDateTime"):
        value = merged.get(key) or {}
        if not isinstance(value, dict) or "dateTime" not in value:
            raise bad_request(f"{key} needs dateTime and timeZone.")
    return merged

"""Gmail API v1 as the emulator serves it: the handlers of ``/gmail/v1/users/{userId}/...``."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.gmail_query import Candidate, parse
from host.sandbox.labelled_mailbox import StoredMessage
from host.sandbox.mime_payload import attachment_data, b64url, from_b64url, part_id_of, payload
from provider_gmail.emulator.errors import GoogleError, bad_request, not_found
from provider_gmail.emulator.mailbox import GmailMailbox

BASE = "/gmail/v1/users/{userId}"
G = "https://www.googleapis.com/auth/"
FULL = "https://mail.google.com/"
# The scopes that allow each method, as the discovery document lists them.
READ = (FULL, G + "gmail.metadata", G + "gmail.modify", G + "gmail.readonly")
PROFILE = (FULL, G + "gmail.compose", G + "gmail.metadata", G + "gmail.modify", G + "gmail.readonly")
GET = (
    FULL,
    G + "gmail.addons.current.message.action",
    G + "gmail.addons.current.message.metadata",
    G + "gmail.addons.current.message.readonly",
    G + "gmail.metadata",
    G + "gmail.modify",
    G + "gmail.readonly",
)
ATTACHMENT = (
    FULL,
    G + "gmail.addons.current.message.action",
    G + "gmail.addons.current.message.readonly",
    G + "gmail.modify",
    G + "gmail.readonly",
)
MODIFY = (FULL, G + "gmail.modify")
DELETE = (FULL,)
SEND = (FULL, G + "gmail.addons.current.action.compose", G + "gmail.compose", G + "gmail.modify", G + "gmail.send")
DRAFT_WRITE = (FULL, G + "gmail.addons.current.action.compose", G + "gmail.compose", G + "gmail.modify")
DRAFT_READ = (FULL, G + "gmail.compose", G + "gmail.modify", G + "gmail.readonly")
LABELS_READ = (FULL, G + "gmail.labels", G + "gmail.metadata", G + "gmail.modify", G + "gmail.readonly")
LABELS_WRITE = (FULL, G + "gmail.labels", G + "gmail.modify")
SETTINGS_READ = (FULL, G + "gmail.modify", G + "gmail.readonly", G + "gmail.settings.basic")
SETTINGS_WRITE = (G + "gmail.settings.basic",)

FORMATS = ("minimal", "full", "raw", "metadata")
MAX_PAGE = 500


def _page_token(message: StoredMessage) -> str:
    return b64url(f"{message.internal_date}:{message.id}".encode()).rstrip("=")


def _position(token: str | None) -> tuple[int, str] | None:
    if not token:
        return None
    try:
        date, _, message_id = from_b64url(token).decode().partition(":")
        return int(date), message_id
    except (ValueError, UnicodeError):
        raise bad_request("Invalid pageToken", location="pageToken") from None


def _offset_token(offset: int) -> str:
    return b64url(f"o{offset}".encode()).rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = from_b64url(token).decode()
        if not text.startswith("o"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, UnicodeError):
        raise bad_request("Invalid pageToken", location="pageToken") from None


def _raw_of(body: dict) -> bytes:
    text = body.get("raw")
    if not isinstance(text, str) or not text:
        raise bad_request("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise bad_request("Invalid value for ByteString: raw") from None


class GmailApi:
    """The Gmail endpoints over the mailboxes of the emulator's users."""

    def __init__(self, mailboxes: dict[str, GmailMailbox], expire_cursor: Callable[[], bool]) -> None:
        self.mailboxes = mailboxes
        # Asks the fault injector whether a history id should be answered as forgotten.
        self.expire_cursor = expire_cursor

    def mailbox(self, call: Call) -> GmailMailbox:
        user_id = call.path["userId"]
        if user_id != "me" and user_id.lower() != call.user.email.lower():
            raise GoogleError(403, "forbidden", "Delegation denied for " + call.user.email)
        mailbox = self.mailboxes.get(call.user.email.lower())
        if mailbox is None:
            raise GoogleError(400, "failedPrecondition", "Mail service not enabled")
        return mailbox

    # -- rendering -----------------------------------------------------------------------------------

    def render(self, message: StoredMessage, fmt: str, headers: list[str] | None = None) -> dict:
        if fmt not in FORMATS:
            raise bad_request(f"Invalid value for format: {fmt}", location="format")
        raw = message.raw() if fmt != "minimal" else None
        result = {
            "id": message.id,
            "threadId": message.thread_id,
            "labelIds": sorted(message.labels),
            "snippet": message.snippet,
            "sizeEstimate": len(raw) if raw is not None else len(message.raw()),
            "historyId": str(message.history_id),
            "internalDate": str(message.internal_date),
        }
        if fmt == "raw":
            result["raw"] = b64url(raw or b"")
        elif fmt in ("full", "metadata"):
            result["payload"] = payload(
                raw or b"", with_bodies=fmt == "full", only_headers=set(headers) if headers else None
            )
        return result

    # -- selection -----------------------------------------------------------------------------------

    def _matching(self, mailbox: GmailMailbox, call: Call, start: tuple[int, str] | None) -> Iterator[StoredMessage]:
        label_ids = call.args("labelIds")
        for label_id in label_ids:
            if label_id not in mailbox.labels:
                raise bad_request(f"Invalid label: {label_id}")
        query = parse(call.arg("q") or "", mailbox.label_names())
        keep_spam_trash = (
            call.bool_arg("includeSpamTrash") or query.spam_trash or bool({"SPAM", "TRASH"} & set(label_ids))
        )
        for message in mailbox.newest_first(start):
            if any(label_id not in message.labels for label_id in label_ids):
                continue
            if not keep_spam_trash and message.labels & {"SPAM", "TRASH"}:
                continue
            candidate = Candidate(frozenset(message.labels), message.internal_date / 1000, message.facts)
            if query.tests and not query(candidate):
                continue
            yield message

    # -- handlers --------------------------------------------------------------------------------------

    def get_profile(self, call: Call) -> dict:
        return self.mailbox(call).profile()

    def labels_list(self, call: Call) -> dict:
        return {"labels": list(self.mailbox(call).labels.values())}

    def labels_get(self, call: Call) -> dict:
        return self.mailbox(call).label_with_counts(call.path["id"])

    def labels_create(self, call: Call) -> dict:
        return self.mailbox(call).create_label(call.json())

    def labels_update(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path["id"], call.json(), replace=True)

    def labels_patch(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path["id"], call.json(), replace=False)

    def labels_delete(self, call: Call) -> None:
        self.mailbox(call).delete_label(call.path["id"])

    def messages_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        page: list[StoredMessage] = []
        more = False
        for message in self._matching(mailbox, call, _position(call.arg("pageToken"))):
            if len(page) == limit:
                more = True
                break
            page.append(message)
        result: dict = {"resultSizeEstimate": len(page) + (1 if more else 0)}
        if page:
            result["messages"] = [message.ref() for message in page]
        if more:
            result["nextPageToken"] = _page_token(page[-1])
        return result

    def messages_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        return self.render(mailbox.message(call.path["id"]), call.arg("format") or "full", call.args("metadataHeaders"))

    def messages_modify(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.message(call.path["id"])
        mailbox.modify(message, body.get("addLabelIds") or [], body.get("removeLabelIds") or [])
        return self.render(message, "minimal")

    def messages_batch_modify(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        body = call.json()
        ids = body.get("ids") or []
        if len(ids) > 1000:
            raise bad_request("Too many ids: at most 1000 a call.")
        messages = [mailbox.messages[i] for i in ids if i in mailbox.messages]
        for message in messages:
            mailbox.modify(message, body.get("addLabelIds") or [], body.get("removeLabelIds") or [])

    def messages_batch_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        ids = call.json().get("ids") or []
        if len(ids) > 1000:
            raise bad_request("Too many ids: at most 1000 a call.")
        for message_id in ids:
            if message_id in mailbox.messages:
                mailbox.delete(mailbox.messages[message_id])

    def messages_trash(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["id"])
        mailbox.trash(message)
        return self.render(message, "minimal")

    def messages_untrash(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["id"])
        mailbox.untrash(message)
        return self.render(message, "minimal")

    def messages_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        mailbox.delete(mailbox.message(call.path["id"]))

    def messages_send(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.send(_raw_of(body), body.get("threadId") or None)
        return message.ref_with_labels()

    def attachments_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["messageId"])
        part_id = part_id_of(call.path["id"])
        data = attachment_data(message.raw(), part_id) if part_id is not None else None
        if data is None:
            raise bad_request("Invalid attachment token")
        return {"attachmentId": call.path["id"], "size": len(data), "data": b64url(data)}

    def threads_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"))
        seen: set[str] = set()
        threads: list[str] = []
        more = False
        for message in self._matching(mailbox, call, None):
            if message.thread_id in seen:
                continue
            seen.add(message.thread_id)
            if len(seen) <= offset:
                continue
            if len(threads) == limit:
                more = True
                break
            threads.append(message.thread_id)
        result: dict = {"resultSizeEstimate": len(threads) + (1 if more else 0)}
        if threads:
            result["threads"] = [self._thread_summary(mailbox, thread_id) for thread_id in threads]
        if more:
            result["nextPageToken"] = _offset_token(offset + limit)
        return result

    def _thread_summary(self, mailbox: GmailMailbox, thread_id: str) -> dict:
        messages = [mailbox.messages[i] for i in mailbox.threads[thread_id]]
        last = max(messages, key=lambda m: m.key)
        return {"id": thread_id, "snippet": last.snippet, "historyId": str(max(m.history_id for m in messages))}

    def threads_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        thread_id = call.path["id"]
        if thread_id not in mailbox.threads:
            raise not_found()
        messages = sorted((mailbox.messages[i] for i in mailbox.threads[thread_id]), key=lambda m: m.key)
        fmt = call.arg("format") or "full"
        return {
            "id": thread_id,
            "historyId": str(max(m.history_id for m in messages)),
            "messages": [self.render(m, fmt, call.args("metadataHeaders")) for m in messages],
        }

    def history_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        start_text = call.arg("startHistoryId")
        if not start_text or not start_text.isdigit():
            raise bad_request("Missing or invalid startHistoryId", location="startHistoryId")
        if self.expire_cursor():
            raise not_found()
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"))
        records = mailbox.history_since(int(start_text))
        types = set(call.args("historyTypes"))
        label_id = call.arg("labelId")
        kinds = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted"}
        kinds |= {"labelAdded": "labelsAdded", "labelRemoved": "labelsRemoved"}
        unknown = types - set(kinds)
        if unknown:
            raise bad_request(f"Invalid value for historyTypes: {sorted(unknown)[0]}", location="historyTypes")
        wanted = {kinds[t] for t in types} if types else set(kinds.values())
        selected = [
            record
            for record in records
            if wanted & set(record)
            and (
                label_id is None or any(label_id in c["message"]["labelIds"] for k in wanted for c in record.get(k, []))
            )
        ]
        page = selected[offset : offset + limit]
        result: dict = {"historyId": str(mailbox.history_id)}
        if page:
            result["history"] = page
        if offset + limit < len(selected):
            result["nextPageToken"] = _offset_token(offset + limit)
        return result

    def drafts_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"))
        drafts = sorted(mailbox.drafts.items(), key=lambda item: mailbox.messages[item[1]].key, reverse=True)
        page = drafts[offset : offset + limit]
        result: dict = {"resultSizeEstimate": len(drafts)}
        if page:
            result["drafts"] = [{"id": d, "message": mailbox.messages[m].ref()} for d, m in page]
        if offset + limit < len(drafts):
            result["nextPageToken"] = _offset_token(offset + limit)
        return result

    def drafts_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.draft(call.path["id"])
        return {"id": call.path["id"], "message": self.render(message, call.arg("format") or "full")}

    def _draft_message(self, body: dict) -> tuple[bytes, str | None]:
        message = body.get("message")
        if not isinstance(message, dict):
            raise bad_request("Missing draft message")
        return _raw_of(message), message.get("threadId") or None

    def drafts_create(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        draft_id = mailbox.create_draft(raw, thread_id)
        return {"id": draft_id, "message": mailbox.draft(draft_id).ref_with_labels()}

    def drafts_update(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        mailbox.update_draft(call.path["id"], raw, thread_id)
        return {"id": call.path["id"], "message": mailbox.draft(call.path["id"]).ref_with_labels()}

    def drafts_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        message = mailbox.draft(call.path["id"])
        mailbox.delete(message)

    def drafts_send(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        draft_id = body.get("id")
        if not draft_id:
            raise bad_request("Missing draft id")
        if isinstance(body.get("message"), dict) and body["message"].get("raw"):
            raw, thread_id = self._draft_message(body)
            mailbox.update_draft(draft_id, raw, thread_id)
        return mailbox.send_draft(draft_id).ref_with_labels()

    def filters_list(self, call: Call) -> dict:
        filters = list(self.mailbox(call).filters.values())
        return {"filter": filters} if filters else {}

    def filters_get(self, call: Call) -> dict:
        filters = self.mailbox(call).filters
        if call.path["id"] not in filters:
            raise not_found()
        return filters[call.path["id"]]

    def filters_create(self, call: Call) -> dict:
        return self.mailbox(call).create_filter(call.json())

    def filters_delete(self, call: Call) -> None:
        filters = self.mailbox(call).filters
        if filters.pop(call.path["id"], None) is None:
            raise not_found()

    def vacation_get(self, call: Call) -> dict:
        return self.mailbox(call).vacation

    def vacation_update(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        keys = (
            "enableAutoReply",
            "responseSubject",
            "responseBodyPlainText",
            "responseBodyHtml",
            "restrictToContacts",
            "restrictToDomain",
            "startTime",
            "endTime",
        )
        vacation = {key: body[key] for key in keys if key in body}
        start, end = vacation.get("startTime"), vacation.get("endTime")
        if start is not None and end is not None and int(end) < int(start):
            raise bad_request("Vacation end time must be after its start time.")
        mailbox.vacation = vacation
        return vacation

    def send_as_list(self, call: Call) -> dict:
        return {"sendAs": self.mailbox(call).send_as}

    def send_as_get(self, call: Call) -> dict:
        for send_as in self.mailbox(call).send_as:
            if send_as["sendAsEmail"].lower() == call.path["sendAsEmail"].lower():
                return send_as
        raise not_found()

    # -- the table -----------------------------------------------------------------------------------

    def endpoints(self) -> list[Endpoint]:
        e = _endpoint
        listing = {"includeSpamTrash", "labelIds", "maxResults", "pageToken", "q"}
        settings = BASE + "/settings"
        # Fixed segments come before {id} so that ``messages/send`` never matches ``messages/{id}``.
        return [
            e("users.getProfile", "GET", BASE + "/profile", self.get_profile, (), PROFILE),
            e("users.labels.list", "GET", BASE + "/labels", self.labels_list, (), LABELS_READ),
            e("users.labels.create", "POST", BASE + "/labels", self.labels_create, (), LABELS_WRITE),
            e("users.labels.get", "GET", BASE + "/labels/{id}", self.labels_get, (), LABELS_READ),
            e("users.labels.update", "PUT", BASE + "/labels/{id}", self.labels_update, (), LABELS_WRITE),
            e("users.labels.patch", "PATCH", BASE + "/labels/{id}", self.labels_patch, (), LABELS_WRITE),
            e("users.labels.delete", "DELETE", BASE + "/labels/{id}", self.labels_delete, (), LABELS_WRITE),
            e("users.messages.list", "GET", BASE + "/messages", self.messages_list, listing, READ),
            e("users.messages.send", "POST", BASE + "/messages/send", self.messages_send, (), SEND),
            e(
                "users.messages.batchModify",
                "POST",
                BASE + "/messages/batchModify",
                self.messages_batch_modify,
                (),
                MODIFY,
            ),
            e(
                "users.messages.batchDelete",
                "POST",
                BASE + "/messages/batchDelete",
                self.messages_batch_delete,
                (),
                DELETE,
            ),
            e(
                "users.messages.get",
                "GET",
                BASE + "/messages/{id}",
                self.messages_get,
                ("format", "metadataHeaders"),
                GET,
            ),
            e("users.messages.delete", "DELETE", BASE + "/messages/{id}", self.messages_delete, (), DELETE),
            e("users.messages.modify", "POST", BASE + "/messages/{id}/modify", self.messages_modify, (), MODIFY),
            e("users.messages.trash", "POST", BASE + "/messages/{id}/trash", self.messages_trash, (), MODIFY),
            e("users.messages.untrash", "POST", BASE + "/messages/{id}/untrash", self.messages_untrash, (), MODIFY),
            e(
                "users.messages.attachments.get",
                "GET",
                BASE + "/messages/{messageId}/attachments/{id}",
                self.attachments_get,
                (),
                ATTACHMENT,
            ),
            e("users.threads.list", "GET", BASE + "/threads", self.threads_list, listing, READ),
            e("users.threads.get", "GET", BASE + "/threads/{id}", self.threads_get, ("format", "metadataHeaders"), GET),
            e(
                "users.history.list",
                "GET",
                BASE + "/history",
                self.history_list,
                ("historyTypes", "labelId", "maxResults", "pageToken", "startHistoryId"),
                READ,
            ),
            e(
                "users.drafts.list",
                "GET",
                BASE + "/drafts",
                self.drafts_list,
                ("maxResults", "pageToken"),
                DRAFT_READ,
            ),
            e("users.drafts.create", "POST", BASE + "/drafts", self.drafts_create, (), DRAFT_WRITE),
            e("users.drafts.send", "POST", BASE + "/drafts/send", self.drafts_send, (), DRAFT_WRITE),
            e("users.drafts.get", "GET", BASE + "/drafts/{id}", self.drafts_get, ("format",), DRAFT_READ),
            e("users.drafts.update", "PUT", BASE + "/drafts/{id}", self.drafts_update, (), DRAFT_WRITE),
            e("users.drafts.delete", "DELETE", BASE + "/drafts/{id}", self.drafts_delete, (), DRAFT_WRITE),
            e("users.settings.filters.list", "GET", settings + "/filters", self.filters_list, (), SETTINGS_READ),
            e("users.settings.filters.create", "POST", settings + "/filters", self.filters_create, (), SETTINGS_WRITE),
            e("users.settings.filters.get", "GET", settings + "/filters/{id}", self.filters_get, (), SETTINGS_READ),
            e(
                "users.settings.filters.delete",
                "DELETE",
                settings + "/filters/{id}",
                self.filters_delete,
                (),
                SETTINGS_WRITE,
            ),
            e("users.settings.getVacation", "GET", settings + "/vacation", self.vacation_get, (), SETTINGS_READ),
            e("users.settings.updateVacation", "PUT", settings + "/vacation", self.vacation_update, (), SETTINGS_WRITE),
            e("users.settings.sendAs.list", "GET", settings + "/sendAs", self.send_as_list, (), SETTINGS_READ),
            e(
                "users.settings.sendAs.get",
                "GET",
                settings + "/sendAs/{sendAsEmail}",
                self.send_as_get,
                (),
                SETTINGS_READ,
            ),
        ]


def _endpoint(
    method_id: str,
    http_method: str,
    path: str,
    handler: Callable[[Call], object],
    params: tuple[str, ...] | set[str],
    scopes: tuple[str, ...],
) -> Endpoint:
    return Endpoint("gmail." + method_id, http_method, path, handler, frozenset(params), scopes)

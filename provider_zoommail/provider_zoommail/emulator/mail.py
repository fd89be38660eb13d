"""Zoom Mail as the emulator serves it: the handlers of ``/v2/emails/mailboxes/{email}/...``."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.gmail_query import Candidate, parse
from host.sandbox.labelled_mailbox import StoredMessage
from host.sandbox.mime_payload import attachment_data, b64url, from_b64url, part_id_of, payload
from provider_zoommail.emulator.errors import ZoomError, bad_request, not_found
from provider_zoommail.emulator.mailbox import ZoomMailbox

BASE = "/v2/emails/mailboxes/{email}"
# The spec's x-macro-scopes: the user's own scope or the admin's.
READ = ("mail:read", "mail:read:admin")
WRITE = ("mail:write", "mail:write:admin")

HISTORY_GONE = "Not Found. The startHistoryId is no longer kept: sync the mailbox in full."
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
        raise bad_request("Invalid pageToken.") from None


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
        raise bad_request("Invalid pageToken.") from None


def _raw_of(body: dict) -> bytes:
    text = body.get("raw")
    if not isinstance(text, str) or not text:
        raise bad_request("raw is required: the RFC 2822 message, base64url encoded.")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise bad_request("Invalid value for raw: not base64url.") from None


class MailApi:
    """The Zoom Mail endpoints over the mailboxes of the emulator's users."""

    def __init__(self, mailboxes: dict[str, ZoomMailbox], expire_cursor: Callable[[], bool]) -> None:
        self.mailboxes = mailboxes
        # Asks the fault injector whether a history id should be answered as forgotten.
        self.expire_cursor = expire_cursor

    def mailbox(self, call: Call) -> ZoomMailbox:
        email = call.path["email"]
        if email != "me" and email.lower() != call.user.email.lower():
            raise ZoomError(403, f"Forbidden Operation. {call.user.email} may not open the mailbox {email}.")
        mailbox = self.mailboxes.get(call.user.email.lower())
        if mailbox is None:
            raise ZoomError(404, "Not Found. The mailbox has not been provisioned.")
        return mailbox

    # -- rendering -----------------------------------------------------------------------------------

    def render(self, message: StoredMessage, fmt: str, headers: list[str] | None = None) -> dict:
        if fmt not in FORMATS:
            raise bad_request(f"Invalid value for format: {fmt}")
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

    def _matching(self, mailbox: ZoomMailbox, call: Call, start: tuple[int, str] | None) -> Iterator[StoredMessage]:
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
        """``format=full`` (the default) carries the counts; ``basic`` and ``minimal`` do not."""
        mailbox = self.mailbox(call)
        fmt = call.arg("format") or "full"
        if fmt not in ("full", "basic", "minimal"):
            raise bad_request(f"Invalid value for format: {fmt}")
        if fmt == "full":
            return {"labels": [mailbox.label_with_counts(label_id) for label_id in mailbox.labels]}
        if fmt == "minimal":
            return {"labels": [{"id": i, "name": label["name"]} for i, label in mailbox.labels.items()]}
        return {"labels": list(mailbox.labels.values())}

    def labels_get(self, call: Call) -> dict:
        return self.mailbox(call).label_with_counts(call.path["labelId"])

    def labels_create(self, call: Call) -> dict:
        return self.mailbox(call).create_label(call.json())

    def labels_update(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path["labelId"], call.json(), replace=True)

    def labels_patch(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path["labelId"], call.json(), replace=False)

    def labels_delete(self, call: Call) -> None:
        self.mailbox(call).delete_label(call.path["labelId"])

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
        message = mailbox.message(call.path["messageId"])
        return self.render(message, call.arg("format") or "full", call.args("metadataHeaders"))

    def messages_modify(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.message(call.path["messageId"])
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
        message = mailbox.message(call.path["messageId"])
        mailbox.trash(message)
        return self.render(message, "minimal")

    def messages_untrash(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["messageId"])
        mailbox.untrash(message)
        return self.render(message, "minimal")

    def messages_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        mailbox.delete(mailbox.message(call.path["messageId"]))

    def messages_send(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.send(_raw_of(body), None)
        return message.ref_with_labels()

    def attachments_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["messageId"])
        part_id = part_id_of(call.path["attachmentId"])
        data = attachment_data(message.raw(), part_id) if part_id is not None else None
        if data is None:
            raise bad_request("Invalid attachment token")
        return {"attachmentId": call.path["attachmentId"], "size": len(data), "data": b64url(data)}

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

    def _thread_summary(self, mailbox: ZoomMailbox, thread_id: str) -> dict:
        messages = [mailbox.messages[i] for i in mailbox.threads[thread_id]]
        last = max(messages, key=lambda m: m.key)
        return {"id": thread_id, "snippet": last.snippet, "historyId": str(max(m.history_id for m in messages))}

    def threads_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        thread_id = call.path["threadId"]
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
            raise bad_request("Missing or invalid startHistoryId.")
        if self.expire_cursor():
            raise not_found(HISTORY_GONE)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"))
        records = mailbox.history_since(int(start_text))
        types = set(call.args("historyTypes"))
        excluded = set(call.args("excludeHistoryTypes"))
        label_id = call.arg("labelId")
        kinds = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted"}
        kinds |= {"labelAdded": "labelsAdded", "labelRemoved": "labelsRemoved"}
        unknown = (types | excluded) - set(kinds)
        if unknown:
            raise bad_request(f"Invalid value for historyTypes: {sorted(unknown)[0]}")
        wanted = {kinds[t] for t in types} if types else set(kinds.values())
        wanted -= {kinds[t] for t in excluded}
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
        message = mailbox.draft(call.path["draftId"])
        return {"id": call.path["draftId"], "message": self.render(message, call.arg("format") or "full")}

    def _draft_message(self, body: dict) -> tuple[bytes, str | None]:
        message = body.get("message")
        if not isinstance(message, dict):
            raise bad_request("Missing draft message")
        return _raw_of(message), None

    def drafts_create(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        draft_id = mailbox.create_draft(raw, thread_id)
        return {"id": draft_id, "message": mailbox.draft(draft_id).ref_with_labels()}

    def drafts_update(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        mailbox.update_draft(call.path["draftId"], raw, thread_id)
        return {"id": call.path["draftId"], "message": mailbox.draft(call.path["draftId"]).ref_with_labels()}

    def drafts_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        message = mailbox.draft(call.path["draftId"])
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
        if call.path["filterId"] not in filters:
            raise not_found()
        return filters[call.path["filterId"]]

    def filters_create(self, call: Call) -> dict:
        return self.mailbox(call).create_filter(call.json())

    def filters_delete(self, call: Call) -> None:
        filters = self.mailbox(call).filters
        if filters.pop(call.path["filterId"], None) is None:
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
            "enableAlwaysRespond",
            "restrictToContacts",
            "restrictToDomain",
            "startTime",
            "endTime",
        )
        if not isinstance(body.get("enableAutoReply"), bool):
            raise bad_request("Invalid Argument. enableAutoReply is required.")
        vacation = {key: body[key] for key in keys if key in body}
        texts = ("responseSubject", "responseBodyPlainText", "responseBodyHtml")
        if vacation["enableAutoReply"] and not any(vacation.get(key) for key in texts):
            raise bad_request("Invalid Argument. An auto-reply needs a subject or a body.")
        start, end = vacation.get("startTime"), vacation.get("endTime")
        if start is not None and end is not None and int(end) < int(start):
            raise bad_request("Vacation end time must be after its start time.")
        mailbox.vacation = vacation
        return vacation

    # -- the table -----------------------------------------------------------------------------------

    def endpoints(self) -> list[Endpoint]:
        e = _endpoint
        one = ("format", "metadataHeaders")
        listing = ("includeSpamTrash", "labelIds", "maxResults", "pageToken", "q")
        history = ("excludeHistoryTypes", "historyTypes", "labelId", "maxResults", "pageToken", "startHistoryId")
        settings = BASE + "/settings"
        # Fixed segments come before {messageId} so that ``messages/send`` never matches ``messages/{id}``.
        return [
            e("get_mailbox_profile", "GET", BASE + "/profile", self.get_profile, (), READ),
            e("list_labels_in_mailbox", "GET", BASE + "/labels", self.labels_list, ("format",), READ),
            e("create_label_in_mailbox", "POST", BASE + "/labels", self.labels_create, (), WRITE),
            e("get_label_in_mailbox", "GET", BASE + "/labels/{labelId}", self.labels_get, (), READ),
            e("update_label_in_mailbox", "PUT", BASE + "/labels/{labelId}", self.labels_update, (), WRITE),
            e("patch_label_in_mailbox", "PATCH", BASE + "/labels/{labelId}", self.labels_patch, (), WRITE),
            e("delete_label_from_mailbox", "DELETE", BASE + "/labels/{labelId}", self.labels_delete, (), WRITE),
            e("list_emails", "GET", BASE + "/messages", self.messages_list, listing, READ),
            e("send_email", "POST", BASE + "/messages/send", self.messages_send, (), WRITE),
            e("batch_modify_emails", "POST", BASE + "/messages/batchModify", self.messages_batch_modify, (), WRITE),
            e("batch_delete_emails", "POST", BASE + "/messages/batchDelete", self.messages_batch_delete, (), WRITE),
            e("get_email", "GET", BASE + "/messages/{messageId}", self.messages_get, one, READ),
            e("delete_email", "DELETE", BASE + "/messages/{messageId}", self.messages_delete, (), WRITE),
            e("update_email", "POST", BASE + "/messages/{messageId}/modify", self.messages_modify, (), WRITE),
            e("trash_email", "POST", BASE + "/messages/{messageId}/trash", self.messages_trash, (), WRITE),
            e("untrash_email", "POST", BASE + "/messages/{messageId}/untrash", self.messages_untrash, (), WRITE),
            e(
                "get_email_attachment",
                "GET",
                BASE + "/messages/{messageId}/attachments/{attachmentId}",
                self.attachments_get,
                (),
                READ,
            ),
            e("list_email_threads", "GET", BASE + "/threads", self.threads_list, listing, READ),
            e(
                "get_email_thread",
                "GET",
                BASE + "/threads/{threadId}",
                self.threads_get,
                ("format", "metadataHeaders"),
                READ,
            ),
            e("list_mailbox_history", "GET", BASE + "/history", self.history_list, history, READ),
            e("list_draft_emails", "GET", BASE + "/drafts", self.drafts_list, ("maxResults", "pageToken"), READ),
            e("create_draft_email", "POST", BASE + "/drafts", self.drafts_create, (), WRITE),
            e("send_draft_email", "POST", BASE + "/drafts/send", self.drafts_send, (), WRITE),
            e("get_draft_email", "GET", BASE + "/drafts/{draftId}", self.drafts_get, ("format",), READ),
            e("update_draft_email", "PUT", BASE + "/drafts/{draftId}", self.drafts_update, (), WRITE),
            e("delete_draft_email", "DELETE", BASE + "/drafts/{draftId}", self.drafts_delete, (), WRITE),
            e("list_email_filters", "GET", settings + "/filters", self.filters_list, (), READ),
            e("create_email_filter", "POST", settings + "/filters", self.filters_create, (), WRITE),
            e("get_email_filter", "GET", settings + "/filters/{filterId}", self.filters_get, (), READ),
            e("delete_email_filter", "DELETE", settings + "/filters/{filterId}", self.filters_delete, (), WRITE),
            e("get_mail_vacation_response_setting", "GET", settings + "/vacation", self.vacation_get, (), READ),
            e(
                "update_mailbox_vacation_response_setting",
                "PUT",
                settings + "/vacation",
                self.vacation_update,
                (),
                WRITE,
            ),
        ]


def _endpoint(
    operation_id: str,
    http_method: str,
    path: str,
    handler: Callable[[Call], object],
    params: tuple[str, ...],
    scopes: tuple[str, ...],
) -> Endpoint:
    return Endpoint(operation_id, http_method, path, handler, frozenset(params), scopes)

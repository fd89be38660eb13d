"""The mail handlers of an emulator whose mail API follows Gmail's JSON (Gmail, Zoom Mail): profile,
labels, messages, attachments, threads, history, drafts, filters and the vacation responder, over the
users' :class:`host.sandbox.labelled_mailbox.LabelledMailbox`.

Each emulator subclasses :class:`LabelledMailApi` with its path parameters' names, its error texts,
how a call finds its mailbox, and its endpoint table. Errors are
:class:`host.sandbox.api_error.ApiError` or the emulator's own.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import ClassVar

from host.sandbox.api_error import ApiError, bad_request
from host.sandbox.api_routing import Call
from host.sandbox.gmail_query import Candidate, parse
from host.sandbox.labelled_mailbox import LabelledMailbox, StoredMessage
from host.sandbox.mime_payload import attachment_data, b64url, from_b64url, part_id_of, payload

FORMATS = ("minimal", "full", "raw", "metadata")
MAX_PAGE = 500


def _page_token(message: StoredMessage) -> str:
    return b64url(f"{message.internal_date}:{message.id}".encode()).rstrip("=")


def _position(token: str | None, invalid: str) -> tuple[int, str] | None:
    if not token:
        return None
    try:
        date, _, message_id = from_b64url(token).decode().partition(":")
        return int(date), message_id
    except (ValueError, UnicodeError):
        raise bad_request(invalid, location="pageToken") from None


def _offset_token(offset: int) -> str:
    return b64url(f"o{offset}".encode()).rstrip("=")


def _offset(token: str | None, invalid: str) -> int:
    if not token:
        return 0
    try:
        text = from_b64url(token).decode()
        if not text.startswith("o"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, UnicodeError):
        raise bad_request(invalid, location="pageToken") from None


class LabelledMailApi:
    """The mail endpoints over the mailboxes of the emulator's users; subclasses give the class
    attributes, :meth:`mailbox` and :meth:`endpoints`."""

    #: The path parameters that name a label, message, attachment, thread, draft and filter.
    LABEL_ID: ClassVar[str]
    MESSAGE_ID: ClassVar[str]
    ATTACHMENT_ID: ClassVar[str]
    THREAD_ID: ClassVar[str]
    DRAFT_ID: ClassVar[str]
    FILTER_ID: ClassVar[str]
    #: Error texts: a bad page token, a missing or undecodable ``raw``, a bad ``startHistoryId``.
    INVALID_PAGE_TOKEN: ClassVar[str]
    MISSING_RAW: ClassVar[str]
    INVALID_RAW: ClassVar[str]
    INVALID_START_HISTORY_ID: ClassVar[str]
    #: Whether sent messages and drafts may name the thread they join (``threadId``).
    TAKES_THREAD_ID: ClassVar[bool]
    #: The vacation responder's fields a client may write.
    VACATION_FIELDS: ClassVar[tuple[str, ...]]

    def __init__(self, mailboxes: dict[str, LabelledMailbox], expire_cursor: Callable[[], bool]) -> None:
        self.mailboxes = mailboxes
        # Asks the fault injector whether a history id should be answered as forgotten.
        self.expire_cursor = expire_cursor

    def mailbox(self, call: Call) -> LabelledMailbox:
        """The mailbox a call is for, refused when it is not the caller's."""
        raise NotImplementedError

    def _raw_of(self, body: dict) -> bytes:
        text = body.get("raw")
        if not isinstance(text, str) or not text:
            raise bad_request(self.MISSING_RAW)
        try:
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except ValueError:
            raise bad_request(self.INVALID_RAW) from None

    def _thread_of(self, body: dict) -> str | None:
        return (body.get("threadId") or None) if self.TAKES_THREAD_ID else None

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

    def _matching(self, mailbox: LabelledMailbox, call: Call, start: tuple[int, str] | None) -> Iterator[StoredMessage]:
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
        return self.mailbox(call).label_with_counts(call.path[self.LABEL_ID])

    def labels_create(self, call: Call) -> dict:
        return self.mailbox(call).create_label(call.json())

    def labels_update(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path[self.LABEL_ID], call.json(), replace=True)

    def labels_patch(self, call: Call) -> dict:
        return self.mailbox(call).update_label(call.path[self.LABEL_ID], call.json(), replace=False)

    def labels_delete(self, call: Call) -> None:
        self.mailbox(call).delete_label(call.path[self.LABEL_ID])

    def messages_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        page: list[StoredMessage] = []
        more = False
        for message in self._matching(mailbox, call, _position(call.arg("pageToken"), self.INVALID_PAGE_TOKEN)):
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
        return self.render(
            mailbox.message(call.path[self.MESSAGE_ID]), call.arg("format") or "full", call.args("metadataHeaders")
        )

    def messages_modify(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.message(call.path[self.MESSAGE_ID])
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
        message = mailbox.message(call.path[self.MESSAGE_ID])
        mailbox.trash(message)
        return self.render(message, "minimal")

    def messages_untrash(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path[self.MESSAGE_ID])
        mailbox.untrash(message)
        return self.render(message, "minimal")

    def messages_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        mailbox.delete(mailbox.message(call.path[self.MESSAGE_ID]))

    def messages_send(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        message = mailbox.send(self._raw_of(body), self._thread_of(body))
        return message.ref_with_labels()

    def attachments_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        message = mailbox.message(call.path["messageId"])
        part_id = part_id_of(call.path[self.ATTACHMENT_ID])
        data = attachment_data(message.raw(), part_id) if part_id is not None else None
        if data is None:
            raise bad_request("Invalid attachment token")
        return {"attachmentId": call.path[self.ATTACHMENT_ID], "size": len(data), "data": b64url(data)}

    def threads_list(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"), self.INVALID_PAGE_TOKEN)
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

    def _thread_summary(self, mailbox: LabelledMailbox, thread_id: str) -> dict:
        messages = [mailbox.messages[i] for i in mailbox.threads[thread_id]]
        last = max(messages, key=lambda m: m.key)
        return {"id": thread_id, "snippet": last.snippet, "historyId": str(max(m.history_id for m in messages))}

    def threads_get(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        thread_id = call.path[self.THREAD_ID]
        if thread_id not in mailbox.threads:
            raise mailbox.not_found()
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
            raise bad_request(self.INVALID_START_HISTORY_ID, location="startHistoryId")
        if self.expire_cursor():
            raise ApiError(404, mailbox.HISTORY_GONE, reason="notFound")
        limit = call.int_arg("maxResults", 100, minimum=1, maximum=MAX_PAGE)
        offset = _offset(call.arg("pageToken"), self.INVALID_PAGE_TOKEN)
        records = mailbox.history_since(int(start_text))
        types = set(call.args("historyTypes"))
        excluded = set(call.args("excludeHistoryTypes"))
        label_id = call.arg("labelId")
        kinds = {"messageAdded": "messagesAdded", "messageDeleted": "messagesDeleted"}
        kinds |= {"labelAdded": "labelsAdded", "labelRemoved": "labelsRemoved"}
        unknown = (types | excluded) - set(kinds)
        if unknown:
            raise bad_request(f"Invalid value for historyTypes: {sorted(unknown)[0]}", location="historyTypes")
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
        offset = _offset(call.arg("pageToken"), self.INVALID_PAGE_TOKEN)
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
        message = mailbox.draft(call.path[self.DRAFT_ID])
        return {"id": call.path[self.DRAFT_ID], "message": self.render(message, call.arg("format") or "full")}

    def _draft_message(self, body: dict) -> tuple[bytes, str | None]:
        message = body.get("message")
        if not isinstance(message, dict):
            raise bad_request("Missing draft message")
        return self._raw_of(message), self._thread_of(message)

    def drafts_create(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        draft_id = mailbox.create_draft(raw, thread_id)
        return {"id": draft_id, "message": mailbox.draft(draft_id).ref_with_labels()}

    def drafts_update(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        raw, thread_id = self._draft_message(call.json())
        mailbox.update_draft(call.path[self.DRAFT_ID], raw, thread_id)
        return {"id": call.path[self.DRAFT_ID], "message": mailbox.draft(call.path[self.DRAFT_ID]).ref_with_labels()}

    def drafts_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        message = mailbox.draft(call.path[self.DRAFT_ID])
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
        mailbox = self.mailbox(call)
        filters = mailbox.filters
        if call.path[self.FILTER_ID] not in filters:
            raise mailbox.not_found()
        return filters[call.path[self.FILTER_ID]]

    def filters_create(self, call: Call) -> dict:
        return self.mailbox(call).create_filter(call.json())

    def filters_delete(self, call: Call) -> None:
        mailbox = self.mailbox(call)
        if mailbox.filters.pop(call.path[self.FILTER_ID], None) is None:
            raise mailbox.not_found()

    def vacation_get(self, call: Call) -> dict:
        return self.mailbox(call).vacation

    def vacation_update(self, call: Call) -> dict:
        mailbox = self.mailbox(call)
        body = call.json()
        vacation = {key: body[key] for key in self.VACATION_FIELDS if key in body}
        self.check_vacation(body, vacation)
        start, end = vacation.get("startTime"), vacation.get("endTime")
        if start is not None and end is not None and int(end) < int(start):
            raise bad_request("Vacation end time must be after its start time.")
        mailbox.vacation = vacation
        return vacation

    def check_vacation(self, body: dict, vacation: dict) -> None:
        """What the API refuses in a vacation responder beyond an end before its start."""

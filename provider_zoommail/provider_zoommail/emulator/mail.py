"""Zoom Mail as the emulator serves it: the handlers of ``/v2/emails/mailboxes/{email}/...``."""

from __future__ import annotations

from collections.abc import Callable

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.labelled_mail_api import LabelledMailApi
from provider_zoommail.emulator.errors import ZoomError, bad_request
from provider_zoommail.emulator.mailbox import ZoomMailbox

BASE = "/v2/emails/mailboxes/{email}"
# The spec's x-macro-scopes: the user's own scope or the admin's.
READ = ("mail:read", "mail:read:admin")
WRITE = ("mail:write", "mail:write:admin")


class MailApi(LabelledMailApi):
    """The Zoom Mail endpoints over the mailboxes of the emulator's users."""

    mailboxes: dict[str, ZoomMailbox]

    LABEL_ID = "labelId"
    MESSAGE_ID = "messageId"
    ATTACHMENT_ID = "attachmentId"
    THREAD_ID = "threadId"
    DRAFT_ID = "draftId"
    FILTER_ID = "filterId"
    INVALID_PAGE_TOKEN = "Invalid pageToken."
    MISSING_RAW = "raw is required: the RFC 2822 message, base64url encoded."
    INVALID_RAW = "Invalid value for raw: not base64url."
    INVALID_START_HISTORY_ID = "Missing or invalid startHistoryId."
    TAKES_THREAD_ID = False
    VACATION_FIELDS = (
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

    def mailbox(self, call: Call) -> ZoomMailbox:
        email = call.path["email"]
        if email != "me" and email.lower() != call.user.email.lower():
            raise ZoomError(403, f"Forbidden Operation. {call.user.email} may not open the mailbox {email}.")
        mailbox = self.mailboxes.get(call.user.email.lower())
        if mailbox is None:
            raise ZoomError(404, "Not Found. The mailbox has not been provisioned.")
        return mailbox

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

    def check_vacation(self, body: dict, vacation: dict) -> None:
        if not isinstance(body.get("enableAutoReply"), bool):
            raise bad_request("Invalid Argument. enableAutoReply is required.")
        texts = ("responseSubject", "responseBodyPlainText", "responseBodyHtml")
        if vacation["enableAutoReply"] and not any(vacation.get(key) for key in texts):
            raise bad_request("Invalid Argument. An auto-reply needs a subject or a body.")

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

"""Gmail API v1 as the emulator serves it: the handlers of ``/gmail/v1/users/{userId}/...``."""

from __future__ import annotations

from collections.abc import Callable

from host.sandbox.api_routing import Call, Endpoint
from host.sandbox.labelled_mail_api import LabelledMailApi
from provider_gmail.emulator.errors import GoogleError, not_found
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


class GmailApi(LabelledMailApi):
    """The Gmail endpoints over the mailboxes of the emulator's users."""

    mailboxes: dict[str, GmailMailbox]

    LABEL_ID = MESSAGE_ID = ATTACHMENT_ID = THREAD_ID = DRAFT_ID = FILTER_ID = "id"
    INVALID_PAGE_TOKEN = "Invalid pageToken"
    MISSING_RAW = "'raw' RFC822 payload message string or uploading message via /upload/* URL required"
    INVALID_RAW = "Invalid value for ByteString: raw"
    INVALID_START_HISTORY_ID = "Missing or invalid startHistoryId"
    TAKES_THREAD_ID = True
    VACATION_FIELDS = (
        "enableAutoReply",
        "responseSubject",
        "responseBodyPlainText",
        "responseBodyHtml",
        "restrictToContacts",
        "restrictToDomain",
        "startTime",
        "endTime",
    )

    def mailbox(self, call: Call) -> GmailMailbox:
        user_id = call.path["userId"]
        if user_id != "me" and user_id.lower() != call.user.email.lower():
            raise GoogleError(403, "forbidden", "Delegation denied for " + call.user.email)
        mailbox = self.mailboxes.get(call.user.email.lower())
        if mailbox is None:
            raise GoogleError(400, "failedPrecondition", "Mail service not enabled")
        return mailbox

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

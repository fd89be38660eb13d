"""One user's Gmail mailbox as the emulator keeps it (:class:`host.sandbox.labelled_mailbox.LabelledMailbox`)
with Gmail's own: its system labels and ids, sendAs, labels nested by ``a/b`` names. Handlers in
:mod:`provider_gmail.emulator.gmail` call these methods under the emulator's lock."""

from __future__ import annotations

from typing import ClassVar

from host.sandbox.labelled_mailbox import LabelledMailbox, StoredMessage, label_fields
from provider_gmail.emulator.errors import GoogleError, bad_request


class GmailMailbox(LabelledMailbox):
    """One user's mailbox."""

    #: System labels: id -> (labelListVisibility, messageListVisibility). Their name is their id.
    SYSTEM_LABELS: ClassVar[dict[str, tuple[str | None, str | None]]] = {
        "CHAT": ("labelHide", "hide"),
        "SENT": (None, None),
        "INBOX": (None, None),
        "IMPORTANT": (None, None),
        "TRASH": ("labelHide", "hide"),
        "DRAFT": (None, None),
        "SPAM": ("labelHide", "hide"),
        "CATEGORY_FORUMS": ("labelHide", "hide"),
        "CATEGORY_UPDATES": ("labelHide", "hide"),
        "CATEGORY_PERSONAL": ("labelHide", "hide"),
        "CATEGORY_PROMOTIONS": ("labelHide", "hide"),
        "CATEGORY_SOCIAL": ("labelHide", "hide"),
        "STARRED": (None, None),
        "UNREAD": (None, None),
    }
    SERVER_ONLY = frozenset({"DRAFT", "SENT", "CHAT"})
    FIRST_ID = 0x18C0_0000_0000_0000
    MESSAGE_ID_DOMAIN = "mail.gmail.com"
    NOT_FOUND = HISTORY_GONE = "Requested entity was not found."
    NO_RECIPIENT = "Recipient address required"

    def __init__(self, email: str, name: str) -> None:
        super().__init__(email, name)
        self.send_as: list[dict] = [
            {
                "sendAsEmail": email,
                "displayName": name,
                "replyToAddress": "",
                "signature": "",
                "isPrimary": True,
                "isDefault": True,
                "treatAsAlias": False,
                "verificationStatus": "accepted",
            }
        ]

    def _history_record(self, kind: str, message: StoredMessage, change: dict) -> dict:
        return {"id": str(self.history_id), "messages": [message.ref()], kind: [change]}

    # -- labels: nested by "a/b" names ---------------------------------------------------------------

    def _check_name(self, name: str, except_id: str | None = None) -> str:
        name = name.strip()
        if not name:
            raise bad_request("Invalid label name", reason="invalidArgument")
        for label in self.labels.values():
            if label["id"] != except_id and label["name"].lower() == name.lower():
                raise GoogleError(409, "failedPrecondition", "Label name exists or conflicts")
        return name

    def create_label(self, body: dict) -> dict:
        name = self._check_name(str(body.get("name", "")))
        label_id = f"Label_{next(self._label_ids)}"
        label = {"id": label_id, "name": name, "type": "user"}
        label.update(label_fields(body))
        label.setdefault("messageListVisibility", "show")
        label.setdefault("labelListVisibility", "labelShow")
        self.labels[label_id] = label
        return label

    def update_label(self, label_id: str, body: dict, *, replace: bool) -> dict:
        label = self.label(label_id)
        if label["type"] == "system":
            raise bad_request("Invalid update request: system labels cannot be changed.")
        fields = label_fields(body)
        if "name" in body:
            fields["name"] = self._check_name(str(body["name"]), except_id=label_id)
        elif replace:
            raise bad_request("Invalid label name")
        updated = {**({} if replace else label), **fields, "id": label_id, "type": "user"}
        self.labels[label_id] = updated
        return updated

    def delete_label(self, label_id: str) -> None:
        label = self.label(label_id)
        if label["type"] == "system":
            raise bad_request("Invalid delete request")
        self._drop_label(label_id)

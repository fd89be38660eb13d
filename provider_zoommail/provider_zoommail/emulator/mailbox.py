"""One Zoom Mail mailbox as the emulator keeps it (:class:`host.sandbox.labelled_mailbox.LabelledMailbox`:
Zoom Mail's mailbox is Gmail's) with Zoom Mail's own: its system labels (SCHEDULED among them), ids,
error texts, and labels nested by ``parentId``. Handlers in :mod:`provider_zoommail.emulator.mail`
call these methods under the emulator's lock."""

from __future__ import annotations

from typing import ClassVar

from host.sandbox.labelled_mailbox import LabelledMailbox, label_fields
from provider_zoommail.emulator.errors import ZoomError, bad_request


class ZoomMailbox(LabelledMailbox):
    """One user's Zoom Mail mailbox."""

    #: System labels: id -> (labelListVisibility, messageListVisibility); their name is their id. The
    #: spec names INBOX, SENT, DRAFT, SCHEDULED, TRASH, SPAM and IMPORTANT; STARRED and UNREAD are kept
    #: as Gmail keeps them, which Zoom Mail mirrors.
    SYSTEM_LABELS: ClassVar[dict[str, tuple[str | None, str | None]]] = {
        "INBOX": (None, None),
        "SENT": (None, None),
        "DRAFT": (None, None),
        "SCHEDULED": (None, None),
        "TRASH": ("labelHide", "hide"),
        "SPAM": ("labelHide", "hide"),
        "STARRED": (None, None),
        "IMPORTANT": (None, None),
        "UNREAD": (None, None),
    }
    SERVER_ONLY = frozenset({"DRAFT", "SENT", "SCHEDULED"})
    FIRST_ID = 0xE85F_09D6_7065_0000
    MESSAGE_ID_DOMAIN = "zoom.us"
    NOT_FOUND = "Not Found."
    HISTORY_GONE = "Not Found. The startHistoryId is no longer kept: sync the mailbox in full."
    NO_RECIPIENT = "Recipient address required."

    def _message_id(self, number: int) -> str:
        return f"7d4d447700000000_{number:016x}_001"

    def _draft_id(self, number: int) -> str:
        return f"89f1000000000000_{number:016x}_001"

    def _filter_id(self, number: int) -> str:
        return f"{number:016x}"

    def _filter_exists(self) -> Exception:
        return ZoomError(409, "Conflict Operation. The filter exists.")

    # -- labels: nested by parentId ----------------------------------------------------------------

    def _check_name(self, name: str, parent_id: str, except_id: str | None = None) -> str:
        """Names are unique among a label's siblings (Zoom nests by ``parentId``, not by ``a/b`` names)."""
        name = name.strip()
        if not name or "/" in name:
            raise bad_request("Invalid label name.")
        for label in self.labels.values():
            same_parent = label.get("parentId", "") == parent_id
            if label["id"] != except_id and same_parent and label["name"].lower() == name.lower():
                raise ZoomError(409, "Conflict Operation. The label name exists.")
        return name

    def _parent(self, body: dict, default: str = "") -> tuple[str, int]:
        parent_id = str(body.get("parentId", default) or "")
        if not parent_id:
            return "", 1
        parent = self.labels.get(parent_id)
        if parent is None or parent["type"] != "user":
            raise bad_request(f"Invalid parent label: {parent_id}")
        return parent_id, int(parent["labelLevel"]) + 1

    def create_label(self, body: dict) -> dict:
        if "parentId" not in body:
            raise bad_request("parentId is required: an empty string for a top-level label.")
        parent_id, level = self._parent(body)
        name = self._check_name(str(body.get("name", "")), parent_id)
        label_id = f"Label_{next(self._label_ids)}"
        label = {"id": label_id, "name": name, "type": "user", "parentId": parent_id, "labelLevel": level}
        label.update(_label_fields(body))
        label.setdefault("messageListVisibility", "show")
        label.setdefault("labelListVisibility", "labelShow")
        self.labels[label_id] = label
        return label

    def update_label(self, label_id: str, body: dict, *, replace: bool) -> dict:
        label = self.label(label_id)
        if label["type"] == "system":
            raise bad_request("Invalid update request: system labels cannot be changed.")
        if "name" not in body or "parentId" not in body:  # both are required by PUT and PATCH alike
            raise bad_request("name and parentId are required: parentId is an empty string at the top level.")
        parent_id, level = self._parent(body, label.get("parentId", ""))
        if parent_id == label_id or parent_id in self.descendants(label_id):
            raise bad_request("A label cannot be put under itself.")
        fields = _label_fields(body)
        fields["name"] = self._check_name(str(body.get("name", label["name"])), parent_id, except_id=label_id)
        updated = {**({} if replace else label), **fields, "id": label_id, "type": "user"}
        updated.update(parentId=parent_id, labelLevel=level)
        self.labels[label_id] = updated
        for child_id in self.descendants(label_id):
            child = self.labels[child_id]
            child["labelLevel"] = int(self.labels[child["parentId"]]["labelLevel"]) + 1
        return updated

    def descendants(self, label_id: str) -> list[str]:
        """The ids of every label under ``label_id``, parents before children."""
        found: list[str] = []
        frontier = [label_id]
        while frontier:
            children = [i for i, label in self.labels.items() if label.get("parentId") in frontier]
            found.extend(children)
            frontier = children
        return found

    def delete_label(self, label_id: str) -> None:
        """Delete a label with the labels under it; its messages keep their other labels."""
        label = self.label(label_id)
        if label["type"] == "system":
            raise bad_request("Invalid delete request: system labels cannot be deleted.")
        for gone in [*reversed(self.descendants(label_id)), label_id]:
            self._drop_label(gone)

    def path(self, label_id: str) -> str:
        """A label's name with its parents', ``Projekte/Ärger``: what search's ``label:`` takes."""
        label = self.labels[label_id]
        parent = label.get("parentId")
        return f"{self.path(parent)}/{label['name']}" if parent else label["name"]

    def label_names(self) -> dict[str, str]:
        return {label_id: self.path(label_id) for label_id in self.labels}


def _label_fields(body: dict) -> dict:
    if "messageListVisibilitystring" in body:  # the spec's request bodies spell it so
        body = {**body, "messageListVisibility": body["messageListVisibilitystring"]}
    return label_fields(body)

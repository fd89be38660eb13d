"""Gmail labels as the host's folders (:mod:`host.providers.google_shapes.labels`), with Gmail's own.

Archive is "All Mail without INBOX": the synthetic ARCHIVE folder holds what is in no mailbox (not in
the inbox, sent, drafts, spam or trash). Nested names (``Projekte/Ärger``) become a child named
``Ärger`` of ``Projekte``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from host.model import Folder, FolderKind
from host.providers.google_shapes import labels as google_labels

#: Labels that put a message somewhere other than the archive.
PLACES = frozenset({"INBOX", "SENT", "DRAFT", "SPAM", "TRASH"})

SYSTEM: dict[str, tuple[str, FolderKind]] = {
    **google_labels.SYSTEM,
    "CHAT": ("Chats", FolderKind.CUSTOM),
    "CATEGORY_PERSONAL": ("Personal", FolderKind.CATEGORY),
    "CATEGORY_SOCIAL": ("Social", FolderKind.CATEGORY),
    "CATEGORY_PROMOTIONS": ("Promotions", FolderKind.CATEGORY),
    "CATEGORY_UPDATES": ("Updates", FolderKind.CATEGORY),
    "CATEGORY_FORUMS": ("Forums", FolderKind.CATEGORY),
}


def folder_ids(label_ids: Iterable[str]) -> tuple[str, ...]:
    """A message's folders: its labels but UNREAD, and ARCHIVE when it is in no place."""
    return google_labels.folder_ids(label_ids, PLACES)


def to_folders(labels: Sequence[dict]) -> list[Folder]:
    """Gmail label resources (with counts where ``labels.get`` gave them) as folders."""
    by_name = {label["name"]: label["id"] for label in labels if label.get("type") == "user"}
    folders = []
    for label in labels:
        if label["id"] in google_labels.NOT_FOLDERS:
            continue
        if label.get("type") == "system":
            name, kind = google_labels.system_name(label, SYSTEM)
            parent = None
        else:
            kind = FolderKind.CUSTOM
            full = label["name"]
            head, _, leaf = full.rpartition("/")
            parent = by_name.get(head) if head else None
            name = leaf if parent is not None else full
        provider_data = {"name": label["name"], "type": label.get("type", "user")}
        folders.append(
            google_labels.label_folder(label, name=name, kind=kind, parent_id=parent, provider_data=provider_data)
        )
    folders.append(google_labels.archive_folder())
    return folders

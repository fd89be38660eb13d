"""Zoom Mail labels as the host's folders (:mod:`host.providers.google_shapes.labels`: Zoom Mail's
labels are Gmail's), with Zoom Mail's own.

Unlike Gmail's, a label's nesting is explicit (``parentId``, ``labelLevel``) and its name is its own,
not a path; SCHEDULED is a place, so the synthetic ARCHIVE folder holds what is in none of the inbox,
sent, drafts, scheduled, spam or trash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from host.model import Folder, FolderKind
from host.providers.google_shapes import labels as google_labels

#: Labels that put a message somewhere other than the archive.
PLACES = frozenset({"INBOX", "SENT", "DRAFT", "SCHEDULED", "SPAM", "TRASH"})

SYSTEM: dict[str, tuple[str, FolderKind]] = {
    **google_labels.SYSTEM,
    # Sent mail waits here for its undo delay (or a send time) before it goes to SENT.
    "SCHEDULED": ("Scheduled", FolderKind.OUTBOX),
}


def folder_ids(label_ids: Iterable[str]) -> tuple[str, ...]:
    """A message's folders: its labels but UNREAD, and ARCHIVE when it is in no place."""
    return google_labels.folder_ids(label_ids, PLACES)


def to_folders(labels: Sequence[dict]) -> list[Folder]:
    """Label resources (``format=full``, with counts) as folders."""
    folders = []
    for label in labels:
        if label["id"] in google_labels.NOT_FOLDERS:
            continue
        if label.get("type") == "system":
            name, kind = google_labels.system_name(label, SYSTEM)
        else:
            name, kind = label["name"], FolderKind.CUSTOM
        folders.append(
            google_labels.label_folder(
                label,
                name=name,
                kind=kind,
                parent_id=label.get("parentId") or None,
                provider_data={"type": label.get("type", "user")},
            )
        )
    folders.append(google_labels.archive_folder())
    return folders

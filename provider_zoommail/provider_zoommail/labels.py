"""Zoom Mail labels as the host's folders.

Zoom Mail's labels are Gmail's: a message carries many, read is "no UNREAD", starred is STARRED.
Unlike Gmail's, a label's nesting is explicit (``parentId``, ``labelLevel``) and its name is its
own, not a path. The host sees every label as a non-exclusive :class:`Folder`, plus one synthetic
folder, ``ARCHIVE``, which holds what is in no place (not in the inbox, sent, drafts, scheduled,
spam or trash); adding a message to it removes INBOX and taking it out adds INBOX back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from host.model import Folder, FolderKind

ARCHIVE = "ARCHIVE"
#: Labels that put a message somewhere other than the archive.
PLACES = frozenset({"INBOX", "SENT", "DRAFT", "SCHEDULED", "SPAM", "TRASH"})
#: Flags, not folders: UNREAD becomes Message.unread.
NOT_FOLDERS = frozenset({"UNREAD"})

SYSTEM: dict[str, tuple[str, FolderKind]] = {
    "INBOX": ("Inbox", FolderKind.INBOX),
    "SENT": ("Sent", FolderKind.SENT),
    "DRAFT": ("Drafts", FolderKind.DRAFTS),
    # Sent mail waits here for its undo delay (or a send time) before it goes to SENT.
    "SCHEDULED": ("Scheduled", FolderKind.OUTBOX),
    "TRASH": ("Trash", FolderKind.TRASH),
    "SPAM": ("Spam", FolderKind.SPAM),
    "STARRED": ("Starred", FolderKind.STARRED),
    "IMPORTANT": ("Important", FolderKind.IMPORTANT),
}


def folder_ids(label_ids: Iterable[str]) -> tuple[str, ...]:
    """A message's folders: its labels but UNREAD, and ARCHIVE when it is in no place."""
    labels = set(label_ids)
    folders = sorted(labels - NOT_FOLDERS)
    if not labels & PLACES:
        folders.append(ARCHIVE)
    return tuple(folders)


def archive_folder() -> Folder:
    return Folder(ARCHIVE, "Archive", FolderKind.ARCHIVE, provider_data={"synthetic": True})


def to_folders(labels: Sequence[dict]) -> list[Folder]:
    """Label resources (``format=full``, with counts) as folders."""
    folders = []
    for label in labels:
        label_id = label["id"]
        if label_id in NOT_FOLDERS:
            continue
        if label.get("type") == "system":
            name, kind = SYSTEM.get(label_id, (label["name"].title(), FolderKind.CUSTOM))
        else:
            name, kind = label["name"], FolderKind.CUSTOM
        folders.append(
            Folder(
                id=label_id,
                name=name,
                kind=kind,
                exclusive=False,
                parent_id=label.get("parentId") or None,
                color=(label.get("color") or {}).get("backgroundColor"),
                hidden=label.get("labelListVisibility") == "labelHide",
                total=label.get("messagesTotal"),
                unread=label.get("messagesUnread"),
                provider_data={"type": label.get("type", "user")},
            )
        )
    folders.append(archive_folder())
    return folders


def label_changes(
    add_folder_ids: Iterable[str], remove_folder_ids: Iterable[str], unread: bool | None, flagged: bool | None
) -> tuple[list[str], list[str]]:
    """The labels to add and remove for a change of folders and flags."""
    add, remove = set(add_folder_ids), set(remove_folder_ids)
    if ARCHIVE in add:
        add.discard(ARCHIVE)
        remove.add("INBOX")
    if ARCHIVE in remove:
        remove.discard(ARCHIVE)
        add.add("INBOX")
    if unread is not None:
        (add if unread else remove).add("UNREAD")
    if flagged is not None:
        (add if flagged else remove).add("STARRED")
    return sorted(add), sorted(remove - add)


def move_changes(folder_id: str) -> tuple[list[str], list[str]]:
    """Labels to add and remove to move messages to ``folder_id``."""
    match folder_id:
        case "INBOX":
            return ["INBOX"], ["SPAM", "TRASH"]
        case "ARCHIVE":
            return [], ["INBOX", "SPAM", "TRASH"]
        case "SPAM":
            return ["SPAM"], ["INBOX", "TRASH"]
        case "TRASH":
            return ["TRASH"], ["INBOX", "SPAM"]
        case _:
            return [folder_id], ["INBOX", "SPAM", "TRASH"]

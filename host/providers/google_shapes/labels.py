"""Gmail-shaped labels as the host's folders.

Labels are not folders: a message carries many, read is "no UNREAD" and starred is the STARRED
label. The host sees every label as a non-exclusive :class:`Folder`, plus one synthetic folder,
``ARCHIVE``, which holds what is in no place (each provider says which labels are places: the inbox,
sent, drafts, spam, trash ...); adding a message to it removes INBOX and taking it out adds INBOX back.

Serves every provider whose labels follow Gmail's JSON (Gmail, Zoom Mail); each keeps its own system
labels, places and nesting (Gmail's ``a/b`` paths, Zoom Mail's ``parentId``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from host.model import Folder, FolderKind

ARCHIVE = "ARCHIVE"
#: Flags, not folders: UNREAD becomes Message.unread.
NOT_FOLDERS = frozenset({"UNREAD"})

#: The system labels every Gmail-shaped API has, with the host's names and kinds.
SYSTEM: dict[str, tuple[str, FolderKind]] = {
    "INBOX": ("Inbox", FolderKind.INBOX),
    "SENT": ("Sent", FolderKind.SENT),
    "DRAFT": ("Drafts", FolderKind.DRAFTS),
    "TRASH": ("Trash", FolderKind.TRASH),
    "SPAM": ("Spam", FolderKind.SPAM),
    "STARRED": ("Starred", FolderKind.STARRED),
    "IMPORTANT": ("Important", FolderKind.IMPORTANT),
}


def folder_ids(label_ids: Iterable[str], places: Collection[str]) -> tuple[str, ...]:
    """A message's folders: its labels but UNREAD, and ARCHIVE when it is in none of ``places``."""
    labels = set(label_ids)
    folders = sorted(labels - NOT_FOLDERS)
    if not labels & set(places):
        folders.append(ARCHIVE)
    return tuple(folders)


def archive_folder() -> Folder:
    return Folder(ARCHIVE, "Archive", FolderKind.ARCHIVE, provider_data={"synthetic": True})


def system_name(label: dict, system: dict[str, tuple[str, FolderKind]]) -> tuple[str, FolderKind]:
    """A system label's name and kind in the host; one the host does not know keeps its name."""
    return system.get(label["id"], (label["name"].title(), FolderKind.CUSTOM))


def label_folder(label: dict, *, name: str, kind: FolderKind, parent_id: str | None, provider_data: dict) -> Folder:
    """A label resource as a folder: never exclusive, with its colour, visibility and counts."""
    return Folder(
        id=label["id"],
        name=name,
        kind=kind,
        exclusive=False,
        parent_id=parent_id,
        color=(label.get("color") or {}).get("backgroundColor"),
        hidden=label.get("labelListVisibility") == "labelHide",
        total=label.get("messagesTotal"),
        unread=label.get("messagesUnread"),
        provider_data=provider_data,
    )


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
    """Labels to add and remove to move messages to ``folder_id`` (Gmail's web client's "Move to")."""
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

"""Helpers the store's tests share (conftest puts this directory on sys.path)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from host.model.mail import Address, Folder, FolderKind, Message

BASE = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)

FOLDERS = (
    Folder("INBOX", "Inbox", FolderKind.INBOX),
    Folder("SENT", "Sent", FolderKind.SENT),
    Folder("TRASH", "Trash", FolderKind.TRASH),
    Folder("Label_1", "Work Stuff", color="#ff0000"),
    Folder("Label_2", "Travel", parent_id="Label_1", hidden=True),
)


def make_message(n: int, **changes: Any) -> Message:
    """Message ``m<n>``, an hour older for each step of ``n``, in the inbox."""
    fields: dict[str, Any] = {
        "id": f"m{n:04d}",
        "thread_id": f"t{n:04d}",
        "subject": f"Subject number {n}",
        "sender": Address(f"sender{n % 5}@example.com", f"Sender {n % 5}"),
        "to": (Address("me@example.com", "Me"),),
        "date": BASE - dt.timedelta(hours=n),
        "folder_ids": ("INBOX",),
        "body_text": f"Body of message {n}.",
        "snippet": f"Body of message {n}",
        "size": 100 + n,
    }
    fields.update(changes)
    return Message(**fields)

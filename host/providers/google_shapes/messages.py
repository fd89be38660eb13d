"""Gmail-shaped message resources as the host's messages: ``format=raw`` resources, label changes as
updates, and the host's search operators in Gmail's syntax.

Serves every provider whose messages follow Gmail's JSON (Gmail, Zoom Mail); each gives how its labels
become folders and which names its ``in:`` takes.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Sequence

from host.mime import parse_message
from host.model import Message
from host.providers import MessageUpdate

FolderIds = Callable[[Iterable[str]], tuple[str, ...]]


def b64decode(text: str) -> bytes:
    """base64url as the API writes it, padded or not."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def message_from_json(resource: dict, folder_ids: FolderIds) -> Message:
    """A ``format=raw`` message resource as the host's Message (parsed by host.mime, never dropped)."""
    label_ids = resource.get("labelIds", [])
    received = dt.datetime.fromtimestamp(int(resource.get("internalDate", "0")) / 1000, dt.UTC)
    message = parse_message(
        b64decode(resource.get("raw", "")),
        id=resource["id"],
        thread_id=resource["threadId"],
        folder_ids=folder_ids(label_ids),
        unread="UNREAD" in label_ids,
        flagged="STARRED" in label_ids,
        date_fallback=received,
    )
    message.provider_data.update(
        historyId=resource.get("historyId"), labelIds=list(label_ids), internalDate=resource.get("internalDate")
    )
    return message


def update_from_labels(message_id: str, label_ids: Sequence[str], folder_ids: FolderIds) -> MessageUpdate:
    return MessageUpdate(
        id=message_id,
        folder_ids=folder_ids(label_ids),
        unread="UNREAD" in label_ids,
        flagged="STARRED" in label_ids,
    )


def search_query(query: str, in_names: Collection[str]) -> str:
    """The host's operators are Gmail's but for dates (``2024-05-01`` -> ``2024/05/01``), the archive
    and labels, which ``in:`` does not take (``in:Work`` -> ``label:Work``); ``in_names`` are the
    names the API's ``in:`` takes."""

    def place(match: re.Match[str]) -> str:
        negated, value = match.group(1), match.group(2)
        name = value.strip('"').lower()
        if name == "archive":  # no archive label: mail in no place
            places = ("inbox", "sent", "drafts", "spam", "trash")
            if negated:
                return "{" + " ".join(f"in:{p}" for p in places) + "}"
            return " ".join(f"-in:{p}" for p in places)
        if name in in_names:
            return f"{negated}in:{name}"
        return f"{negated}label:{value}"

    query = re.sub(r"\b(before|after):(\d{4})-(\d{2})-(\d{2})\b", r"\1:\2/\3/\4", query)
    return re.sub(r'(?<!\S)(-?)in:("[^"]+"|\S+)', place, query)

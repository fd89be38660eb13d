"""Gmail's labels as the host's folders: archive, read and starred are label changes; nesting and
colours; create, rename (children follow) and delete."""

from __future__ import annotations

import pytest

from host.errors import ProviderError
from host.model import FolderKind
from host.providers.google_shapes.labels import ARCHIVE
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.labels import folder_ids
from provider_gmail.mail import GmailMail


def test_folder_ids_add_archive_only_for_mail_in_no_place() -> None:
    assert folder_ids(["INBOX", "UNREAD", "Label_1"]) == ("INBOX", "Label_1")
    assert folder_ids(["Label_1", "STARRED"]) == ("Label_1", "STARRED", ARCHIVE)
    assert folder_ids(["SENT"]) == ("SENT",)
    assert folder_ids(["TRASH", "Label_2"]) == ("Label_2", "TRASH")


async def test_folders_map_system_labels_nesting_colours_and_counts(mail: GmailMail, emulator: GoogleEmulator) -> None:
    folders = {folder.id: folder for folder in await mail.list_folders()}
    kinds = {folder.kind for folder in folders.values()}
    assert {FolderKind.INBOX, FolderKind.SENT, FolderKind.DRAFTS, FolderKind.TRASH, FolderKind.SPAM} <= kinds
    assert folders[ARCHIVE].kind is FolderKind.ARCHIVE
    assert "UNREAD" not in folders  # a flag, not a folder
    assert all(not folder.exclusive for folder in folders.values())
    by_name = {f.provider_data["name"]: f for f in folders.values() if not f.provider_data.get("synthetic")}
    child, parent = by_name["Projekte/Ärger"], by_name["Projekte"]
    assert child.parent_id == parent.id and child.name == "Ärger" and parent.parent_id is None
    assert by_name["Work"].color == emulator.mailbox.labels[by_name["Work"].id]["color"]["backgroundColor"]
    inbox_total = sum("INBOX" in m.labels for m in emulator.mailbox.messages.values())
    assert folders["INBOX"].total == inbox_total
    assert folders["SPAM"].hidden and not folders["INBOX"].hidden


async def test_archive_read_and_star_change_labels_only(mail: GmailMail, emulator: GoogleEmulator) -> None:
    inbox = [m for m in emulator.mailbox.newest_first() if "INBOX" in m.labels and "UNREAD" in m.labels][:3]
    ids = [m.id for m in inbox]
    before = {m.id: set(m.labels) for m in inbox}
    await mail.modify(ids, add_folder_ids=[ARCHIVE], unread=False, flagged=True)
    for message in inbox:
        assert message.labels == (before[message.id] - {"INBOX", "UNREAD"}) | {"STARRED"}
    fetched = await mail.get_message(ids[0])
    assert ARCHIVE in fetched.folder_ids and "INBOX" not in fetched.folder_ids
    assert fetched.flagged and not fetched.unread
    await mail.modify(ids[:1], remove_folder_ids=[ARCHIVE], unread=True)  # back to the inbox
    assert {"INBOX", "UNREAD"} <= inbox[0].labels
    await mail.move(ids[1:2], "Label_1")
    assert "Label_1" in inbox[1].labels and "INBOX" not in inbox[1].labels
    await mail.move(ids[2:], "TRASH")
    assert "TRASH" in inbox[2].labels
    assert await mail.move(ids[2:], "INBOX") == {}
    assert "INBOX" in inbox[2].labels and "TRASH" not in inbox[2].labels


async def test_labels_are_created_nested_renamed_with_children_and_deleted(
    mail: GmailMail, emulator: GoogleEmulator
) -> None:
    parent = await mail.create_folder("Clients")
    child = await mail.create_folder("Zürich", parent.id)
    grandchild = await mail.create_folder("2026", child.id)
    assert (child.parent_id, child.name) == (parent.id, "Zürich")
    names = emulator.mailbox.label_names()
    assert names[grandchild.id] == "Clients/Zürich/2026"

    renamed = await mail.rename_folder(parent.id, "Kunden")
    assert renamed.name == "Kunden"
    names = emulator.mailbox.label_names()
    assert names[child.id] == "Kunden/Zürich" and names[grandchild.id] == "Kunden/Zürich/2026"
    folders = {f.id: f for f in await mail.list_folders()}
    assert folders[grandchild.id].parent_id == child.id

    message = next(emulator.mailbox.newest_first())
    await mail.modify([message.id], add_folder_ids=[child.id])
    await mail.delete_folder(child.id)
    assert child.id not in emulator.mailbox.labels and child.id not in message.labels
    assert grandchild.id in emulator.mailbox.labels  # Gmail deletes one label, never its children


async def test_label_errors_come_back_as_provider_errors(mail: GmailMail) -> None:
    with pytest.raises(ProviderError) as conflict:
        await mail.create_folder("Work")
    assert conflict.value.status == 409
    with pytest.raises(ProviderError) as system:
        await mail.delete_folder("INBOX")
    assert system.value.status == 400
    with pytest.raises(ProviderError):
        await mail.rename_folder("INBOX", "Eingang")


async def test_threads_show_the_union_of_their_messages_labels(mail: GmailMail, emulator: GoogleEmulator) -> None:
    thread_id, message_ids = next((t, ids) for t, ids in emulator.mailbox.threads.items() if len(ids) >= 2)
    await mail.modify(message_ids[:1], add_folder_ids=["Label_2"])
    response = await mail.connection.http.get(
        mail.connection.url("gmail", f"gmail/v1/users/me/threads/{thread_id}"), params={"format": "minimal"}
    )
    labels = [set(m["labelIds"]) for m in response.json()["messages"]]
    assert len(labels) == len(message_ids)
    assert "Label_2" in set().union(*labels) and not all("Label_2" in found for found in labels)

"""Zoom Mail labels as folders: flags are not folders, the synthetic archive, and label changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from host.model import FolderKind
from host.providers.google_shapes.labels import ARCHIVE, label_changes
from provider_zoommail.labels import PLACES, folder_ids, to_folders

LABELS = st.sampled_from(["INBOX", "SENT", "DRAFT", "SCHEDULED", "TRASH", "SPAM", "STARRED", "UNREAD", "Label_1"])


@given(st.sets(LABELS))
def test_a_message_is_in_the_archive_exactly_when_it_is_in_no_place(labels: set[str]) -> None:
    folders = folder_ids(labels)
    assert "UNREAD" not in folders
    assert (ARCHIVE in folders) == (not labels & PLACES)
    assert set(folders) - {ARCHIVE} == labels - {"UNREAD"}


FOLDERS = st.sampled_from(["INBOX", "SENT", "TRASH", "SPAM", "IMPORTANT", "Label_1", ARCHIVE])


@given(st.sets(FOLDERS), st.sets(FOLDERS), st.sampled_from([None, True, False]))
def test_label_changes_never_add_and_remove_one_label_and_name_no_archive(
    add: set[str], remove: set[str], flag: bool | None
) -> None:
    added, removed = label_changes(add, remove, flag, flag)
    assert not set(added) & set(removed) and ARCHIVE not in added + removed
    if flag is not None:
        assert ("UNREAD" in (added if flag else removed)) and ("STARRED" in (added if flag else removed))
    if ARCHIVE in add - remove and "INBOX" not in add:
        assert "INBOX" in removed


def test_labels_nest_by_parent_and_system_labels_have_roles() -> None:
    folders = {
        f.id: f
        for f in to_folders(
            [
                {"id": "INBOX", "name": "INBOX", "type": "system", "messagesTotal": 3, "messagesUnread": 1},
                {"id": "SCHEDULED", "name": "SCHEDULED", "type": "system"},
                {"id": "UNREAD", "name": "UNREAD", "type": "system"},
                {"id": "Label_4", "name": "Projekte", "type": "user", "parentId": "", "labelLevel": 1},
                {
                    "id": "Label_5",
                    "name": "Ärger",
                    "type": "user",
                    "parentId": "Label_4",
                    "labelLevel": 2,
                    "color": {"textColor": "#ffffff", "backgroundColor": "#e66550"},
                    "labelListVisibility": "labelHide",
                },
            ]
        )
    }
    assert set(folders) == {"INBOX", "SCHEDULED", "Label_4", "Label_5", ARCHIVE}
    assert (folders["INBOX"].kind, folders["INBOX"].total, folders["INBOX"].unread) == (FolderKind.INBOX, 3, 1)
    assert folders["SCHEDULED"].kind is FolderKind.OUTBOX and folders[ARCHIVE].kind is FolderKind.ARCHIVE
    child = folders["Label_5"]
    assert (child.name, child.parent_id, child.color, child.hidden) == ("Ärger", "Label_4", "#e66550", True)
    assert folders["Label_4"].parent_id is None and not child.exclusive

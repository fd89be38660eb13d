"""The mail view as a plugin: what it registers, and the parts that need no mailbox."""

from __future__ import annotations

import datetime as dt

import mail_view.plugin as plugin
import pytest
from mail_view.invitations import _invitation, _matches
from mail_view.listmodel import Column, MessageListModel

from host.errors import ZoomclientError
from host.model.calendar import Event
from host.model.mail import Address, MessageSummary, Thread
from host.ui.qt import QModelIndex, Qt
from host.views import ViewArea


def test_it_registers_the_mail_pane_and_three_settings_pages(make_host) -> None:
    host = make_host(("zoomclient-mail-view", plugin))

    views = {(v.id, v.area) for v in host.registry.views}

    assert views == {
        ("mail", ViewArea.MAIN),
        ("mail.rules", ViewArea.SETTINGS),
        ("mail.auto-reply", ViewArea.SETTINGS),
        ("mail.signatures", ViewArea.SETTINGS),
    }
    assert host.loaded("zoomclient-mail-view")


def summary(index: int, **changes) -> MessageSummary:
    values = dict(
        id=f"m{index}",
        thread_id=f"t{index}",
        subject=f"Subject {index}",
        sender=Address("ana@example.com", "Ana Müller"),
        to=(),
        date=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC) - dt.timedelta(hours=index),
    )
    values.update(changes)
    return MessageSummary(**values)


def test_rows_show_sender_subject_date_flags_and_read_state(qtbot) -> None:
    rows = [summary(0, unread=True, flagged=True, has_attachments=True), summary(1, sender=None, subject="")]
    model = MessageListModel(page_size=10)
    model.set_source(lambda before, limit: rows if before is None else [])

    def show(row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, column), role)

    assert model.rowCount() == 2 and not model.canFetchMore(QModelIndex())
    assert show(0, Column.FLAGS) == "★●"
    assert show(0, Column.FLAGS, Qt.ItemDataRole.DecorationRole) is not None
    assert show(0, Column.FROM) == "Ana Müller"
    assert show(0, Column.SUBJECT, Qt.ItemDataRole.FontRole).bold()
    assert "unread, starred, with attachments" in show(0, Column.SUBJECT, Qt.ItemDataRole.AccessibleTextRole)
    assert show(1, Column.FROM) == "(unknown sender)"
    assert show(1, Column.SUBJECT) == "(no subject)"
    assert show(1, Column.SUBJECT, Qt.ItemDataRole.FontRole) is None


def test_a_conversation_row_counts_its_messages(qtbot) -> None:
    thread = Thread(
        id="t1",
        subject="Plans",
        message_ids=("a", "b", "c"),
        last_date=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
        unread_count=1,
        participants=(Address("ana@example.com", "Ana Müller"), Address("bo@example.com")),
    )
    model = MessageListModel()
    model.set_source(lambda before, limit: [thread] if before is None else [])

    assert model.data(model.index(0, Column.SUBJECT)) == "Plans  (3)"
    assert model.data(model.index(0, Column.FROM)) == "Ana, bo@example.com"
    assert model.data(model.index(0, Column.FLAGS)) == "●"


def test_a_page_that_repeats_a_row_keeps_its_first_place(qtbot) -> None:
    first = [summary(i) for i in range(3)]
    second = [summary(2), summary(3)]
    model = MessageListModel(page_size=3)
    model.set_source(lambda before, limit: first if before is None else second)

    model.fetchMore(QModelIndex())

    assert [r.id for r in model.rows] == ["m0", "m1", "m2", "m3"]
    assert model.row_of("m3") == 3


ICS = b"""BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:abc123@google.com\r\nDTSTART:20240501T090000Z\r
DTEND:20240501T100000Z\r\nSUMMARY:Review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"""


def test_an_invitation_is_found_by_its_uid() -> None:
    uid, start = _invitation(ICS)
    event = Event(id="abc123", calendar_id="primary", title="Review", start=start, end=start)

    assert uid == "abc123@google.com"
    assert start == dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)
    assert _matches(event, uid)
    assert not _matches(event, "other@google.com")


def test_an_unreadable_invitation_says_so() -> None:
    with pytest.raises(ZoomclientError, match="cannot be read") as raised:
        _invitation(b"not a calendar")
    assert "organiser" in raised.value.hint


def test_sorting_by_sender_or_subject_reads_the_whole_list_then_newest_first_again(qtbot) -> None:
    names = ["Zoe", "ana", "Bo", "Re: carl"]
    rows = [summary(i, sender=Address(f"{n.lower()}@example.com", n), subject=f"Re: {n}") for i, n in enumerate(names)]
    model = MessageListModel(page_size=2)
    model.set_source(lambda before, limit: [r for r in rows if before is None or (r.date, r.id) < before][:limit])
    assert model.rowCount() == 2

    model.sort(Column.FROM, Qt.SortOrder.AscendingOrder)
    assert [r.sender.name for r in model.rows] == ["ana", "Bo", "Re: carl", "Zoe"]
    model.sort(Column.SUBJECT, Qt.SortOrder.DescendingOrder)  # "Re:" prefixes do not count
    assert [r.subject for r in model.rows] == ["Re: Zoe", "Re: Re: carl", "Re: Bo", "Re: ana"]
    model.sort(Column.DATE, Qt.SortOrder.DescendingOrder)
    assert [r.id for r in model.rows] == ["m0", "m1", "m2", "m3"]


def test_a_list_too_long_to_sort_stays_newest_first_and_says_why(qtbot, monkeypatch) -> None:
    import mail_view.listmodel as listmodel

    monkeypatch.setattr(listmodel, "SORT_LIMIT", 5)
    rows = [summary(i) for i in range(20)]
    model = MessageListModel(page_size=2)
    model.set_source(lambda before, limit: [r for r in rows if before is None or (r.date, r.id) < before][:limit])
    said = []
    model.sort_refused.connect(said.append)

    model.sort(Column.FROM, Qt.SortOrder.AscendingOrder)

    assert said and "too many to sort" in said[0]
    assert [r.id for r in model.rows] == [f"m{i}" for i in range(len(model.rows))]

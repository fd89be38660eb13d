"""TestMail's change history, property-tested: replaying the changes since a cursor onto what the
client saw at that cursor always gives the server's state now. The sync engine and the calendar
cache rely on exactly this."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from testprovider.state import TestMailState

from host.model.calendar import Event

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
LABELS = ["INBOX", "SPAM", "IMPORTANT", "TRASH"]

mail_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sets(st.sampled_from(LABELS)), st.booleans()),
        st.tuples(st.just("modify"), st.integers(0, 99), st.sets(st.sampled_from(LABELS)), st.booleans()),
        st.tuples(st.just("move"), st.integers(0, 99), st.sampled_from(LABELS)),
        st.tuples(st.just("delete"), st.integers(0, 99)),
        st.tuples(st.just("sync"), st.integers(1, 7)),
    ),
    max_size=30,
)


def snapshot(state: TestMailState) -> dict[str, tuple[frozenset[str], bool, bool]]:
    return {m.id: (frozenset(m.folder_ids), m.unread, m.flagged) for m in state.messages.values()}


@settings(max_examples=60, deadline=None)
@given(mail_ops)
def test_mail_changes_replayed_on_the_old_view_give_the_current_one(ops) -> None:
    state = TestMailState(messages=12, events=0, seed=3, now=NOW)
    seen = snapshot(state)
    cursor = state.cursor()
    for op in ops:
        ids = sorted(state.messages)
        match op:
            case ("add", labels, unread):
                state.add_message(folder_ids=sorted(labels), unread=unread)
            case ("modify", index, labels, flagged) if ids:
                state.modify([ids[index % len(ids)]], add=labels, remove=set(LABELS) - labels, flagged=flagged)
            case ("move", index, folder) if ids:
                state.move([ids[index % len(ids)]], folder)
            case ("delete", index) if ids:
                state.delete([ids[index % len(ids)]])
            case ("sync", page_size):
                while True:  # the client catches up, a page at a time
                    changes, cursor, has_more = state.changes(cursor, page_size)
                    for kind, message_id in changes:
                        if kind == "deleted":
                            seen.pop(message_id, None)
                        elif message_id in state.messages:
                            seen[message_id] = snapshot(state)[message_id]
                        else:  # added or changed, then deleted before this page was read
                            seen.pop(message_id, None)
                    if not has_more:
                        break
                assert seen == snapshot(state)
    changes, cursor, _ = state.changes(cursor, 10_000)
    for kind, message_id in changes:
        if kind == "deleted" or message_id not in state.messages:
            seen.pop(message_id, None)
        else:
            seen[message_id] = snapshot(state)[message_id]
    assert seen == snapshot(state)


BERLIN = ZoneInfo("Europe/Berlin")
WINDOW = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 15, tzinfo=dt.UTC))

event_ops = st.lists(
    st.one_of(
        st.tuples(st.just("single"), st.integers(0, 40), st.integers(7, 18)),
        st.tuples(st.just("series"), st.integers(0, 20), st.sampled_from(["DAILY;COUNT=5", "WEEKLY;COUNT=4"])),
        st.tuples(st.just("retitle"), st.integers(0, 99)),
        st.tuples(st.just("move"), st.integers(0, 99), st.integers(-2, 2)),
        st.tuples(st.just("delete"), st.integers(0, 99)),
        st.tuples(
            st.just("sync"),
        ),
    ),
    max_size=25,
)


def window_view(state: TestMailState) -> dict[str, tuple[str, dt.datetime]]:
    return {e.id: (e.title, e.start) for e in state.event_window("primary", *WINDOW)}


@settings(max_examples=60, deadline=None)
@given(event_ops)
def test_event_changes_replayed_on_the_old_window_give_the_current_one(ops) -> None:
    state = TestMailState(messages=0, events=0, seed=3, now=NOW)
    seen = window_view(state)
    token = state.event_token()
    for number, op in enumerate(ops):
        current = state.event_window("primary", *WINDOW)
        match op:
            case ("single", day, hour):
                start = dt.datetime(2026, 3, 1, hour, tzinfo=BERLIN) + dt.timedelta(days=day)
                state.create_event(Event("", "primary", f"single {number}", start, start + dt.timedelta(hours=1)))
            case ("series", day, rule):
                start = dt.datetime(2026, 3, 10, 9, tzinfo=BERLIN) + dt.timedelta(days=day)
                state.create_event(
                    Event(
                        "",
                        "primary",
                        f"series {number}",
                        start,
                        start + dt.timedelta(minutes=30),
                        time_zone="Europe/Berlin",
                        recurrence=(f"RRULE:FREQ={rule}",),
                    )
                )
            case ("retitle", index) if current:
                event = current[index % len(current)]
                state.update_event(attrs.evolve(event, title=f"{event.title} / {number}"))
            case ("move", index, hours) if current:
                event = current[index % len(current)]
                shift = dt.timedelta(hours=hours)
                state.update_event(attrs.evolve(event, start=event.start + shift, end=event.end + shift))
            case ("delete", index) if current:
                state.delete_event("primary", current[index % len(current)].id)
            case ("sync",):
                upserted, deleted, token = state.event_changes("primary", token, *WINDOW)
                for event_id in deleted:
                    seen.pop(event_id, None)
                seen.update({e.id: (e.title, e.start) for e in upserted})
                assert seen == window_view(state)
    upserted, deleted, token = state.event_changes("primary", token, *WINDOW)
    for event_id in deleted:
        seen.pop(event_id, None)
    seen.update({e.id: (e.title, e.start) for e in upserted})
    assert seen == window_view(state)

"""The pure mappings: rules <-> filters, auto-reply <-> vacation, folder changes <-> labels."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from host.model import Address, AutoReply, AutoReplyAudience, AutoReplyMode, Rule, RuleActions, RuleConditions
from host.providers.google_shapes.labels import ARCHIVE, label_changes
from host.providers.google_shapes.settings import (
    auto_reply_from_vacation,
    filter_from_rule,
    rule_from_filter,
    vacation_from_auto_reply,
)
from provider_gmail.labels import folder_ids

words = st.text(st.characters(whitelist_categories=("L", "N"), max_codepoint=0x3000), min_size=1, max_size=12)
labels = st.sampled_from(["Label_1", "Label_2", "Label_7", "IMPORTANT", "CATEGORY_SOCIAL"])


@given(
    from_=st.lists(words, max_size=2, unique=True),
    subject=st.lists(words, max_size=2, unique=True),
    query=st.none() | words,
    attachment=st.sampled_from([None, True]),
    larger=st.none() | st.integers(1, 10**8),
    add=st.lists(labels, max_size=2, unique=True),
    read=st.booleans(),
    star=st.booleans(),
    archive=st.booleans(),
    delete=st.booleans(),
    forward=st.none() | st.just("boss@example.com"),
)
def test_a_rule_survives_the_trip_through_a_filter(
    from_: list[str],
    subject: list[str],
    query: str | None,
    attachment: bool | None,
    larger: int | None,
    add: list[str],
    read: bool,
    star: bool,
    archive: bool,
    delete: bool,
    forward: str | None,
) -> None:
    conditions = RuleConditions(
        from_contains=tuple(from_),
        subject_contains=tuple(subject),
        query=query,
        has_attachment=attachment,
        size_larger_than=larger,
    )
    actions = RuleActions(
        add_folder_ids=tuple(sorted(add)),
        mark_read=read,
        mark_flagged=star,
        archive=archive,
        delete=delete,
        forward_to=(Address(forward),) if forward else (),
    )
    back = rule_from_filter({"id": "f1", **filter_from_rule(Rule(None, "", conditions, actions), "Gmail")})
    assert back.id == "f1" and back.conditions == conditions and back.actions == actions


def test_moving_to_a_label_or_the_archive_is_a_label_change() -> None:
    moved = filter_from_rule(
        Rule(None, "", RuleConditions(to_contains=("x@y.z",)), RuleActions(move_to_folder_id="L")), "Gmail"
    )
    assert moved["action"] == {"addLabelIds": ["L"], "removeLabelIds": ["INBOX"]}
    archived = filter_from_rule(
        Rule(None, "", RuleConditions(query="q"), RuleActions(move_to_folder_id=ARCHIVE)), "Gmail"
    )
    assert archived["action"] == {"removeLabelIds": ["INBOX"]}


@given(
    mode=st.sampled_from(list(AutoReplyMode)),
    audience=st.sampled_from([AutoReplyAudience.ALL, AutoReplyAudience.CONTACTS, AutoReplyAudience.DOMAIN]),
    html=st.booleans(),
    text=words,
    days=st.integers(0, 400),
)
def test_an_auto_reply_survives_the_trip_through_vacation(
    mode: AutoReplyMode, audience: AutoReplyAudience, html: bool, text: str, days: int
) -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=days)
    scheduled = mode is AutoReplyMode.SCHEDULED
    message = f"<p>{text}</p>" if html else text
    wanted = AutoReply(
        mode=mode,
        start=start if scheduled else None,
        end=start + dt.timedelta(days=3) if scheduled else None,
        subject=text,
        internal_message=message,
        external_message=message,
        audience=audience,
        html=html,
    )
    back = auto_reply_from_vacation(vacation_from_auto_reply(wanted))
    assert back == wanted


@given(
    start=st.sets(st.sampled_from(["INBOX", "UNREAD", "STARRED", "SENT", "TRASH", "Label_1", "Label_2"])),
    # (adding INBOX and ARCHIVE at once contradicts itself)
    add=st.sets(st.sampled_from(["Label_1", "Label_3", ARCHIVE, "INBOX"]), max_size=2).filter(
        lambda added: not {ARCHIVE, "INBOX"} <= added
    ),
    remove=st.sets(st.sampled_from(["Label_2", ARCHIVE, "IMPORTANT"]), max_size=2),
    unread=st.none() | st.booleans(),
    flagged=st.none() | st.booleans(),
)
def test_folder_changes_become_the_label_changes_gmail_applies(
    start: set[str], add: set[str], remove: set[str], unread: bool | None, flagged: bool | None
) -> None:
    add_labels, remove_labels = label_changes(add, remove - add, unread, flagged)
    assert not set(add_labels) & set(remove_labels)
    after = (start | set(add_labels)) - set(remove_labels)
    folders = set(folder_ids(after))
    if unread is not None:
        assert ("UNREAD" in after) == unread
    if flagged is not None:
        assert ("STARRED" in after) == flagged
    for folder in add - {ARCHIVE} - remove:
        assert folder in folders
    if ARCHIVE in add and ARCHIVE not in remove:
        assert "INBOX" not in after
    if ARCHIVE in remove - add:
        assert "INBOX" in after

"""Search: every operator, phrases, negation, combinations; any input is safe; results newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import FOLDERS, make_message

from host.model.mail import Address, Attachment, Message
from host.store import MailStore, new_key
from host.store.search import SORT_BELOW, full_text_filter


def _local(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    """A time in the machine's zone: before:/after: days are the user's days."""
    return dt.datetime(year, month, day, hour).astimezone()


MAIL = [
    make_message(
        1,
        subject="Quarterly budget review",
        sender=Address("ana.mueller@example.com", "Ana Müller"),
        to=(Address("bob@example.com", "Bob Stone"),),
        body_text="Please review the numbers before Friday.",
        date=_local(2024, 3, 10, 9),
        folder_ids=("INBOX", "Label_1"),
        unread=True,
    ),
    make_message(
        2,
        subject="Lunch tomorrow?",
        sender=Address("bob@example.com", "Bob Stone"),
        to=(Address("me@example.com", "Me"),),
        cc=(Address("carol@example.com", "Carol King"),),
        body_text="Shall we meet at noon? The budget is fine.",
        date=_local(2024, 3, 9, 12),
        folder_ids=("INBOX",),
        flagged=True,
        attachments=(Attachment("a1", "menu.pdf"),),
    ),
    make_message(
        3,
        subject="Re: budget review",
        sender=Address("me@example.com", "Me"),
        to=(Address("ana.mueller@example.com", "Ana Müller"),),
        bcc=(Address("dave@example.com"),),
        body_text="Numbers review looks good to me.",
        date=_local(2024, 3, 8, 23),
        folder_ids=("SENT",),
        attachments=(Attachment("logo", "logo.png", inline=True, content_id="logo"),),
    ),
    make_message(
        4,
        subject="Travel plans",
        sender=Address("carol@example.com", "Carol King"),
        body_text="",
        body_html="<html><style>.budget{}</style><p>Flight to <b>Lisbon</b> &amp; hotel</p></html>",
        date=_local(2024, 2, 1, 8),
        folder_ids=("Label_2", "TRASH"),
        unread=True,
    ),
]


@pytest.fixture
def mail(store: MailStore) -> MailStore:
    store.upsert_messages(MAIL)
    return store


def ids(store: MailStore, query: str) -> list[int]:
    return [int(s.id[1:]) for s in store.search(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [1, 2, 3, 4]),
        ("budget", [1, 2, 3]),
        ("BUDGET", [1, 2, 3]),
        ("budget review", [1, 3]),
        ("muller", [1, 3]),  # diacritics fold: Müller
        ("lisbon", [4]),  # HTML-only mail is indexed by its words...
        ("style", []),  # ...not its markup
        # from: / to: (to covers cc and bcc)
        ("from:ana", [1]),
        ("from:ana.mueller@example.com", [1]),
        ("from:Bob", [2]),
        ("to:bob", [1]),
        ("to:carol", [2]),
        ("to:dave", [3]),
        ("-from:me", [1, 2, 4]),
        # subject:
        ("subject:budget", [1, 3]),
        ('subject:"budget review"', [1, 3]),
        ("subject:numbers", []),
        ("-subject:budget budget", [2]),
        # has:attachment ignores inline images
        ("has:attachment", [2]),
        ("-has:attachment", [1, 3, 4]),
        # dates are whole local days
        ("after:2024-03-09", [1, 2]),
        ("before:2024/03/09", [3, 4]),
        ("after:2024-03-09 before:2024-03-10", [2]),
        ("-after:2024-03-01", [4]),
        ("-before:2024-03-10", [1]),
        ("after:2024-01-01 after:2024-03-09", [1, 2]),  # the later bound wins
        ("before:2024-03-10 before:2024-03-09", [3, 4]),
        ("after:2024-03-10 before:2024-03-09", []),
        ("in:inbox before:2024-03-10", [2]),  # bounds on the folder's own index
        ("in:sent after:2024-03-08 -after:2024-03-09", [3]),
        # in: / label: by id, name or kind, any case
        ("in:inbox", [1, 2]),
        ("in:INBOX budget", [1, 2]),
        ("in:sent", [3]),
        ("label:work", []),
        ('in:"work stuff"', [1]),
        ("label:Label_1", [1]),
        ("in:trash", [4]),
        ("in:travel in:trash", [4]),
        ("-in:inbox", [3, 4]),
        ("in:nowhere", []),
        ("-in:nowhere", [1, 2, 3, 4]),
        # is:
        ("is:unread", [1, 4]),
        ("is:read", [2, 3]),
        ("-is:unread", [2, 3]),
        ("is:flagged", [2]),
        ("is:starred", [2]),
        ("-is:flagged", [1, 3, 4]),
        # phrases and negation
        ('"budget review"', [1, 3]),
        ('"review budget"', []),
        ('-"budget review"', [2, 4]),
        ("budget -review", [2]),
        ("-budget", [4]),
        ("-budget -travel", []),
        # combinations
        ("from:bob has:attachment is:flagged in:inbox noon", [2]),
        ("budget -from:me is:unread after:2024-03-01", [1]),
        ('to:ana "numbers review" in:sent', [3]),
        # what is not an operator is text
        ("is:awesome", []),
        ("before:someday", []),
        # punctuation alone has no words: it adds no condition
        ('... - "" ---', [1, 2, 3, 4]),
        # a NUL would end FTS5's expression early
        ("budget\x00review", [1, 3]),
    ],
)
def test_search(mail: MailStore, query: str, expected: list[int]) -> None:
    assert ids(mail, query) == expected


def test_search_pages_like_a_list(mail: MailStore) -> None:
    first = mail.search("budget", limit=2)
    rest = mail.search("budget", limit=2, before=(first[-1].date, first[-1].id))
    assert [s.id for s in first + rest] == ["m0001", "m0002", "m0003"]
    assert mail.search("budget", limit=0) == []


def test_in_finds_labels_only_messages_know_yet(mail: MailStore) -> None:
    """Messages may carry a label before the folder list has it (Gmail's CATEGORY_*)."""
    mail.upsert_messages([make_message(9, folder_ids=("CATEGORY_UPDATES",))])
    assert ids(mail, "in:CATEGORY_UPDATES") == [9]


# -- any input ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailStore]:
    store = MailStore.open(tmp_path_factory.mktemp("search") / "mail.db", new_key())
    store.replace_folders(FOLDERS)
    store.upsert_messages(MAIL)
    yield store
    store.close()


_PIECES = st.sampled_from(
    [
        "from:", "to:", "subject:", "has:", "before:", "after:", "in:", "label:", "is:", "-", '"', "'", ":",
        "*", "^", "(", ")", "{", "}", "+", "NEAR", "AND", "OR", "NOT", "budget", "review", "2024-03-09",
        "attachment", "unread", "inbox", " ", "\x00", "é", "中文", "\\", "col:x",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=12).map("".join)))
def test_any_input_searches_without_error(shared_store: MailStore, text: str) -> None:
    results = shared_store.search(text, limit=10)
    keys = [(r.date, r.id) for r in results]
    assert keys == sorted(keys, reverse=True)


# -- the three ways of matching give the same answers ------------------------------------------


@pytest.fixture(scope="module", params=[False, True], ids=["as-synced", "optimized"])
def big(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[MailStore, list[Message]]]:
    """900 messages: "alpha" in all (probing), "beta" in 180 (a set of matches), "gamma" in 30 (sorting);
    the full-text index in several segments as a sync leaves it, or merged by optimize()."""
    messages = []
    for i in range(900):
        words = ["alpha"] + (["beta"] if i % 5 == 0 else []) + (["gamma"] if i % 30 == 0 else [])
        messages.append(
            make_message(
                i,
                date=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) - dt.timedelta(minutes=(i * 37) % 900),
                body_text=" ".join(words),
                unread=i % 3 == 0,
                folder_ids=("INBOX",) if i % 2 else ("SENT",),
            )
        )
    store = MailStore.open(Path(tmp_path_factory.mktemp("big")) / "mail.db", new_key())
    store.replace_folders(FOLDERS)
    for start in range(0, 900, 100):
        store.upsert_messages(messages[start : start + 100])
    if request.param:
        store.optimize()
    yield store, messages
    store.close()


_PREDICATES: dict[str, Callable[[Message], bool]] = {
    "alpha": lambda m: True,
    "beta": lambda m: "beta" in m.body_text,
    "gamma": lambda m: "gamma" in m.body_text,
    "alpha -beta": lambda m: "beta" not in m.body_text,
    "beta is:unread": lambda m: "beta" in m.body_text and m.unread,
    "alpha in:inbox": lambda m: "INBOX" in m.folder_ids,
    "gamma in:sent": lambda m: "gamma" in m.body_text and "SENT" in m.folder_ids,
    "beta in:sent -is:unread": lambda m: "beta" in m.body_text and "SENT" in m.folder_ids and not m.unread,
    "-gamma": lambda m: "gamma" not in m.body_text,
}


@pytest.mark.parametrize(
    ("expression", "one_word", "condition", "walk"),
    [
        ('"alpha"', True, "EXISTS", True),  # in every message: probe per walked row
        ('"alpha" AND "alpha"', False, "EXISTS", True),  # the same, found by staging up to the cap
        ('"beta"', True, "+m.num IN temp", True),  # in a fifth: walk against the staged matches
        ('"alpha beta"', False, "+m.num IN temp", True),
        ('"gamma"', True, "m.num IN temp", False),  # in 30: fetch and sort
    ],
)
def test_the_way_of_matching_follows_the_number_of_matches(
    big, expression: str, one_word: bool, condition: str, walk: bool
) -> None:
    store, _ = big
    with store._reading() as conn:
        chosen = full_text_filter(conn, expression, negated=False, one_word=one_word)
    assert chosen[0].startswith(condition)
    assert chosen[2] is walk
    assert SORT_BELOW > 30


@pytest.mark.parametrize("query", list(_PREDICATES))
def test_every_strategy_matches_a_plain_filter(big, query: str) -> None:
    store, messages = big
    expected = sorted((m for m in messages if _PREDICATES[query](m)), key=lambda m: (m.date, m.id), reverse=True)
    got, before = [], None
    while page := store.search(query, limit=40, before=before):
        got += page
        before = (page[-1].date, page[-1].id)
    assert [s.id for s in got] == [m.id for m in expected]

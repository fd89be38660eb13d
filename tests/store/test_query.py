"""The search language's parser: pure, never fails, reads its own output back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from host.store.query import Query, Term, format_query, parse_query


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("hello", [Term("text", "hello")]),
        ("from:ana to:bob subject:plan", [Term("from", "ana"), Term("to", "bob"), Term("subject", "plan")]),
        ("FROM:Ana", [Term("from", "Ana")]),
        ('subject:"weekly plan"', [Term("subject", "weekly plan")]),
        ('"exact phrase" word', [Term("text", "exact phrase"), Term("text", "word")]),
        ("has:attachment", [Term("has", "attachment")]),
        ("has:Attachments", [Term("has", "attachment")]),
        ("before:2024-01-05 after:2023/12/1", [Term("before", "2024-01-05"), Term("after", "2023-12-01")]),
        ("in:Inbox label:Work", [Term("in", "Inbox"), Term("in", "Work")]),
        ('in:"My Folder"', [Term("in", "My Folder")]),
        ("is:unread is:read", [Term("is", "unread"), Term("is", "unread", negated=True)]),
        ("is:flagged is:Starred", [Term("is", "flagged"), Term("is", "flagged")]),
        ("-is:read", [Term("is", "unread")]),
        ('-word -from:x -"a b"', [Term("text", "word", True), Term("from", "x", True), Term("text", "a b", True)]),
        ("--double", [Term("text", "-double", negated=True)]),
        ("is:awesome has:cats", [Term("text", "is:awesome"), Term("text", "has:cats")]),
        ("before:yesterday after:2024-13-01", [Term("text", "before:yesterday"), Term("text", "after:2024-13-01")]),
        ("nope:x http://example.com", [Term("text", "nope:x"), Term("text", "http://example.com")]),
        ('"unterminated phrase', [Term("text", "unterminated phrase")]),
        ('from: - "" ', []),
        ("", []),
        ("  \t\n ", []),
    ],
)
def test_parse(text: str, terms: list[Term]) -> None:
    assert parse_query(text) == Query(tuple(terms))


def test_format_writes_a_readable_query() -> None:
    query = parse_query('from:ana -subject:"hi there" is:read "a b" --x is:awesome "is:unread"')
    assert format_query(query) == 'from:ana -subject:"hi there" -is:unread "a b" --x is:awesome "is:unread"'
    assert str(query) == format_query(query)


_ALPHABET = st.sampled_from([*'abcXYZ019 -:"\t\n\\*()^{}+.@üß中', "from:", "is:", "in:", "before:", "has:"])


@given(st.text())
def test_parsing_never_fails_on_any_text(text: str) -> None:
    parse_query(text)


@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_formatting_reads_back_to_the_same_terms(text: str) -> None:
    query = parse_query(text)
    assert parse_query(format_query(query)) == query


@given(st.text())
def test_formatting_reads_back_on_any_text(text: str) -> None:
    query = parse_query(text)
    assert parse_query(format_query(query)) == query

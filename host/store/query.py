"""The search box's language, parsed into terms: pure, no database.

Operators: ``from:`` ``to:`` ``subject:`` ``has:attachment`` ``before:`` ``after:`` (``YYYY-MM-DD`` or
``YYYY/MM/DD``), ``in:`` / ``label:`` (a folder's id, name or kind), ``is:unread`` ``is:read``
``is:flagged`` / ``is:starred``; ``"quoted phrases"``; a leading ``-`` negates a word, a phrase or an
operator; everything else is a word to find anywhere.

The parser never fails: what does not read as an operator (``is:awesome``, ``before:someday``) is
searched as text, and an unterminated quote runs to the end. :func:`format_query` writes a query back
so that parsing it again gives the same terms.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import attrs

Field = Literal["text", "from", "to", "subject", "has", "before", "after", "in", "is"]

#: The fields whose value is text matched by full-text search.
TEXT_FIELDS: frozenset[str] = frozenset({"text", "from", "to", "subject"})

_OPERATORS: dict[str, Field] = {
    "from": "from",
    "to": "to",
    "subject": "subject",
    "has": "has",
    "before": "before",
    "after": "after",
    "in": "in",
    "label": "in",
    "is": "is",
}
_LONGEST_OPERATOR = max(len(name) for name in _OPERATORS)
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@attrs.frozen
class Term:
    """One condition. ``value`` is normalised: ``is`` holds ``unread`` or ``flagged`` (``is:read`` is a
    negated ``is:unread``), ``has`` holds ``attachment``, ``before``/``after`` an ISO date."""

    field: Field
    value: str
    negated: bool = False


@attrs.frozen
class Query:
    terms: tuple[Term, ...] = ()

    def __str__(self) -> str:
        return format_query(self)


def parse_query(text: str) -> Query:
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
        op = _operator_at(text, i)
        if op is not None:
            i += len(op) + 1
        value, i = _value_at(text, i)
        term = _term(op, value, negated)
        if term is not None:
            terms.append(term)
    return Query(tuple(terms))


def format_query(query: Query) -> str:
    return " ".join(_format_term(t) for t in query.terms)


def _operator_at(text: str, i: int) -> str | None:
    """The operator name (as typed) when ``text[i:]`` starts with ``name:``."""
    colon = text.find(":", i, i + _LONGEST_OPERATOR + 1)
    if colon <= i:
        return None
    name = text[i:colon]
    return name if name.lower() in _OPERATORS else None


def _value_at(text: str, i: int) -> tuple[str, int]:
    """A quoted phrase (to the next quote, or the end) or a bare word (to the next space)."""
    if i < len(text) and text[i] == '"':
        end = text.find('"', i + 1)
        if end < 0:
            return text[i + 1 :], len(text)
        return text[i + 1 : end], end + 1
    end = i
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[i:end], end


def _term(op: str | None, value: str, negated: bool) -> Term | None:
    if not value:
        return None  # a lone "-", an empty phrase, "from:" with nothing after it
    if op is None:
        return Term("text", value, negated)
    field = _OPERATORS[op.lower()]
    lowered = value.lower()
    if field in ("from", "to", "subject", "in"):
        return Term(field, value, negated)
    if field == "has" and lowered in ("attachment", "attachments"):
        return Term("has", "attachment", negated)
    if field == "is":
        if lowered == "unread":
            return Term("is", "unread", negated)
        if lowered == "read":
            return Term("is", "unread", not negated)
        if lowered in ("flagged", "starred"):
            return Term("is", "flagged", negated)
    if field in ("before", "after"):
        day = parse_date(value)
        if day is not None:
            return Term(field, day.isoformat(), negated)
    # Not an operator after all: search for what was typed.
    return Term("text", f"{op}:{value}", negated)


def parse_date(value: str) -> dt.date | None:
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _format_term(term: Term) -> str:
    sign = "-" if term.negated else ""
    prefix = sign if term.field == "text" else f"{sign}{term.field}:"
    # A value holds a quote or whitespace but never both (a quoted value ends at the first quote, a
    # bare one at the first space), so one of the two forms reads back as this very term. Trying is
    # simpler and surer than predicting which: "is:x" typed as text must stay text, "-x" a word.
    bare = prefix + term.value
    if parse_query(bare).terms == (term,):
        return bare
    return f'{prefix}"{term.value}"'

"""A parsed query turned into SQL over the store's tables.

Full-text terms go to FTS5 as quoted strings (a quote doubled inside), so no input can produce an
FTS5 syntax error; the rest become plain SQL conditions. Results come newest first by walking an
index already in that order (the folder's when the query names one folder, else the messages' date
index) and stopping at the limit: letting SQLite sort every match costs ~1 s for a common word over
100,000 messages (DESIGN §4). How a walked row is tested against the full-text part depends on how
many messages match (see :func:`fts_condition`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from host.store.codec import to_ms
from host.store.query import TEXT_FIELDS, Query, Term

#: The FTS5 columns each text field searches.
_FTS_COLUMNS = {"text": None, "from": "sender", "to": "recipients", "subject": "subject"}


@attrs.frozen
class Compiled:
    """``where`` conditions on ``m`` (messages) besides the full-text part ``fts``.

    ``fts`` is an FTS5 expression that matching messages must (or, with ``fts_negated``, must not)
    match; ``folder_id`` is set when the walk should go through that folder's index.
    """

    where: tuple[str, ...]
    params: tuple[Any, ...]
    fts: str | None
    fts_negated: bool
    folder_id: str | None
    empty: bool  # a condition no message can meet (an unknown folder): skip the database


def compile_query(
    query: Query, resolve_folder: Callable[[str], Sequence[str]], *, tz: dt.tzinfo | None = None
) -> Compiled:
    """``resolve_folder`` maps what the user typed after ``in:`` to folder ids (none when unknown).

    Dates are days in ``tz`` (the machine's zone when None), as the user means them.
    """
    where: list[str] = []
    params: list[Any] = []
    positive = [_fts_phrase(t) for t in query.terms if t.field in TEXT_FIELDS and not t.negated and _has_token(t.value)]
    negative = [_fts_phrase(t) for t in query.terms if t.field in TEXT_FIELDS and t.negated and _has_token(t.value)]
    fts: str | None = None
    if positive:
        fts = " AND ".join(positive)
        if negative:
            fts = f"({fts}) NOT ({' OR '.join(negative)})"
    elif negative:
        fts = " OR ".join(negative)

    walk_folder: str | None = None
    for term in query.terms:
        if term.field == "has":
            where.append(f"m.has_attachments = {0 if term.negated else 1}")
        elif term.field == "is":
            column = "m.unread" if term.value == "unread" else "m.flagged"
            where.append(f"{column} = {0 if term.negated else 1}")
        elif term.field in ("before", "after"):
            start = to_ms(_start_of_day(dt.date.fromisoformat(term.value), tz))
            # before:D is before D's midnight; after:D is from D's midnight on (Gmail's reading).
            older = (term.field == "before") != term.negated
            where.append("m.date < ?" if older else "m.date >= ?")
            params.append(start)
        elif term.field == "in":
            ids = list(dict.fromkeys(resolve_folder(term.value)))
            if not ids:
                if not term.negated:
                    return Compiled((), (), None, False, None, empty=True)
                continue
            if len(ids) == 1 and not term.negated and walk_folder is None:
                walk_folder = ids[0]
                continue
            where.append(folder_condition(len(ids), negated=term.negated))
            params.extend(ids)
    return Compiled(tuple(where), tuple(params), fts, bool(negative and not positive), walk_folder, empty=False)


def folder_condition(count: int, *, negated: bool = False) -> str:
    """``m`` is (not) in one of ``count`` folders given as parameters."""
    marks = ",".join("?" * count)
    exists = f"EXISTS (SELECT 1 FROM message_folders AS x WHERE x.message_id = m.id AND x.folder_id IN ({marks}))"
    return f"NOT {exists}" if negated else exists


#: Below this many matches the matches are fetched and sorted: walking the index would read most of it.
SORT_BELOW = 100


def fts_condition(matches: int, total: int, *, negated: bool) -> tuple[str, bool]:
    """The condition for the full-text part, and whether to walk an index (else sort the matches).

    ``matches`` is a count of the expression's matches, capped at ``total // 3``.
    - Few matches: fetch them by rowid and sort them (a walk would go through the whole index).
    - Some: walk, testing each row against the set of matches built once (the ``+`` keeps SQLite
      from looking the set up row by row instead).
    - A third of the mailbox or more: walk, probing FTS5 for each walked row; the page fills after a
      few hundred rows, where building the set would read the whole posting list (~12 ms for a word
      in every message of 100,000).
    """
    subquery = "SELECT rowid FROM message_fts WHERE message_fts MATCH ?"
    if negated:
        return f"+m.num NOT IN ({subquery})", True
    if matches < SORT_BELOW:
        return f"m.num IN ({subquery})", False
    if matches < max(total // 3, SORT_BELOW):
        return f"+m.num IN ({subquery})", True
    return "EXISTS (SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND rowid = m.num)", True


def _fts_phrase(term: Term) -> str:
    # FTS5 reads the expression as a C string: a NUL would end it inside the quotes.
    phrase = '"' + term.value.replace("\x00", " ").replace('"', '""') + '"'
    column = _FTS_COLUMNS[term.field]
    return f"({column} : {phrase})" if column else phrase


def _has_token(value: str) -> bool:
    """Whether FTS5's unicode61 tokenizer finds a token: a letter, a digit or a private-use character.

    A phrase with no token matches nothing, which would empty a whole AND, so such terms (``-``,
    ``...``) are left out rather than sent.
    """
    return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in value)


def _start_of_day(day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
    midnight = dt.datetime(day.year, day.month, day.day)
    if tz is not None:
        return midnight.replace(tzinfo=tz)
    try:
        return midnight.astimezone()
    except (ValueError, OverflowError, OSError):
        # Years 1 and 9999 fall off the platform's local-time range; a few hours do not matter there.
        return midnight.replace(tzinfo=dt.UTC)

"""A parsed query turned into SQL over the store's tables.

Full-text terms go to FTS5 as quoted strings (a quote doubled inside), so no input can produce an
FTS5 syntax error; the rest become plain SQL conditions. Results come newest first by walking an
index already in that order (the folder's when the query names one folder, else the messages' date
index) and stopping at the limit: letting SQLite sort every match costs ~1 s for a common word over
100,000 messages (DESIGN §4). How a walked row is tested against the full-text part depends on how
many messages match (see :func:`full_text_filter`).
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
    match; ``fts_one_word`` says it is a single word, cheap to count. ``folder_id`` is set when the
    walk should go through that folder's index. ``since`` (inclusive) and ``until`` (exclusive) bound
    the date in epoch ms; they are kept apart so the walk can start and stop on the index it walks.
    """

    where: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()
    fts: str | None = None
    fts_negated: bool = False
    fts_one_word: bool = False
    folder_id: str | None = None
    since: int | None = None
    until: int | None = None
    empty: bool = False  # a condition no message can meet (an unknown folder): skip the database


def compile_query(query: Query, resolve_folder: Callable[[str], Sequence[str]]) -> Compiled:
    """``resolve_folder`` maps what the user typed after ``in:`` to folder ids (none when unknown).

    Dates are days in the machine's time zone, as the user means them.
    """
    where: list[str] = []
    params: list[Any] = []
    texts = [t for t in query.terms if t.field in TEXT_FIELDS and _tokens(t.value)]
    positive = [_fts_phrase(t) for t in texts if not t.negated]
    negative = [_fts_phrase(t) for t in texts if t.negated]
    one_word = len(texts) == 1 and not texts[0].negated and len(_tokens(texts[0].value)) == 1
    fts: str | None = None
    if positive:
        fts = " AND ".join(positive)
        if negative:
            fts = f"({fts}) NOT ({' OR '.join(negative)})"
    elif negative:
        fts = " OR ".join(negative)

    walk_folder: str | None = None
    since: int | None = None
    until: int | None = None
    for term in query.terms:
        if term.field == "has":
            where.append(f"m.has_attachments = {0 if term.negated else 1}")
        elif term.field == "is":
            column = "m.unread" if term.value == "unread" else "m.flagged"
            where.append(f"{column} = {0 if term.negated else 1}")
        elif term.field in ("before", "after"):
            start = to_ms(_start_of_day(dt.date.fromisoformat(term.value)))
            # before:D is before D's midnight; after:D is from D's midnight on (Gmail's reading).
            if (term.field == "before") != term.negated:
                until = start if until is None else min(until, start)
            else:
                since = start if since is None else max(since, start)
        elif term.field == "in":
            ids = list(dict.fromkeys(resolve_folder(term.value)))
            if not ids:
                if not term.negated:
                    return Compiled(empty=True)
                continue
            if len(ids) == 1 and not term.negated and walk_folder is None:
                walk_folder = ids[0]
                continue
            where.append(folder_condition(len(ids), negated=term.negated))
            params.extend(ids)
    return Compiled(
        where=tuple(where),
        params=tuple(params),
        fts=fts,
        fts_negated=bool(negative and not positive),
        fts_one_word=one_word,
        folder_id=walk_folder,
        since=since,
        until=until,
    )


def folder_condition(count: int, *, negated: bool = False) -> str:
    """``m`` is (not) in one of ``count`` folders given as parameters."""
    marks = ",".join("?" * count)
    exists = f"EXISTS (SELECT 1 FROM message_folders AS x WHERE x.message_id = m.id AND x.folder_id IN ({marks}))"
    return f"NOT {exists}" if negated else exists


#: Below this many matches they are fetched and sorted: walking the index would read most of it.
#: (Fetching is a random read each; at 1,000 matches it already costs more than a walk.)
SORT_BELOW = 100


def full_text_filter(conn: Any, expression: str, *, negated: bool, one_word: bool) -> tuple[str, tuple[Any, ...], bool]:
    """The condition on ``m`` for the full-text part, its parameters, and whether to walk an index
    (else sort what matches). It depends on how many messages match, up to a third of the mailbox:

    - Few: fetch them by rowid and sort them (a walk would go through the whole index).
    - More: walk, testing each row against the matches staged in a temporary table in memory (the
      ``+`` keeps SQLite from looking the set up row by row instead).
    - A third of the mailbox or more: walk, probing FTS5 for each walked row; the page fills after a
      few hundred rows, where staging every match would read the whole posting list.

    Matches are staged right away, so a phrase is evaluated once; only a single word, whose count
    is cheap, is counted first and spared the staging when it is that common.
    """
    probe = "EXISTS (SELECT 1 FROM message_fts WHERE message_fts MATCH ? AND rowid = m.num)", (expression,), True
    if negated:
        return "+m.num NOT IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)", (expression,), True
    # max(num) stands in for the number of messages: one index step instead of a count.
    total = conn.execute("SELECT coalesce(max(num), 0) FROM messages").fetchone()[0]
    cap = max(total // 3, SORT_BELOW)
    if one_word:
        count = "SELECT count(*) FROM (SELECT 1 FROM message_fts WHERE message_fts MATCH ? LIMIT ?)"
        if conn.execute(count, (expression, cap)).fetchone()[0] >= cap:
            return probe
    conn.execute("DELETE FROM temp.search_matches")
    staged = conn.execute(
        "INSERT INTO temp.search_matches (num) SELECT rowid FROM message_fts WHERE message_fts MATCH ? LIMIT ?",
        (expression, cap),
    ).rowcount
    if staged < SORT_BELOW:
        return "m.num IN temp.search_matches", (), False
    if staged < cap:
        return "+m.num IN temp.search_matches", (), True
    return probe


def _fts_phrase(term: Term) -> str:
    # FTS5 reads the expression as a C string: a NUL would end it inside the quotes.
    phrase = '"' + term.value.replace("\x00", " ").replace('"', '""') + '"'
    column = _FTS_COLUMNS[term.field]
    return f"({column} : {phrase})" if column else phrase


def _tokens(value: str) -> list[str]:
    """The words FTS5's unicode61 tokenizer finds: runs of letters, digits and private-use characters.

    A phrase with no token matches nothing, which would empty a whole AND, so such terms (``-``,
    ``...``) are left out rather than sent.
    """
    words = "".join(c if unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" else " " for c in value)
    return words.split()


def _start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight starting ``day``."""
    midnight = dt.datetime(day.year, day.month, day.day)
    try:
        return midnight.astimezone()
    except (ValueError, OverflowError, OSError):
        # Years 1 and 9999 fall off the platform's local-time range; a few hours do not matter there.
        return midnight.replace(tzinfo=dt.UTC)

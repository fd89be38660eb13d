"""Gmail's search syntax (``q``), the operators a mail client uses: ``from: to: cc: bcc: subject:
has:attachment filename: in: label: is: after: before: older_than: newer_than: rfc822msgid:``,
``-`` for negation, ``{a b}`` for either, quoted phrases and bare words. ``OR`` and parentheses
are not served.

Serves every emulator whose mail API takes Gmail's search syntax (Gmail, Zoom Mail). Errors are
:class:`host.sandbox.api_error.ApiError`.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import time
from collections.abc import Callable

import attrs

from host.sandbox.api_error import bad_request
from host.sandbox.mime_payload import Facts

#: ``in:`` names and the labels they mean.
IN_LABELS = {
    "inbox": "INBOX",
    "sent": "SENT",
    "trash": "TRASH",
    "spam": "SPAM",
    "drafts": "DRAFT",
    "draft": "DRAFT",
    "starred": "STARRED",
    "important": "IMPORTANT",
    "chats": "CHAT",
}


@attrs.frozen
class Candidate:
    """A message as search sees it."""

    labels: frozenset[str]
    internal_date: float  # seconds
    facts: Callable[[], Facts]


Test = Callable[[Candidate], bool]


@attrs.frozen
class Query:
    tests: tuple[Test, ...]
    spam_trash: bool  # the query names trash or spam itself, so they are not left out

    def __call__(self, candidate: Candidate) -> bool:
        return all(test(candidate) for test in self.tests)


def _date(value: str) -> float:
    if value.isdigit():
        return float(value)
    for layout in ("%Y/%m/%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, layout).replace(tzinfo=dt.UTC).timestamp()
        except ValueError:
            continue
    raise bad_request(f"Invalid date in query: {value}")


def _age(value: str) -> float:
    match = re.fullmatch(r"(\d+)([dmy])", value)
    if match is None:
        raise bad_request(f"Invalid age in query: {value}")
    days = int(match.group(1)) * {"d": 1, "m": 30, "y": 365}[match.group(2)]
    return time.time() - days * 86400


def _label_key(name: str) -> str:
    return re.sub(r"[\s/]+", "-", name.strip().lower())


def parse(text: str, label_names: dict[str, str]) -> Query:
    """``label_names`` maps label id -> name, for ``label:``."""
    groups: list[str] = []

    def keep(match: re.Match[str]) -> str:
        groups.append(match.group(1))
        return f" @group{len(groups) - 1} "

    text = re.sub(r"\{([^{}]*)\}", keep, text)  # {a b} is Gmail's "a OR b"
    try:
        words = shlex.split(text, posix=True)
    except ValueError:
        words = text.split()
    by_name = {_label_key(name): label_id for label_id, name in label_names.items()}
    by_name.update({_label_key(label_id): label_id for label_id in label_names})
    tests: list[Test] = []
    spam_trash = False
    for word in words:
        negate = word.startswith("-") and len(word) > 1
        word = word[1:] if negate else word
        key, colon, value = word.partition(":")
        key = key.lower() if colon else ""
        value = value.lower()
        test: Test
        group = re.fullmatch(r"@group(\d+)", word)
        if group is not None:
            alternatives = [parse(w, label_names) for w in groups[int(group.group(1))].split()]
            spam_trash = spam_trash or any(a.spam_trash for a in alternatives)
            test = lambda c, alts=alternatives: any(a(c) for a in alts)  # noqa: E731
        elif key in ("from", "to", "cc", "bcc"):
            field = "sender" if key == "from" else key
            test = lambda c, f=field, v=value: v in c.facts().addresses(f)  # noqa: E731
        elif key == "subject":
            test = lambda c, v=value: v in c.facts().subject.lower()  # noqa: E731
        elif key == "has" and value == "attachment":
            test = lambda c: c.facts().has_attachment  # noqa: E731
        elif key == "filename":
            test = lambda c, v=value: any(v in name.lower() for name in c.facts().filenames)  # noqa: E731
        elif key == "in" and value == "anywhere":
            spam_trash = True
            continue
        elif key in ("in", "is", "label"):
            if key == "is" and value in ("unread", "read"):
                wanted, present = "UNREAD", value == "unread"
            elif key in ("in", "is") and value in IN_LABELS:
                wanted, present = IN_LABELS[value], True
            elif key == "label" and _label_key(value) in by_name:
                wanted, present = by_name[_label_key(value)], True
            else:
                raise bad_request(f"Unsupported search operator: {word}")
            spam_trash = spam_trash or wanted in ("SPAM", "TRASH")
            test = lambda c, w=wanted, p=present: (w in c.labels) == p  # noqa: E731
        elif key in ("after", "before", "older_than", "newer_than"):
            moment = _date(value) if key in ("after", "before") else _age(value)
            if key in ("after", "newer_than"):
                test = lambda c, m=moment: c.internal_date >= m  # noqa: E731
            else:
                test = lambda c, m=moment: c.internal_date < m  # noqa: E731
        elif key == "rfc822msgid":
            wanted_id = value.strip("<>")
            test = lambda c, v=wanted_id: (c.facts().message_id or "").lower().strip("<>") == v  # noqa: E731
        elif key:
            raise bad_request(f"Unsupported search operator: {key}:")
        else:
            term = word.lower()

            def test(c: Candidate, t: str = term) -> bool:
                f = c.facts()
                return any(t in text.lower() for text in (f.subject, f.text, f.sender, f.to, f.cc, *f.filenames))

        tests.append((lambda c, t=test: not t(c)) if negate else test)
    return Query(tuple(tests), spam_trash)

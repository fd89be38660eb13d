"""An :class:`host.actions.ActionUI` that answers from scripts, for testing workflow actions without dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from host.actions import Choice, Search

T = TypeVar("T")

#: How a scripted pick answers: the label of the row to take, a function of the rows, or None to cancel.
PickAnswer = str | Callable[[list[Choice]], Choice | None] | None


class ScriptedActionUI:
    """Answers each question with the next scripted answer of its kind and records what was asked.

    ``texts`` answer :meth:`ask_text` (None cancels).

    ``picks`` are ``(query, answer)`` pairs: the picker searches ``query`` (after the opening ``""``
    search) and takes the row whose label is ``answer``, or what ``answer(rows)`` returns. A question
    without a scripted answer left fails the test with the question in the message, rather than
    hanging or guessing.
    """

    def __init__(
        self,
        *,
        choices: Iterable[int | None] = (),
        confirms: Iterable[bool] = (),
        picks: Iterable[tuple[str, PickAnswer]] = (),
        texts: Iterable[str | None] = (),
        previews: Iterable[frozenset[str] | set[str] | None] = (),
    ) -> None:
        self._choices = list(choices)
        self._confirms = list(confirms)
        self._picks = list(picks)
        self._texts = list(texts)
        self._previews = list(previews)
        #: every question, in order: ("choose", title, options), ("confirm", text), ...
        self.asked: list[tuple[object, ...]] = []
        #: every text a picker searched for, with the rows it got
        self.searches: list[tuple[str, list[Choice]]] = []
        self.notices: list[str] = []

    def _next(self, script: list[T], question: tuple[object, ...]) -> T:
        self.asked.append(question)
        if not script:
            raise AssertionError(f"the action asked {question!r} and the script has no answer left")
        return script.pop(0)

    async def choose(self, title: str, options: Sequence[str]) -> int | None:
        return self._next(self._choices, ("choose", title, tuple(options)))

    async def confirm(self, text: str) -> bool:
        return self._next(self._confirms, ("confirm", text))

    async def ask_text(self, title: str, label: str, *, text: str = "", multiline: bool = False) -> str | None:
        return self._next(self._texts, ("ask_text", title, label, text))

    async def pick(self, title: str, search: Search, *, prompt: str = "Search") -> Choice | None:
        query, answer = self._next(self._picks, ("pick", title))
        for text in dict.fromkeys(("", query)):
            rows = list(await search(text))
            self.searches.append((text, rows))
        if answer is None:
            return None
        if callable(answer):
            return answer(rows)
        for row in rows:
            if row.label == answer:
                return row
        raise AssertionError(f"no row labelled {answer!r} among {[row.label for row in rows]!r} for {query!r}")

    async def preview(
        self, title: str, text: str, *, options: Sequence[str] = (), accept: str = "OK"
    ) -> frozenset[str] | None:
        answer = self._next(self._previews, ("preview", title, text, tuple(options)))
        if answer is None:
            return None
        unknown = set(answer) - set(options)
        if unknown:
            raise AssertionError(f"the script ticks {sorted(unknown)!r}, which the preview does not offer")
        return frozenset(answer)

    def notify(self, text: str) -> None:
        self.notices.append(text)

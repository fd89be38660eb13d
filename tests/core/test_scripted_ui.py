"""host.testing.ScriptedActionUI: scripted answers for workflow actions, and a loud failure when a script runs out."""

from __future__ import annotations

import pytest

from host.actions import Choice
from host.testing import ScriptedActionUI

ROWS = [Choice("Design", "channel", "c1"), Choice("Finance", "channel", "c2")]


async def search(text: str) -> list[Choice]:
    return [row for row in ROWS if text.lower() in row.label.lower()]


async def test_answers_each_kind_in_order_and_records_the_questions() -> None:
    ui = ScriptedActionUI(choices=[1], confirms=[False], texts=["Hi!"], previews=[{"eml"}])
    assert await ui.choose("Range", ["30 days", "90 days"]) == 1
    assert await ui.confirm("Send?") is False
    assert await ui.ask_text("Chat", "Message", text="Hello") == "Hi!"
    assert await ui.preview("Share", "body", options=["eml"]) == frozenset({"eml"})
    ui.notify("done")
    assert ui.asked == [
        ("choose", "Range", ("30 days", "90 days")),
        ("confirm", "Send?"),
        ("ask_text", "Chat", "Message", "Hello"),
        ("preview", "Share", "body", ("eml",)),
    ]
    assert ui.notices == ["done"]


async def test_pick_searches_the_opening_list_and_the_query_then_takes_the_row() -> None:
    ui = ScriptedActionUI(picks=[("fin", "Finance"), ("", lambda rows: rows[0]), ("d", None)])
    assert await ui.pick("To", search) == ROWS[1]
    assert [text for text, _ in ui.searches] == ["", "fin"]
    assert await ui.pick("To", search) == ROWS[0]
    assert await ui.pick("To", search) is None


async def test_a_question_without_an_answer_or_a_missing_row_fails_loudly() -> None:
    ui = ScriptedActionUI(picks=[("fin", "Design")], previews=[{"zip"}])
    with pytest.raises(AssertionError, match="no row labelled 'Design'"):
        await ui.pick("To", search)
    with pytest.raises(AssertionError, match="does not offer"):
        await ui.preview("Share", "body", options=["eml"])
    with pytest.raises(AssertionError, match="no answer left"):
        await ui.confirm("Send?")

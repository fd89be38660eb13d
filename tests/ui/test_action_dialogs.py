"""The desktop's pick and preview dialogs: asked from the core's loop, answered on the GUI thread, with the
picker's searches run back on the loop as the user types."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from host.actions import Choice
from host.errors import UsageError
from host.ui.action_dialogs import PickDialog, PreviewDialog
from host.ui.actionui import QtActionUI
from host.ui.context import MessageSink
from host.ui.qt import QDialogButtonBox
from host.ui.testing import in_dialog

PEOPLE = [
    Choice("Priya Sharma", "priya.sharma@example.in", "priya"),
    Choice("Bo Li", "bo.li@example.com", "bo"),
    Choice("Jürgen Weiß", "juergen.weiss@example.de", "juergen"),
]

ARTIFACTS = Path(__file__).parent / "artifacts"


class Bar(MessageSink):
    """The window's message bar stands in as a list: what the action told the user."""

    def __init__(self) -> None:
        self.infos: list[str] = []

    def show_info(self, text: str, *, action: object = None) -> None:
        self.infos.append(text)


def searcher(log: list[str], *, fail_on: str | None = None) -> Callable[[str], object]:
    async def search(text: str) -> list[Choice]:
        assert asyncio.get_running_loop() is not None  # the loop thread, never the GUI thread
        log.append(text)
        await asyncio.sleep(0.01)
        if fail_on is not None and text == fail_on:
            raise UsageError("Zoom contacts could not be searched.", hint="Sign in to Zoom again.")
        return [choice for choice in PEOPLE if text.lower() in choice.label.lower()]

    return search


def test_pick_searches_as_the_user_types_and_returns_the_picked_row(qtbot, loop) -> None:
    searched: list[str] = []
    ui = QtActionUI(None, Bar())

    def act(dialog: PickDialog) -> None:
        qtbot.waitUntil(lambda: dialog.results.count() == 3, timeout=5000)
        qtbot.keyClicks(dialog.field, "li")
        qtbot.waitUntil(lambda: dialog.results.count() == 1 and "1 found" in dialog.status.text(), timeout=5000)
        ARTIFACTS.mkdir(exist_ok=True)
        dialog.grab().save(str(ARTIFACTS / "pick_dialog.png"))
        dialog.field.returnPressed.emit()

    in_dialog(PickDialog, act)
    future = loop.submit(ui.pick("Share to", searcher(searched), prompt="Search people"))
    qtbot.waitUntil(future.done, timeout=10000)

    assert future.result() == PEOPLE[1]
    # one search at the start and one for the word typed: typing pauses before a search starts
    assert searched == ["", "li"]


def test_a_failing_search_is_shown_in_the_picker_which_stays_open(qtbot, loop) -> None:
    ui = QtActionUI(None, Bar())

    def act(dialog: PickDialog) -> None:
        qtbot.waitUntil(lambda: dialog.results.count() == 3, timeout=5000)
        qtbot.keyClicks(dialog.field, "x")
        qtbot.waitUntil(lambda: "could not be searched" in dialog.status.text(), timeout=5000)
        assert "Sign in to Zoom again." in dialog.status.text()
        assert dialog.results.count() == 0
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.field.clear()
        qtbot.waitUntil(lambda: dialog.results.count() == 3, timeout=5000)
        dialog.reject()

    in_dialog(PickDialog, act)
    future = loop.submit(ui.pick("Share to", searcher([], fail_on="x")))
    qtbot.waitUntil(future.done, timeout=10000)
    assert future.result() is None


def test_preview_returns_the_ticked_options_or_none_when_cancelled(qtbot, loop) -> None:
    ui = QtActionUI(None, Bar())
    text = "Subject: Quarterly numbers\nFrom: Priya Sharma\n\nThe figures are in."

    def tick_and_send(dialog: PreviewDialog) -> None:
        assert dialog.text.toPlainText() == text and dialog.text.isReadOnly()
        [box] = dialog.boxes
        box.setChecked(True)
        dialog.grab().save(str(ARTIFACTS / "preview_dialog.png"))
        [send] = [b for b in dialog.buttons.buttons() if b.text() == "Send"]
        send.click()

    in_dialog(PreviewDialog, tick_and_send)
    sent = loop.submit(ui.preview("Share to Team Chat", text, options=["Attach as .eml"], accept="Send"))
    qtbot.waitUntil(sent.done, timeout=10000)
    assert sent.result() == frozenset({"Attach as .eml"})

    in_dialog(PreviewDialog, lambda dialog: dialog.reject())
    cancelled = loop.submit(ui.preview("Share to Team Chat", text, options=["Attach as .eml"], accept="Send"))
    qtbot.waitUntil(cancelled.done, timeout=10000)
    assert cancelled.result() is None


@pytest.mark.parametrize("ticked", [frozenset(), frozenset({"Attach as .eml"})])
def test_preview_without_ticks_accepts_with_an_empty_set(qtbot, loop, ticked: frozenset[str]) -> None:
    ui = QtActionUI(None, Bar())

    def act(dialog: PreviewDialog) -> None:
        for box in dialog.boxes:
            box.setChecked(box.text() in ticked)
        dialog.accept()

    in_dialog(PreviewDialog, act)
    future = loop.submit(ui.preview("Share", "text", options=["Attach as .eml"]))
    qtbot.waitUntil(future.done, timeout=10000)
    assert future.result() == ticked


@pytest.mark.parametrize("multiline", [False, True])
def test_ask_text_offers_a_text_and_returns_what_the_user_wrote(qtbot, loop, multiline: bool) -> None:
    from host.ui.qt import QInputDialog

    ui = QtActionUI(None, Bar())
    seen: list[str] = []

    def write(dialog: QInputDialog) -> None:
        seen.append(dialog.textValue())
        dialog.setTextValue("Free at three?")
        dialog.accept()

    in_dialog(QInputDialog, write)
    future = loop.submit(ui.ask_text("Chat with Lena", "Your first message", text="Hi Lena!", multiline=multiline))
    qtbot.waitUntil(future.done, timeout=10000)
    assert future.result() == "Free at three?" and seen == ["Hi Lena!"]

    in_dialog(QInputDialog, lambda dialog: dialog.reject())
    cancelled = loop.submit(ui.ask_text("Chat with Lena", "Your first message", multiline=multiline))
    qtbot.waitUntil(cancelled.done, timeout=10000)
    assert cancelled.result() is None

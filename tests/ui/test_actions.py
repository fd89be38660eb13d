"""Workflow actions placed by the shell: in the message toolbar and the composer, asking through Qt dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import mail_view.plugin as mail_view_plugin
import pytest
from testprovider import plugin as testmail_plugin
from ui_support import HOSTILE_SUBJECT, select_subject

from host.actions import Action, ActionContext, ActionPlace, ActionResult
from host.app import Host
from host.hookspecs import hookimpl
from host.ui.qt import QInputDialog, QMessageBox
from host.views import View, ViewArea


async def share(context: ActionContext) -> ActionResult:
    choice = await context.ui.choose("Share to", ["Design", "Finance"])
    if choice is None or not await context.ui.confirm(f"Share “{context.message.subject}”?"):
        return ActionResult(message="Not shared.")
    return ActionResult(message=f"Shared “{context.message.subject}” to {['Design', 'Finance'][choice]}.")


async def add_link(context: ActionContext) -> ActionResult:
    draft = context.draft
    return ActionResult(draft=attrs.evolve(draft, body_text=draft.body_text + "\nJoin: https://zoom.us/j/123"))


def sender_card(context: object) -> object:
    from host.ui.qt import QLabel

    class Card(QLabel):
        def show_item(self, item: object) -> None:
            self.setText(item.sender.email if item is not None and item.sender else "")

    card = Card()
    card.setAccessibleName("Sender card")
    return card


class Workflows:
    @hookimpl
    def register_views(self, register: Callable[[View], None]) -> None:
        register(View("sender-card", "Sender", ViewArea.SIDEBAR, sender_card))

    @hookimpl
    def register_actions(self, register: Callable[[Action], None]) -> None:
        register(
            Action(
                "share",
                "Share to Team Chat",
                frozenset({ActionPlace.MESSAGE}),
                share,
                available=lambda context: context.message is not None and context.message.sender is not None,
            )
        )
        register(Action("zoom-link", "Add Zoom link", frozenset({ActionPlace.COMPOSER}), add_link))


@pytest.fixture
def host(make_host, tmp_path: Path) -> Host:
    built = make_host(testmail_plugin, mail_view_plugin, ("workflows", Workflows()))
    built.data_dir = tmp_path / "data"
    return built


def test_a_message_action_asks_through_dialogs_and_reports_in_the_message_bar(qtbot, window, mail, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a: (items[1], True))
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    [(action, qaction)] = mail._message_actions
    assert action.id == "share" and qaction in mail.toolbar.actions()
    assert not qaction.isEnabled()  # nothing chosen yet

    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    assert qaction.isEnabled()
    qaction.trigger()

    bar = window.message_bar
    qtbot.waitUntil(lambda: bar.isVisible() and "Shared" in bar.message(), timeout=10000)
    assert bar.message() == f"Shared “{HOSTILE_SUBJECT}” to Finance."
    assert asked == [f"Share “{HOSTILE_SUBJECT}”?"]


def test_a_composer_action_changes_the_draft_being_written(qtbot, window, mail) -> None:
    composer = window.compose(None)
    composer.to.setText("bo@example.com")
    composer.plain.setChecked(True)
    composer.body.setPlainText("See you there.")
    [zoom] = [a for a in composer.toolbar.actions() if a.text() == "Add Zoom link"]

    zoom.trigger()

    qtbot.waitUntil(lambda: "Join: https://zoom.us/j/123" in composer.body.toPlainText(), timeout=10000)
    assert composer.body.toPlainText().startswith("See you there.")
    assert composer.to.text() == "bo@example.com"


def test_a_sidebar_is_told_which_message_is_in_front(qtbot, mail) -> None:
    [card] = mail.sidebars
    assert mail.sidebar_tabs.tabText(0) == "Sender"

    select_subject(qtbot, mail, HOSTILE_SUBJECT)
    assert card.text() == "billing@shady.example"

    mail.folders.select(next(f.id for f in mail.folders.folders() if f.name == "Sent"))
    assert card.text() == ""

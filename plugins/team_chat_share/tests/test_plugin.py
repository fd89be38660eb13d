"""The plugin as the host sees it (one message action, light hooks), and what a shared email becomes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from host.actions import ActionContext, ActionPlace
from host.model.mail import Address, Message
from host.testing import ScriptedActionUI
from team_chat_share.plugin import ACTION_ID, TeamChatSharePlugin
from team_chat_share.recipients import Recipient, RecipientKind, contact_from_json
from team_chat_share.sharing import MESSAGE_MAX_LENGTH, eml_name, excerpt, share_text

HEAVY = ("httpx", "PyQt6", "starlette", "uvicorn", "authlib", "sqlcipher3")


def test_it_registers_one_message_action_offered_only_with_a_message(make_host) -> None:
    host = make_host(("zoomclient-team-chat-share", TeamChatSharePlugin()))

    (action,) = host.registry.actions
    assert action.id == ACTION_ID and action.places == frozenset({ActionPlace.MESSAGE})
    with_message = ActionContext(host, ActionPlace.MESSAGE, ScriptedActionUI(), message=Message("m", "t", "S", None))
    assert action.available(with_message)
    assert not action.available(ActionContext(host, ActionPlace.MESSAGE, ScriptedActionUI()))


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, team_chat_share.plugin as p; p.PLUGIN.register_actions(lambda a: None); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def message(**changes) -> Message:
    values = dict(
        id="m1",
        thread_id="t1",
        subject="Plans",
        sender=Address("priya.sharma@example.in", "Priya Sharma"),
        date=dt.datetime(2026, 12, 1, 8, 15, tzinfo=dt.UTC),
        body_text="Hello",
    )
    return Message(**{**values, **changes})


def test_the_excerpt_leaves_out_quotes_and_the_signature_and_keeps_paragraphs() -> None:
    body = "Hi,\r\n\r\n\r\nfirst   line\r\n> quoted\r\nsecond\r\n\r\n-- \r\nPriya\r\n"

    assert excerpt(body) == "Hi,\n\nfirst line\nsecond"
    assert excerpt("word " * 50, 30) == "word word word word word word…"


def test_a_message_without_text_shares_its_snippet_or_just_its_headers() -> None:
    html_only = share_text(message(body_text="", snippet="Only HTML here"))
    bare = share_text(message(body_text="", subject="", sender=None))

    assert html_only.endswith("\n\nOnly HTML here")
    assert bare.splitlines()[:2] == ["Email: (no subject)", "From: (unknown sender)"] and len(bare.splitlines()) == 3


def test_the_text_fits_team_chats_limit_whatever_the_headers() -> None:
    text = share_text(message(subject="S" * 5000, sender=Address("x@example.com", "N" * 5000), body_text="b " * 5000))

    assert len(text) <= MESSAGE_MAX_LENGTH
    assert text.splitlines()[0].endswith("…") and text.splitlines()[1].endswith("…")


def test_the_eml_name_is_safe_on_every_system() -> None:
    assert eml_name(message(subject='Re: a/b\\c: "d" <e>?')) == "Re_ a_b_c_ _d_ _e.eml"
    assert eml_name(message(subject="...")) == "message.eml"
    assert len(eml_name(message(subject="long " * 100))) <= 84


def test_a_contact_is_written_to_by_email_and_sent_files_by_user_id() -> None:
    ana = contact_from_json(
        {"id": "u003ana", "email": "ana@example.de", "first_name": "Ana", "last_name": "Müller", "dept": "Product"}
    )
    channel = Recipient(RecipientKind.CHANNEL, "ch-1", "Product")

    assert ana.message_target() == {"to_contact": "ana@example.de"} and ana.file_target() == {"to_contact": "u003ana"}
    assert channel.message_target() == channel.file_target() == {"to_channel": "ch-1"}
    assert ana.choice().label == "Ana Müller <ana@example.de>" and ana.choice().detail == "Contact · Product"


@given(
    subject=st.text(max_size=3000),
    name=st.text(max_size=3000),
    body=st.text(max_size=6000),
    snippet=st.text(max_size=500),
)
@settings(max_examples=200, deadline=None)
def test_whatever_the_email_the_text_fits_team_chats_limit(subject: str, name: str, body: str, snippet: str) -> None:
    text = share_text(message(subject=subject, sender=Address("x@example.com", name), body_text=body, snippet=snippet))

    assert len(text) <= MESSAGE_MAX_LENGTH
    lines = text.split("\n")
    assert lines[0].startswith("Email: ") and lines[1].startswith("From: ") and lines[2].startswith("Date: ")

"""The "Share to Team Chat" action end to end: the host's action, answered by a script, against the Zoom
emulator (its real routes, OAuth and rate limits) with a message synced from TestMail into the store."""

from __future__ import annotations

import email
import email.policy

import attrs
import pytest
from share_support import ANA, SHARED_SUBJECT

from host.actions import ActionContext, ActionPlace
from host.errors import ProviderError, UsageError
from host.model.mail import Message
from host.testing import ScriptedActionUI
from team_chat_share.plugin import ACTION_ID, EML_OPTION
from team_chat_share.sharing import FILE_MAX_BYTES, MESSAGE_MAX_LENGTH, MessageTooLarge, share, share_text

ANA_LABEL = f"Ana Müller <{ANA}>"


def shared_message(session) -> Message:
    store, _ = session.require_mail()
    (found,) = [m for m in store.list_messages(limit=50) if m.subject == SHARED_SUBJECT]
    message = store.get_message(found.id)
    assert message is not None and message.raw is not None
    return message


async def run_share(host, message: Message, ui: ScriptedActionUI):
    (action,) = [a for a in host.registry.actions if a.id == ACTION_ID]
    context = ActionContext(host=host, place=ActionPlace.MESSAGE, ui=ui, message=message)
    assert action.available(context)
    return await action.run(context)


async def test_sharing_to_a_contact_sends_subject_sender_date_and_an_excerpt(host, session, zoom) -> None:
    message = shared_message(session)
    ui = ScriptedActionUI(picks=[("ana", ANA_LABEL)], previews=[set()])

    result = await run_share(host, message, ui)

    (sent,) = zoom.state.chat_messages
    assert sent["to_contact"] == ANA and sent["sender"] == "alex.morgan@example.com"
    text = sent["message"]
    assert text.startswith(f"Email: {SHARED_SUBJECT}\nFrom: Priya Sharma <priya.sharma@example.in>\nDate: ")
    assert "here are the drafts for the Q3 roadmap. Grüße from the Köln office!" in text
    assert "On Monday you wrote" not in text and "Example Inc." not in text, "quotes and signature stay out"
    assert "2026" in text.splitlines()[2]
    assert result.message == f"Shared “{SHARED_SUBJECT}” with Ana Müller in Team Chat."
    # The picker opened on the user's channels; typing searched Zoom's contacts.
    (opening, typed) = ui.searches
    assert [c.label for c in opening[1]] == ["Product"]
    assert [c.label for c in typed[1]] == [ANA_LABEL] and "Away" in typed[1][0].detail
    (_, _, preview, options) = ui.asked[1]
    assert preview.startswith(f"To: {ANA_LABEL}") and text in preview and options == (EML_OPTION,)


async def test_sharing_to_a_channel_with_the_eml_delivers_the_message_intact(host, session, zoom, testmail) -> None:
    message = shared_message(session)
    ui = ScriptedActionUI(picks=[("prod", "Product")], previews=[{EML_OPTION}])

    result = await run_share(host, message, ui)

    text, attached = zoom.state.chat_messages
    assert text["to_channel"] == "ch-product" and "Email: Q3 roadmap" in text["message"]
    assert attached["to_channel"] == "ch-product" and attached["reply_main_message_id"] == text["id"]
    (stored,) = zoom.state.chat_files.values()
    assert attached["file_name"] == stored["name"] == "Q3 roadmap — Entwürfe für Müller & Co.eml"
    assert stored["content_type"] == "message/rfc822"
    assert stored["data"] == testmail.state.raw(message.id) == message.raw, "byte for byte"
    reread = email.message_from_bytes(stored["data"], policy=email.policy.default)
    assert reread["Subject"] == SHARED_SUBJECT
    assert [p.get_filename() for p in reread.iter_attachments()] == ["Q3.pdf"]
    assert result.message.endswith(f"with Product in Team Chat, with the email as {stored['name']}.")


async def test_cancelling_the_picker_or_the_preview_sends_nothing(host, session, zoom) -> None:
    message = shared_message(session)

    assert (await run_share(host, message, ScriptedActionUI(picks=[("ana", None)]))).message == ""
    cancelled = ScriptedActionUI(picks=[("ana", ANA_LABEL)], previews=[None])
    assert (await run_share(host, message, cancelled)).message == ""

    assert zoom.state.chat_messages == []


async def test_without_a_zoom_sign_in_the_action_says_how_to_sign_in(make_host, testmail_url) -> None:
    from testprovider import plugin as testmail_plugin

    from host.secrets import MemorySecretStore
    from team_chat_share.plugin import TeamChatSharePlugin
    from zoom_workplace.session import open_client

    nobody = MemorySecretStore()
    plugin = TeamChatSharePlugin(connect=lambda host: open_client(nobody, host))
    host = make_host(testmail_plugin, ("zoomclient-team-chat-share", plugin))
    message = Message(id="m1", thread_id="t1", subject="Hello", sender=None)

    with pytest.raises(UsageError, match="Nobody is signed in to Zoom") as raised:
        await run_share(host, message, ScriptedActionUI())
    assert raised.value.hint == "Sign in on the Zoom page of File → Settings…, or with `zoomclient zoom signin`."


async def test_a_long_email_is_cut_to_team_chats_limit_at_a_word(host, session, zoom) -> None:
    message = attrs.evolve(shared_message(session), subject="Long " * 100, body_text="word " * 2000)

    text = share_text(message)
    await run_share(host, message, ScriptedActionUI(picks=[("ana", ANA_LABEL)], previews=[set()]))

    assert len(text) <= MESSAGE_MAX_LENGTH and text.endswith("word…")
    assert zoom.state.chat_messages[0]["message"] == text


async def test_the_emulator_refuses_a_message_longer_than_the_spec_allows(session, secrets, zoom) -> None:
    from host.errors import ZoomclientError
    from zoom_workplace.session import open_client

    client = open_client(secrets)
    try:
        with pytest.raises(ZoomclientError, match="longer than 1024"):
            await client.request("POST", "/chat/users/me/messages", body={"message": "x" * 1025, "to_contact": ANA})
    finally:
        await client.aclose()
    assert zoom.state.chat_messages == []


async def test_an_email_too_large_for_a_chat_file_is_not_offered_and_never_half_sent(
    host, share_plugin, session, zoom
) -> None:
    big = attrs.evolve(shared_message(session), raw=b"x" * (FILE_MAX_BYTES + 1))
    ui = ScriptedActionUI(picks=[("ana", ANA_LABEL)], previews=[set()])

    await run_share(host, big, ui)

    (_, _, preview, options) = ui.asked[1]
    assert options == () and "20.0 MB, more than the 20 MB Team Chat takes as a file" in preview
    zoom.state.chat_messages.clear()

    client = share_plugin.client()
    try:
        (ana,) = await directory_contacts(client, "ana")
        with pytest.raises(MessageTooLarge, match="at most 20 MB") as raised:
            await share(client, ana, big, eml=big.raw)
    finally:
        await client.aclose()
    assert "without the .eml" in raised.value.hint
    assert zoom.state.chat_messages == [], "nothing went, not even the excerpt"


async def test_the_emulator_refuses_a_chat_file_over_20_mb(session, secrets, zoom) -> None:
    from team_chat_share.files import send_file
    from zoom_workplace.client import ZoomApiError
    from zoom_workplace.session import open_client

    client = open_client(secrets)
    try:
        with pytest.raises(ZoomApiError, match="Maximum file size exceeded: 20MB") as raised:
            await send_file(
                client,
                "big.eml",
                b"x" * (FILE_MAX_BYTES + 1),
                content_type="message/rfc822",
                target={"to_channel": "ch-product"},
            )
    finally:
        await client.aclose()
    assert raised.value.code == 300 and zoom.state.chat_files == {}


async def test_a_channel_gone_before_sending_says_to_pick_again(host, session, zoom) -> None:
    def pick_then_delete(rows):
        zoom.state.channels.clear()  # deleted in Zoom while the user looked at the preview
        return rows[0]

    ui = ScriptedActionUI(picks=[("product", pick_then_delete)], previews=[set()])

    with pytest.raises(ProviderError, match="Team Chat did not take the message for Product") as raised:
        await run_share(host, shared_message(session), ui)
    assert "Pick the channel again" in raised.value.hint


async def test_a_file_refused_after_the_excerpt_went_says_the_excerpt_went(share_plugin, session, zoom) -> None:
    message = shared_message(session)
    client = share_plugin.client()
    try:
        (ana,) = await directory_contacts(client, "ana")
        broken = attrs.evolve(ana, id="u999nobody")  # a user id Zoom does not know: the file route refuses it
        with pytest.raises(ProviderError, match=r"The excerpt was shared with .*but the \.eml file was not") as raised:
            await share(client, broken, message, eml=message.raw)
    finally:
        await client.aclose()
    assert "Pick the contact again" in raised.value.hint
    assert len(zoom.state.chat_messages) == 1 and zoom.state.chat_files == {}


async def directory_contacts(client, text: str):
    from team_chat_share.recipients import Directory

    return await Directory(client).contacts(text)

"""The contract's mail part: folders, sync (initial, incremental, after an expired cursor), sending,
drafts, local changes pushed (flags, labels, move, trash, delete), folder editing, server and local
search, rules, auto-reply, and injected faults survived."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable

import attrs
import pytest

from host.accounts import AccountSession
from host.errors import AuthError
from host.model.mail import (
    Address,
    AutoReply,
    AutoReplyMode,
    Draft,
    FolderKind,
    OutgoingMessage,
    Rule,
    RuleActions,
    RuleConditions,
)
from host.providers import MailCapability
from host.sync import SyncEngine
from host.testing.contract_base import (
    CONTRACT_SETTINGS,
    OUTSIDER,
    ContractBase,
    MailParts,
    assert_mirrors_server,
    folder_id,
    now,
    subjects_found,
    unique,
)
from host.testing.control import EmulatorControl
from host.testing.recorder import CallRecorder


class MailContract(ContractBase):
    # -- folders and sync -------------------------------------------------------------------------

    async def test_mail_folders_have_the_roles_the_host_needs(self, contract_session: AccountSession) -> None:
        mail = self.mail_parts(contract_session)
        listed = await mail.provider.list_folders()
        await mail.engine.sync()

        ids = [f.id for f in listed]
        assert len(ids) == len(set(ids)), "folder ids repeat"
        assert {f.id for f in mail.store.folders()} == set(ids)
        kinds = {f.kind for f in listed}
        needed = {FolderKind.INBOX, FolderKind.SENT, FolderKind.TRASH}
        if MailCapability.DRAFTS in mail.provider.capabilities:
            needed.add(FolderKind.DRAFTS)
        assert needed <= kinds, f"missing folder roles: {sorted(k.value for k in needed - kinds)}"

    async def test_mail_initial_sync_mirrors_the_server(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        subject, body = unique("Initial sync"), unique("A body to find")
        delivered = contract_control.deliver(subject=subject, body=body, sender=OUTSIDER)

        await mail.engine.sync()

        assert_mirrors_server(mail.store, contract_control)
        message = mail.store.get_message(delivered)
        assert message is not None
        assert message.subject == subject
        assert message.sender is not None and message.sender.email == OUTSIDER
        assert body in message.body_text
        assert folder_id(mail.store, FolderKind.INBOX) in message.folder_ids

    async def test_mail_incremental_sync_follows_server_changes(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        gone, read, flagged = _three(contract_control)
        unread_before = contract_control.message_state(read)[0]
        flagged_before = contract_control.message_state(flagged)[1]

        subject = unique("Arrived later")
        arrived = contract_control.deliver(subject=subject, body="new on the server", sender=OUTSIDER)
        contract_control.remove(gone)
        contract_control.mark(read, unread=not unread_before)
        contract_control.mark(flagged, flagged=not flagged_before)
        recorder = CallRecorder(mail.provider)
        await SyncEngine(recorder, mail.store, CONTRACT_SETTINGS).sync()

        assert recorder.calls["list_messages"] == 0, "an incremental sync listed the mailbox again"
        assert recorder.calls["changes"] >= 1
        assert_mirrors_server(mail.store, contract_control)
        assert subjects_found(mail.store, subject) == [arrived]
        assert mail.store.get_message(gone) is None

    async def test_mail_expired_cursor_resyncs_without_loss_or_duplicates(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        gone, changed, _ = _three(contract_control)

        contract_control.expire_mail_cursor()
        subject = unique("Arrived while the cursor expired")
        arrived = contract_control.deliver(subject=subject, body="still here after the resync", sender=OUTSIDER)
        contract_control.remove(gone)
        contract_control.mark(changed, flagged=not contract_control.message_state(changed)[1])
        recorder = CallRecorder(mail.provider)
        await SyncEngine(recorder, mail.store, CONTRACT_SETTINGS).sync()

        assert recorder.calls["list_messages"] >= 1, "the cursor did not expire: no full resync happened"
        assert_mirrors_server(mail.store, contract_control)
        assert subjects_found(mail.store, subject) == [arrived]

    # -- sending and drafts -------------------------------------------------------------------------

    async def test_mail_send_reaches_the_server_once(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        subject = unique("Sent by the contract")
        message = OutgoingMessage(to=(Address(OUTSIDER, "Peer"),), subject=subject, body_text="Hello from the kit.")

        item = await mail.engine.send(message, send_at=now())
        await mail.engine.push()

        assert contract_control.sent_subjects().count(subject) == 1
        assert [i.state for i in mail.store.outbox() if i.id == item.id] == ["sent"]
        await mail.engine.sync()
        await mail.engine.sync()
        assert contract_control.sent_subjects().count(subject) == 1
        found = subjects_found(mail.store, subject)
        assert len(found) == 1, f"the sent message is stored {len(found)} times"
        stored = mail.store.get_message(found[0])
        assert stored is not None and folder_id(mail.store, FolderKind.SENT) in stored.folder_ids

    async def test_mail_drafts_round_trip(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session, MailCapability.DRAFTS)
        provider = mail.provider
        first, second, third = unique("Draft"), unique("Draft changed"), unique("Draft sent")
        message = OutgoingMessage(to=(Address(OUTSIDER),), subject=first, body_text="not finished")

        draft = await provider.save_draft(None, message)
        assert draft.id and draft.message.subject == first
        assert _draft_subjects(await provider.list_drafts(), first) == [draft.id]

        changed = await provider.save_draft(draft.id, attrs.evolve(message, subject=second))
        listed = await provider.list_drafts()
        assert _draft_subjects(listed, first) == []
        assert _draft_subjects(listed, second) == [changed.id]
        # Reopened and saved again as the composer's autosave does, a draft reads exactly as written.
        reopened = next(d for d in listed if d.id == changed.id)
        resaved = await provider.save_draft(reopened.id, reopened.message)
        again = next(d for d in await provider.list_drafts() if d.id == resaved.id)
        assert again.message.body_text == message.body_text

        await provider.delete_draft(changed.id)
        assert _draft_subjects(await provider.list_drafts(), second) == []

        to_send = await provider.save_draft(None, attrs.evolve(message, subject=third))
        await provider.send_draft(to_send.id)
        assert contract_control.sent_subjects().count(third) == 1
        assert _draft_subjects(await provider.list_drafts(), third) == []

    # -- local changes pushed ---------------------------------------------------------------------

    async def test_mail_flags_are_pushed(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        message_id = sorted(contract_control.message_ids())[0]
        unread, flagged = contract_control.message_state(message_id)

        for _ in range(2):  # there and back, so both directions of each flag go to the server
            await mail.engine.mark_read([message_id], read=unread)
            await mail.engine.set_flagged([message_id], not flagged)
            local = mail.store.get_message(message_id)
            assert local is not None and (local.unread, local.flagged) == (not unread, not flagged)
            await mail.engine.push()
            assert contract_control.message_state(message_id) == (not unread, not flagged)
            unread, flagged = not unread, not flagged

        await mail.engine.sync()
        assert_mirrors_server(mail.store, contract_control)

    async def test_mail_trash_is_pushed(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        subject = unique("To the trash")
        contract_control.deliver(subject=subject, body="unwanted", sender=OUTSIDER)
        await mail.engine.sync()
        (message_id,) = subjects_found(mail.store, subject)

        await mail.engine.trash([message_id])
        await mail.engine.push()
        await mail.engine.sync()

        _assert_filed(mail, contract_control, subject, folder_id(mail.store, FolderKind.TRASH))
        assert_mirrors_server(mail.store, contract_control)

    async def test_mail_move_is_pushed(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        subject = unique("To be moved")
        contract_control.deliver(subject=subject, body="file me", sender=OUTSIDER)
        await mail.engine.sync()
        target = await _move_target(mail)
        (message_id,) = subjects_found(mail.store, subject)

        await mail.engine.move([message_id], target)
        await mail.engine.push()
        await mail.engine.sync()

        _assert_filed(mail, contract_control, subject, target)
        assert_mirrors_server(mail.store, contract_control)

    async def test_mail_labels_are_pushed(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session, MailCapability.LABELS)
        subject = unique("To be labelled")
        message_id = contract_control.deliver(subject=subject, body="tag me", sender=OUTSIDER)
        await mail.engine.sync()
        label = await _custom_folder(mail)
        inbox = folder_id(mail.store, FolderKind.INBOX)

        await mail.engine.change_labels([message_id], add=[label])
        await mail.engine.push()
        assert {label, inbox} <= contract_control.message_folders(message_id)

        await mail.engine.change_labels([message_id], remove=[label])
        await mail.engine.push()
        on_server = contract_control.message_folders(message_id)
        assert label not in on_server and inbox in on_server
        await mail.engine.sync()
        assert_mirrors_server(mail.store, contract_control)

    async def test_mail_delete_is_pushed(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        subject = unique("Deleted for good")
        message_id = contract_control.deliver(subject=subject, body="gone soon", sender=OUTSIDER)
        await mail.engine.sync()

        await mail.engine.delete([message_id])
        assert mail.store.get_message(message_id) is None
        await mail.engine.push()

        assert message_id not in contract_control.message_ids()
        await mail.engine.sync()
        assert_mirrors_server(mail.store, contract_control)

    async def test_mail_folders_are_created_renamed_and_deleted(self, contract_session: AccountSession) -> None:
        provider = self.mail_parts(contract_session, MailCapability.FOLDER_EDIT).provider
        name, renamed = unique("Contract folder"), unique("Contract folder renamed")

        created = await provider.create_folder(name)
        assert created.name == name
        assert {f.id: f.name for f in await provider.list_folders()}.get(created.id) == name

        changed = await provider.rename_folder(created.id, renamed)
        assert changed.name == renamed
        names = {f.id: f.name for f in await provider.list_folders()}
        assert names.get(changed.id) == renamed and name not in names.values()

        await provider.delete_folder(changed.id)
        assert changed.id not in {f.id for f in await provider.list_folders()}

    # -- search -----------------------------------------------------------------------------------

    async def test_mail_server_search_finds_new_mail(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session, MailCapability.SERVER_SEARCH)
        subject = unique("Needle")
        word = subject.rsplit(" ", 1)[1]
        message_id = contract_control.deliver(subject=subject, body="in a haystack", sender=OUTSIDER)

        assert await mail.provider.search(word) == [message_id]
        assert await mail.provider.search(f"subject:{word}") == [message_id]
        assert message_id in await mail.provider.search(f"from:{OUTSIDER}", limit=500)
        assert await mail.provider.search(f"subject:{word} -from:{OUTSIDER}") == []

    async def test_mail_server_search_finds_sent_mail_by_message_id(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        """What the outbox asks after a crash mid-send, to send a message once and never twice."""
        mail = self.mail_parts(contract_session, MailCapability.SERVER_SEARCH)
        message = OutgoingMessage(to=(Address(OUTSIDER),), subject=unique("Find me by id"), body_text=".")
        item = await mail.engine.send(message, send_at=now())
        await mail.engine.push()
        (sent,) = [i for i in mail.store.outbox() if i.id == item.id]
        assert sent.state == "sent" and sent.sent_id

        assert await mail.provider.search(f"rfc822msgid:{item.message_id_header}") == [sent.sent_id]

    async def test_mail_local_search_finds_synced_mail(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        subject, body = unique("Local needle"), unique("body")
        subject_word, body_word = subject.rsplit(" ", 1)[1], body.rsplit(" ", 1)[1]
        message_id = contract_control.deliver(subject=subject, body=body, sender=OUTSIDER)
        await mail.engine.sync()

        assert [m.id for m in mail.store.search(f"subject:{subject_word}")] == [message_id]
        assert [m.id for m in mail.store.search(body_word)] == [message_id]
        assert message_id in {m.id for m in mail.store.search(f"from:{OUTSIDER}", limit=500)}
        assert [m.id for m in mail.store.search(f"{subject_word} in:inbox")] == [message_id]

    # -- settings on the server -------------------------------------------------------------------

    async def test_mail_rules_round_trip(self, contract_session: AccountSession) -> None:
        provider = self.mail_parts(contract_session, MailCapability.RULES).provider
        word = unique("rule").rsplit(" ", 1)[1]
        rule = Rule(None, "Contract rule", RuleConditions(from_contains=(OUTSIDER,)), RuleActions(mark_read=True))

        saved = await provider.save_rule(rule)
        assert saved.id
        assert [r.id for r in await provider.list_rules() if OUTSIDER in r.conditions.from_contains] == [saved.id]
        assert saved.actions.mark_read

        # Gmail changes a filter by delete + create: the id may change, the rule must not double.
        changed = await provider.save_rule(attrs.evolve(saved, conditions=RuleConditions(subject_contains=(word,))))
        rules = await provider.list_rules()
        assert [r.id for r in rules if word in r.conditions.subject_contains] == [changed.id]
        assert [r.id for r in rules if OUTSIDER in r.conditions.from_contains] == []
        assert changed.actions.mark_read

        await provider.delete_rule(changed.id)
        assert changed.id not in {r.id for r in await provider.list_rules()}

    async def test_mail_auto_reply_round_trip(self, contract_session: AccountSession) -> None:
        provider = self.mail_parts(contract_session, MailCapability.AUTO_REPLY).provider
        text = unique("Away until Monday.")
        start = now().replace(minute=0, second=0) + dt.timedelta(days=1)
        wanted = AutoReply(
            AutoReplyMode.SCHEDULED,
            start,
            start + dt.timedelta(days=7),
            subject="Away",
            internal_message=text,
            external_message=text,
        )

        await provider.set_auto_reply(wanted)
        got = await provider.get_auto_reply()
        assert got.mode is AutoReplyMode.SCHEDULED
        assert got.start == wanted.start and got.end == wanted.end
        assert text in got.internal_message or text in got.external_message

        await provider.set_auto_reply(AutoReply(AutoReplyMode.DISABLED))
        assert (await provider.get_auto_reply()).mode is AutoReplyMode.DISABLED

    # -- faults -----------------------------------------------------------------------------------

    async def test_faults_throttling_and_server_errors_are_survived(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        subject = unique("Through the faults")
        arrived = contract_control.deliver(subject=subject, body="made it", sender=OUTSIDER)

        contract_control.fail_next(429, retry_after=1)
        contract_control.fail_next(503, count=2)
        await mail.engine.sync()

        assert_mirrors_server(mail.store, contract_control)
        assert subjects_found(mail.store, subject) == [arrived]

    async def test_faults_an_interrupted_send_goes_out_once(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        """A send that fails is not retried blindly (it may have arrived); the next round asks the
        server for its Message-ID (search, or the listing) and sends it only when it is not there."""
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        subject = unique("Sent after a 503")
        message = OutgoingMessage(to=(Address(OUTSIDER),), subject=subject, body_text="once")

        contract_control.fail_next(503)
        item = await mail.engine.send(message, send_at=now())
        await mail.engine.push()
        assert contract_control.sent_subjects().count(subject) == 0

        await mail.engine.push()
        await mail.engine.push()
        assert contract_control.sent_subjects().count(subject) == 1
        assert [i.state for i in mail.store.outbox() if i.id == item.id] == ["sent"]

    async def test_faults_a_refused_token_asks_to_sign_in_again(
        self, contract_session: AccountSession, contract_control: EmulatorControl
    ) -> None:
        """A 401 is either recovered from by the provider or reported as AuthError (the user signs in
        again), never as anything else; and it leaves nothing broken behind."""
        mail = self.mail_parts(contract_session)
        await mail.engine.sync()
        contract_control.deliver(subject=unique("After the 401"), body="fine", sender=OUTSIDER)

        contract_control.fail_next(401)
        with contextlib.suppress(AuthError):
            await mail.engine.sync()

        await mail.engine.sync()
        assert_mirrors_server(mail.store, contract_control)


def _three(control: EmulatorControl) -> tuple[str, str, str]:
    ids = sorted(control.message_ids())
    assert len(ids) >= 3, "seed the emulator with at least three messages"
    return ids[0], ids[1], ids[2]


def _draft_subjects(drafts: Iterable[Draft], subject: str) -> list[str]:
    """Ids of the drafts with exactly this subject."""
    return [d.id for d in drafts if d.message.subject == subject]


async def _move_target(mail: MailParts) -> str:
    """A folder to move mail into: the archive where there is one, else a custom folder."""
    archive = mail.store.folder_by_kind(FolderKind.ARCHIVE)
    return archive.id if archive is not None and not archive.hidden else await _custom_folder(mail)


async def _custom_folder(mail: MailParts) -> str:
    """A custom folder or label: one the mailbox has, or one made for the test where the provider can."""
    found = [f for f in mail.store.folders() if f.kind is FolderKind.CUSTOM and not f.hidden]
    if found:
        return found[0].id
    if MailCapability.FOLDER_EDIT not in mail.provider.capabilities:
        pytest.skip("the mailbox has no custom folder, and the provider declares it cannot make one")
    created = await mail.provider.create_folder(unique("Contract"))
    await mail.engine.sync()
    return created.id


def _assert_filed(mail: MailParts, control: EmulatorControl, subject: str, target: str) -> None:
    """The message with ``subject`` is in ``target`` and out of the inbox, locally and on the server
    (found by subject: a provider may give a moved message a new id)."""
    inbox = folder_id(mail.store, FolderKind.INBOX)
    (message_id,) = subjects_found(mail.store, subject)
    local = mail.store.get_message(message_id)
    assert local is not None and target in local.folder_ids and inbox not in local.folder_ids
    on_server = control.message_folders(message_id)
    assert target in on_server and inbox not in on_server

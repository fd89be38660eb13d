"""``zoomclient sync`` and ``zoomclient mail ...``: the mailbox from the command line."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
from pathlib import Path

import click

from host.cli.support import DATETIME, accounts, echo_json, jsonable, reports_errors, run
from host.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(sync_command)
    cli.add_command(mail)


@click.command(name="sync")
@click.option("--json", "as_json", is_flag=True, help="Print progress events as JSON lines.")
@click.pass_context
@reports_errors
def sync_command(ctx: click.Context, as_json: bool) -> None:
    """Bring the local copy of the mailbox up to date, and send what waits in the outbox."""
    from host.sync import SyncProgress

    manager = accounts(ctx)

    async def sync() -> tuple[int, int]:
        session = await manager.open()
        try:
            store, engine = session.require_mail()
            if as_json:
                engine.subscribe(lambda p: click.echo(json.dumps(jsonable(p))))
                await engine.sync()
            else:
                await _sync_with_progress_bar(engine, SyncProgress)
            return store.count()
        finally:
            await session.aclose()

    total, unread = run(sync())
    if as_json:
        click.echo(json.dumps({"phase": "done", "messages": total, "unread": unread}))
    else:
        click.echo(f"Up to date: {total} messages, {unread} unread.")


async def _sync_with_progress_bar(engine, progress_type) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True) as bar:
        task = bar.add_task("Syncing", total=None)

        def show(progress: progress_type) -> None:  # type: ignore[valid-type]
            bar.update(
                task,
                description=progress.message or progress.phase.value.capitalize(),
                completed=progress.done,
                total=progress.total,
            )

        engine.subscribe(show)
        await engine.sync()


@click.group()
def mail() -> None:
    """Read, search and send mail from the local encrypted copy."""


def _folder_id(store, name: str | None) -> str | None:
    """A folder by id, name or role (inbox, sent, ...); the inbox when none is given."""
    from host.errors import UsageError
    from host.model import FolderKind

    folders = store.folders()
    wanted = (name or "inbox").lower()
    for folder in folders:
        if folder.id.lower() == wanted or folder.name.lower() == wanted or folder.kind.value == wanted:
            return str(folder.id)
    if name is None and not folders:
        return None
    known = ", ".join(sorted(f.name for f in folders if f.kind is not FolderKind.CATEGORY)) or "none yet (run sync)"
    raise UsageError(f"There is no folder {name!r}.", hint=f"Folders: {known}.")


def _print_summaries(summaries, as_json: bool) -> None:
    if as_json:
        echo_json(summaries)
        return
    if not summaries:
        click.echo("No messages.")
    for summary in summaries:
        mark = "●" if summary.unread else " "
        star = "★" if summary.flagged else " "
        sender = summary.sender.name or summary.sender.email if summary.sender else "(no sender)"
        when = summary.date.astimezone().strftime("%Y-%m-%d %H:%M")
        click.echo(f"{mark}{star} {when}  {sender[:24]:<24}  {summary.subject[:70]}   [{summary.id}]")


@mail.command(name="list")
@click.option("--folder", help="Folder or label: its name, id or role (inbox, sent, drafts, trash, ...).")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def mail_list(ctx: click.Context, folder: str | None, limit: int, as_json: bool) -> None:
    """List the newest messages of a folder (the inbox by default)."""

    async def list_messages():
        session = await accounts(ctx).open()
        try:
            store, _ = session.require_mail()
            return store.list_messages(_folder_id(store, folder), limit=limit)
        finally:
            await session.aclose()

    _print_summaries(run(list_messages()), as_json)


@mail.command(name="search")
@click.argument("query")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def mail_search(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Search with words, "phrases" and operators: from: to: subject: has:attachment before: after:
    in: label: is:unread is:flagged, and -negation."""

    async def search():
        session = await accounts(ctx).open()
        try:
            store, _ = session.require_mail()
            return store.search(query, limit=limit)
        finally:
            await session.aclose()

    _print_summaries(run(search()), as_json)


@mail.command(name="show")
@click.argument("message_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@reports_errors
def mail_show(ctx: click.Context, message_id: str, as_json: bool) -> None:
    """Show one message as plain text (HTML mail is shown as its text)."""
    from host.errors import UsageError

    async def show():
        session = await accounts(ctx).open()
        try:
            store, _ = session.require_mail()
            return store.get_message(message_id)
        finally:
            await session.aclose()

    message = run(show())
    if message is None:
        raise UsageError(f"There is no message {message_id!r}.", hint="Ids are in `mail list`.")
    if as_json:
        echo_json(message)
        return
    click.echo(f"From:    {message.sender or ''}")
    click.echo(f"To:      {', '.join(map(str, message.to))}")
    if message.cc:
        click.echo(f"Cc:      {', '.join(map(str, message.cc))}")
    click.echo(f"Date:    {message.date.astimezone():%Y-%m-%d %H:%M %Z}")
    click.echo(f"Subject: {message.subject}")
    for attachment in message.attachments:
        if not attachment.inline:
            click.echo(f"Attachment: {attachment.filename} ({attachment.content_type}, {attachment.size} bytes)")
    if message.parse_note:
        click.echo(f"Note: {message.parse_note}")
    click.echo()
    click.echo(message.body_text)


@mail.command(name="send")
@click.option("--to", "to", multiple=True, required=True, help="A recipient (repeat for more).")
@click.option("--cc", multiple=True)
@click.option("--bcc", multiple=True)
@click.option("--subject", required=True)
@click.option("--body", required=True, help="The plain-text body.")
@click.option("--attach", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--at", "send_at", type=DATETIME, help="Send later, at this local time.")
@click.pass_context
@reports_errors
def mail_send(ctx: click.Context, to, cc, bcc, subject: str, body: str, attach, send_at: dt.datetime | None) -> None:
    """Send a message now, or queue it in the outbox to go at a later time (`--at`)."""
    from host.model import Address, OutgoingAttachment, OutgoingMessage

    attachments = tuple(
        OutgoingAttachment(
            filename=path.name,
            content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            data=path.read_bytes(),
        )
        for path in attach
    )
    when = send_at.astimezone(dt.UTC) if send_at else dt.datetime.now(dt.UTC)

    async def send():
        session = await accounts(ctx).open()
        try:
            _, engine = session.require_mail()
            outgoing = OutgoingMessage(
                to=tuple(Address(a) for a in to),
                cc=tuple(Address(a) for a in cc),
                bcc=tuple(Address(a) for a in bcc),
                subject=subject,
                body_text=body,
                sender=Address(session.account.email, session.account.display_name),
                attachments=attachments,
            )
            item = await engine.send(outgoing, send_at=when)
            if send_at is None:
                await engine.push()
            return item
        finally:
            await session.aclose()

    item = run(send())
    if send_at is None:
        click.echo(f"Sent to {', '.join(to)}.")
    else:
        click.echo(f"Queued (outbox #{item.id}); it goes at {send_at:%Y-%m-%d %H:%M} when zoomclient syncs.")

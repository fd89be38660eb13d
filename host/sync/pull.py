"""Bringing the server's state into the store: full listing (recent first), catch-up, incremental.

A full listing takes the cursor *before* its first page, writes each page in one transaction with
the position of the next, then catches up with ``changes(cursor)``: whatever changed on the server
while the pages went by is applied afterwards, so nothing is lost. The last page also prunes the
local messages no page brought (a resync after an expired cursor), except those with unpushed
local changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from functools import partial
from typing import TYPE_CHECKING

import attrs

from host.errors import CursorExpired, ProviderError, RateLimited, TransientError
from host.providers.mail import ChangePage, MessagePage
from host.sync.context import SyncContext
from host.sync.progress import SyncPhase
from host.sync.state import CURSOR, LISTING, Listing, drop_seen, seen_key, unpushed_ids

if TYPE_CHECKING:
    from host.store.store import MailStore

log = logging.getLogger(__name__)

#: Full listings one pull may start when the server keeps forgetting the cursor before the catch-up.
_MAX_LISTINGS = 3


class Puller:
    def __init__(self, ctx: SyncContext, window: dt.timedelta | None) -> None:
        self.ctx = ctx
        self.window = window

    async def pull(self) -> None:
        """One pull: folders, and beside them incremental changes, or the full listing when there is
        no cursor yet, one is under way, or the server forgot ours.

        The folder list goes in a task of its own: nothing orders it before the messages (a message
        may name a folder the list does not show yet), and the first page is what the user waits for.
        """
        folders = asyncio.ensure_future(self.refresh_folders())
        try:
            await self._messages()
        except BaseException:
            folders.cancel()
            with contextlib.suppress(asyncio.CancelledError, ProviderError):
                await folders
            raise
        await folders

    async def _messages(self) -> None:
        cursor, saved = await self.ctx.db(lambda s: (s.get_state(CURSOR), s.get_state(LISTING)))
        if saved is None and cursor is not None:
            try:
                await self._incremental(cursor)
                return
            except CursorExpired:
                log.info("the server forgot the sync cursor: resyncing in full")
                self.ctx.emit(SyncPhase.RESYNC, message="The server forgot the sync position; resyncing in full.")
        await self._full(Listing.loads(saved) if saved is not None else None)

    async def refresh_folders(self) -> None:
        folders = await self.ctx.remote(self.ctx.provider.list_folders)
        await self.ctx.db(lambda s: s.replace_folders(folders))
        self.ctx.emit(SyncPhase.FOLDERS, len(folders), len(folders))

    # -- the full listing ----------------------------------------------------------------------

    async def _full(self, listing: Listing | None) -> None:
        listings = 0
        while True:
            if listing is None:
                listings += 1
                listing = await self._start()
            if not listing.listed:
                listed = await self._list(listing)
                if listed is None:  # the server refused a saved page token: start over
                    listing = None
                    continue
                listing = listed
            try:
                await self._catch_up(listing)
                return
            except CursorExpired:
                # The cursor taken before the listing expired before the catch-up finished; only a
                # new listing from a new cursor is sure to miss nothing. A server that forgets
                # faster than we can list ends the round; the next round starts over.
                if listings >= _MAX_LISTINGS:
                    raise
                log.info("the listing's cursor expired during the catch-up: listing again")
                listing = None

    async def _start(self) -> Listing:
        cursor = await self.ctx.remote(self.ctx.provider.current_cursor)
        since = self.ctx.clock() - self.window if self.window is not None else None
        listing = Listing(cursor, since)

        def start(store: MailStore) -> None:
            with store.transaction():
                old = store.get_state(LISTING)
                if old is not None:
                    drop_seen(store, Listing.loads(old).pages)
                store.set_state(CURSOR, None)
                store.set_state(LISTING, listing.dumps())

        await self.ctx.db(start)
        return listing

    async def _list(self, listing: Listing) -> Listing | None:
        """Fetch and write the remaining pages; the next page is fetched while this one is written."""
        provider, since = self.ctx.provider, listing.since

        def fetch(token: str | None) -> asyncio.Future[MessagePage]:
            return asyncio.ensure_future(self.ctx.remote(lambda: provider.list_messages(page_token=token, since=since)))

        resumed = listing.page_token is not None
        task: asyncio.Future[MessagePage] | None = fetch(listing.page_token)
        written = 0
        try:
            while task is not None:
                try:
                    page = await task
                except ProviderError as error:
                    if not resumed or isinstance(error, RateLimited | TransientError):
                        raise
                    log.info("the server refused the saved page token (%s): listing from the start", error.status)
                    return None
                resumed = False
                token = page.next_page_token
                task = fetch(token) if token else None
                listing = attrs.evolve(listing, page_token=token, pages=listing.pages + 1, listed=not token)
                await self.ctx.db(partial(_write_page, page=page, listing=listing))
                written += len(page.messages)
                phase = SyncPhase.RECENT if listing.pages == 1 else SyncPhase.BACKFILL
                self.ctx.emit(phase, written, written if listing.listed else None)
        finally:
            if task is not None:
                task.cancel()
        return listing

    async def _catch_up(self, listing: Listing) -> None:
        cursor = listing.cursor
        while True:
            page = await self.ctx.remote(partial(self.ctx.provider.changes, cursor))
            cursor = page.cursor or cursor
            done = not page.has_more
            following = None if done else attrs.evolve(listing, cursor=cursor)
            await self.ctx.db(partial(_write_catch_up, page=page, cursor=cursor, listing=following))
            self.ctx.emit(SyncPhase.CATCH_UP, _size(page))
            if done:
                return

    # -- incremental ---------------------------------------------------------------------------

    async def _incremental(self, cursor: str) -> None:
        changed = 0
        while True:
            page = await self.ctx.remote(partial(self.ctx.provider.changes, cursor))
            cursor = page.cursor or cursor
            await self.ctx.db(partial(_write_changes, page=page, cursor=cursor))
            changed += _size(page)
            self.ctx.emit(SyncPhase.INCREMENTAL, changed)
            if not page.has_more:
                return


def _size(page: ChangePage) -> int:
    return len(page.added) + len(page.updated) + len(page.deleted)


def _apply(store: MailStore, page: ChangePage) -> None:
    # Deletions last: a message added and deleted within one page ends deleted.
    if page.added:
        store.upsert_messages(page.added)
    if page.updated:
        store.apply_updates(page.updated)
    if page.deleted:
        store.delete_messages(page.deleted)


def _write_page(store: MailStore, *, page: MessagePage, listing: Listing) -> None:
    with store.transaction():
        store.upsert_messages(page.messages)
        store.set_state(seen_key(listing.pages - 1), json.dumps([m.id for m in page.messages]))
        if listing.listed:
            seen = drop_seen(store, listing.pages)
            stale = store.all_ids() - seen - unpushed_ids(store)
            if stale:
                log.info("pruning %d messages the server no longer has", len(stale))
                store.delete_messages(sorted(stale))
        store.set_state(LISTING, listing.dumps())


def _write_catch_up(store: MailStore, *, page: ChangePage, cursor: str, listing: Listing | None) -> None:
    with store.transaction():
        _apply(store, page)
        if listing is None:
            store.set_state(LISTING, None)
            store.set_state(CURSOR, cursor)
        else:
            store.set_state(LISTING, listing.dumps())


def _write_changes(store: MailStore, *, page: ChangePage, cursor: str) -> None:
    with store.transaction():
        _apply(store, page)
        store.set_state(CURSOR, cursor)

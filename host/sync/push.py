"""Local changes: applied to the store at once and queued in the same transaction, then pushed.

Changes go to the server in the order they were made; one that keeps failing with a 429 or a 5xx
waits (with back-off) and holds the later ones back, so that "flag, then delete" never arrives as
"delete, then flag". One the server refuses is dropped and the messages it named are read again
from the server: the server wins.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from host.errors import NotSupported, ProviderError, RateLimited, TransientError
from host.model.mail import Folder, FolderKind, Message
from host.providers.mail import MessageUpdate
from host.store.queues import PendingChange
from host.sync.context import SyncContext
from host.sync.progress import SyncPhase

if TYPE_CHECKING:
    from host.store.store import MailStore

log = logging.getLogger(__name__)

MODIFY = "modify"
MOVE = "move"
TRASH = "trash"
DELETE = "delete"

#: Folders that say where a message *is* (rather than what it is tagged with): a move leaves them.
_PLACES = frozenset({FolderKind.INBOX, FolderKind.ARCHIVE, FolderKind.TRASH, FolderKind.SPAM})

#: Statuses that mean the message is gone from the server.
_GONE = frozenset({404, 410})

#: How a local change turns a stored message into its new folders and flags (given the folder list).
Updater = Callable[[Message, dict[str, Folder]], MessageUpdate]


class Pusher:
    def __init__(self, ctx: SyncContext, rng: random.Random) -> None:
        self.ctx = ctx
        self._rng = rng

    # -- applying locally ----------------------------------------------------------------------

    async def modify(
        self,
        ids: Sequence[str],
        *,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        unread: bool | None = None,
        flagged: bool | None = None,
    ) -> None:
        def update(message: Message, folders: dict[str, Folder]) -> MessageUpdate:
            kept = [f for f in message.folder_ids if f not in remove]
            return MessageUpdate(
                message.id,
                tuple(dict.fromkeys([*kept, *add])),
                message.unread if unread is None else unread,
                message.flagged if flagged is None else flagged,
            )

        payload = {"ids": list(ids), "add": list(add), "remove": list(remove), "unread": unread, "flagged": flagged}
        await self.ctx.db(partial(_apply_locally, ids=ids, update=update, kind=MODIFY, payload=payload))

    async def move(self, ids: Sequence[str], folder_id: str) -> None:
        await self.ctx.db(
            partial(
                _apply_locally,
                ids=ids,
                update=_mover(folder_id),
                kind=MOVE,
                payload={"ids": list(ids), "folder_id": folder_id},
            )
        )

    async def trash(self, ids: Sequence[str]) -> None:
        def trash(store: MailStore) -> None:
            folder = store.folder_by_kind(FolderKind.TRASH)
            if folder is not None:
                _apply_locally(store, ids=ids, update=_mover(folder.id), kind=TRASH, payload={"ids": list(ids)})
            elif store.folders():  # the server's folders are known, and none is a trash: gone for good, as there
                _delete_locally(store, ids, TRASH)
            else:
                # No folder synced yet (the first sync failed early): whether the server keeps a trash is
                # unknown, so the message stays as it is until a sync brings the server's word. Deleting it
                # here lost it for good when the server kept it in its trash (the sync skips updates of
                # messages it does not hold).
                with store.transaction():
                    store.enqueue_change(TRASH, {"ids": list(ids)})

        await self.ctx.db(trash)

    async def delete(self, ids: Sequence[str]) -> None:
        await self.ctx.db(partial(_delete_locally, ids=ids, kind=DELETE))

    # -- pushing -------------------------------------------------------------------------------

    async def push(self) -> None:
        """Push every due change in order; stop at the first that must wait."""
        changes = await self.ctx.db(lambda s: s.pending_changes())
        now = self.ctx.clock()
        for done, change in enumerate(changes, 1):
            if change.next_try_at > now:
                return  # an earlier change is waiting: the later ones wait behind it
            try:
                await self._push_one(change)
            except (RateLimited, TransientError) as error:
                wait = self.ctx.limiter.policy.delay(change.attempts + 1, self._rng)
                log.info("change %d not pushed (%s); retrying in %.1f s", change.id, type(error).__name__, wait)
                retry_at = now + dt.timedelta(seconds=wait)
                await self.ctx.db(
                    lambda s, c=change, e=error, t=retry_at: s.retry_change(c.id, error=str(e), next_try_at=t)
                )
                return
            except (ProviderError, NotSupported) as error:
                log.warning("the server refused change %d (%s); taking its state", change.id, change.kind)
                await self.ctx.db(lambda s, c=change: s.complete_change(c.id))
                self.ctx.emit(SyncPhase.FAILED, done, len(changes), f"A change was refused by the server: {error}")
                await self.restore(change.payload.get("ids", ()))
            else:
                await self.ctx.db(lambda s, c=change: s.complete_change(c.id))
            self.ctx.emit(SyncPhase.PUSH, done, len(changes))

    async def next_try_at(self) -> dt.datetime | None:
        changes = await self.ctx.db(lambda s: s.pending_changes())
        return changes[0].next_try_at if changes else None

    async def _push_one(self, change: PendingChange) -> None:
        provider, p = self.ctx.provider, change.payload
        ids: list[str] = p["ids"]
        if change.kind == MODIFY:
            call: Any = partial(
                provider.modify,
                ids,
                add_folder_ids=p["add"],
                remove_folder_ids=p["remove"],
                unread=p["unread"],
                flagged=p["flagged"],
            )
            await self.ctx.remote(call)
        elif change.kind == MOVE:
            renamed = await self.ctx.remote(partial(provider.move, ids, p["folder_id"]))
            await self._take_new_ids({old: new for old, new in renamed.items() if old != new})
        elif change.kind == TRASH:
            await self.ctx.remote(partial(provider.trash, ids))
        elif change.kind == DELETE:
            await self.ctx.remote(partial(provider.delete, ids))
        else:
            raise ProviderError(
                f"Unknown local change kind {change.kind!r}.", hint="This is a bug; the change is dropped."
            )

    async def _take_new_ids(self, renamed: dict[str, str]) -> None:
        """A server that gives moved messages new ids (Graph): store them under the new ones."""
        if not renamed:
            return
        fetched = await asyncio.gather(
            *(self.ctx.remote(partial(self.ctx.provider.get_message, new)) for new in renamed.values())
        )

        def swap(store: MailStore) -> None:
            with store.transaction():
                store.delete_messages(list(renamed))
                store.upsert_messages(fetched)

        await self.ctx.db(swap)

    async def restore(self, ids: Sequence[str]) -> None:
        """Take the server's state of ``ids``: fetch each again, or forget it where the server has not got it."""
        results = await asyncio.gather(*(self._fetch(message_id) for message_id in ids))
        found = [m for m in results if isinstance(m, Message)]
        gone = [message_id for message_id, m in zip(ids, results, strict=True) if m is None]

        def write(store: MailStore) -> None:
            with store.transaction():
                store.upsert_messages(found)
                store.delete_messages(gone)

        await self.ctx.db(write)

    async def _fetch(self, message_id: str) -> Message | bool | None:
        """The message, None when the server has not got it, False when it could not tell."""
        try:
            return await self.ctx.remote(partial(self.ctx.provider.get_message, message_id))
        except ProviderError as error:
            if error.status in _GONE:
                return None
            log.warning("could not read message %s back from the server (%s)", message_id, error.status)
            return False


def _mover(folder_id: str) -> Updater:
    """An update that puts a message into ``folder_id``, leaving its other place (inbox, archive, ...)."""

    def update(message: Message, folders: dict[str, Folder]) -> MessageUpdate:
        def is_place(f: str) -> bool:
            folder = folders.get(f)
            return folder is not None and (folder.exclusive or folder.kind in _PLACES)

        kept = [f for f in message.folder_ids if not is_place(f)]
        return MessageUpdate(message.id, tuple(dict.fromkeys([*kept, folder_id])), message.unread, message.flagged)

    return update


def _apply_locally(
    store: MailStore, *, ids: Sequence[str], update: Updater, kind: str, payload: dict[str, Any]
) -> None:
    with store.transaction():
        folders = {f.id: f for f in store.folders()}
        updates = [update(m, folders) for m in map(store.get_message, ids) if m is not None]
        store.apply_updates(updates)
        store.enqueue_change(kind, payload)


def _delete_locally(store: MailStore, ids: Sequence[str], kind: str) -> None:
    with store.transaction():
        store.delete_messages(ids)
        store.enqueue_change(kind, {"ids": list(ids)})

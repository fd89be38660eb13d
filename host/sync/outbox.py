"""The outbox: each queued message is sent once, at its time (undo-send delay, send later).

An item is marked ``sending`` (committed) before the send call. One found ``sending`` later, after a
crash or a dropped connection, may or may not have reached the server, so the server is asked for
its Message-ID first and it is sent again only when the server has not got it.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

import attrs

from host.errors import NotSupported, ProviderError, RateLimited, TransientError
from host.model.mail import OutgoingMessage
from host.store.errors import OutboxConflict
from host.store.queues import OutboxItem
from host.sync.context import SyncContext
from host.sync.progress import SyncPhase

log = logging.getLogger(__name__)

#: How far before its send time the fallback lookup (no server search) reads the mailbox back.
_LOOKBACK = dt.timedelta(days=1)


class OutboxSender:
    def __init__(self, ctx: SyncContext) -> None:
        self.ctx = ctx

    async def queue(self, message: OutgoingMessage, send_at: dt.datetime) -> OutboxItem:
        return await self.ctx.db(lambda s: s.queue_outgoing(message, send_at=send_at))

    async def cancel(self, item_id: int) -> bool:
        """Undo send: True when the item was dropped before it started sending."""
        return await self.ctx.db(lambda s: s.cancel_outgoing(item_id))

    async def requeue(self, item_id: int, send_at: dt.datetime) -> None:
        await self.ctx.db(lambda s: s.requeue_outgoing(item_id, send_at=send_at))

    async def next_due(self) -> dt.datetime | None:
        items = await self.ctx.db(lambda s: s.outbox())
        return min((item.send_at for item in items if item.state == "queued"), default=None)

    async def send_due(self) -> None:
        """Settle items left ``sending``, then send every queued item whose time has come."""
        for item in await self.ctx.db(lambda s: s.outbox()):
            if item.state == "sending":
                await self._recover(item)
        due = await self.ctx.db(lambda s: s.due_outgoing(self.ctx.clock()))
        for done, item in enumerate(due, 1):
            try:
                await self.ctx.db(lambda s, i=item: s.mark_sending(i.id))
            except OutboxConflict:
                continue  # undone (or taken) since it was read
            await self._deliver(item)
            self.ctx.emit(SyncPhase.OUTBOX, done, len(due))

    async def _recover(self, item: OutboxItem) -> None:
        try:
            sent_id = await self._find_sent(item)
        except (RateLimited, TransientError) as error:
            log.info("could not ask whether outbox item %d went out (%s); asking next round", item.id, error.status)
            return
        if sent_id is not None:
            log.info("outbox item %d had reached the server before the interruption", item.id)
            await self.ctx.db(lambda s: s.mark_sent(item.id, sent_id))
        else:
            await self._deliver(item)

    async def _deliver(self, item: OutboxItem) -> None:
        message = attrs.evolve(item.message, message_id_header=item.message_id_header)
        try:
            # A dropped connection may come after the server took the message: no blind retry.
            sent_id = await self.ctx.remote(partial(self.ctx.provider.send, message), retry_transient=False)
        except (RateLimited, TransientError) as error:
            log.info("outbox item %d: send interrupted (%s); checking the server next round", item.id, error.status)
            return
        except (ProviderError, NotSupported) as error:
            log.warning("outbox item %d was refused by the server", item.id)
            reason = str(error)
            await self.ctx.db(lambda s: s.mark_failed(item.id, reason))
            self.ctx.emit(SyncPhase.FAILED, message=f"A message could not be sent: {error}")
            return
        await self.ctx.db(lambda s: s.mark_sent(item.id, sent_id))

    async def _find_sent(self, item: OutboxItem) -> str | None:
        """The server's id of the message with ``item``'s Message-ID, or None when it has none."""
        provider, header = self.ctx.provider, item.message_id_header
        try:
            ids = await self.ctx.remote(partial(provider.search, f"rfc822msgid:{header}", limit=1))
            return ids[0] if ids else None
        except NotSupported:
            pass
        since = item.send_at - _LOOKBACK
        token: str | None = None
        while True:
            page = await self.ctx.remote(partial(provider.list_messages, page_token=token, since=since))
            for message in page.messages:
                if message.message_id_header == header:
                    return message.id
            token = page.next_page_token
            if not token:
                return None

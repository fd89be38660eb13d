"""What the engine keeps in the store's sync state, so that a restart resumes where it stopped.

Every value here is written in the same transaction as the mail it describes: after a crash the
state never claims more (or less) than the data holds.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from host.store.store import MailStore

#: The incremental cursor; set once a full listing and its catch-up are complete.
CURSOR = "sync.cursor"
#: The full listing in progress (a :class:`Listing` as JSON); absent when none is.
LISTING = "sync.listing"


def seen_key(page: int) -> str:
    """The ids that page ``page`` of the listing brought, for pruning what the server no longer has."""
    return f"sync.listing.seen.{page}"


@attrs.frozen
class Listing:
    """A full listing: the cursor taken *before* it started, the page to fetch next, how far it got.

    ``listed`` means every page is in and the stale messages are pruned: what remains is the catch-up
    from ``cursor``, which moves on with every page of changes.
    """

    cursor: str
    since: dt.datetime | None
    page_token: str | None = None
    pages: int = 0
    listed: bool = False

    def dumps(self) -> str:
        return json.dumps(
            {
                "cursor": self.cursor,
                "since": self.since.isoformat() if self.since else None,
                "page_token": self.page_token,
                "pages": self.pages,
                "listed": self.listed,
            }
        )

    @classmethod
    def loads(cls, text: str) -> Listing:
        data = json.loads(text)
        since = dt.datetime.fromisoformat(data["since"]) if data["since"] else None
        return cls(data["cursor"], since, data["page_token"], data["pages"], data["listed"])


def drop_seen(store: MailStore, pages: int) -> set[str]:
    """Remove the per-page id lists of a listing and return their union."""
    seen: set[str] = set()
    for page in range(pages):
        text = store.get_state(seen_key(page))
        if text is not None:
            seen.update(json.loads(text))
            store.set_state(seen_key(page), None)
    return seen


def unpushed_ids(store: MailStore) -> set[str]:
    """Messages named by local changes the server has not taken yet: a resync must not drop them."""
    return {message_id for change in store.pending_changes() for message_id in change.payload.get("ids", ())}

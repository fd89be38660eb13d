"""The process test_crash.py kills: syncs the store at argv[2] from the emulator at argv[1], then exits.

The Authorization header and the database key come in the environment (ZOOMCLIENT_TEST_AUTHORIZATION,
ZOOMCLIENT_TEST_KEY) so that they never show in a process listing. It also makes a local change on
each run, so that kills land in pushes as well as in listings. It prints every progress event, one a
line, for the parent to time its kill by.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "testprovider")]

import httpx  # noqa: E402
from sync_support import FAST  # noqa: E402
from testprovider import names  # noqa: E402
from testprovider.mail import TestMailProviderFactory  # noqa: E402
from testprovider.plugin import ACCOUNT_TYPE  # noqa: E402

from host.model.account import Account  # noqa: E402
from host.providers.connection import ProviderConnection  # noqa: E402
from host.store.store import MailStore  # noqa: E402
from host.sync import SyncEngine  # noqa: E402


async def main(url: str, path: Path) -> None:
    bearer = {"Authorization": os.environ["ZOOMCLIENT_TEST_AUTHORIZATION"]}
    account = Account("owner@example.com", names.ACCOUNT_TYPE, sandbox_url=url)
    async with httpx.AsyncClient(headers=bearer) as http:
        connection = ProviderConnection(account, http, ACCOUNT_TYPE.rebased(url).endpoints)
        with MailStore.open(path, bytes.fromhex(os.environ["ZOOMCLIENT_TEST_KEY"])) as store:
            engine = SyncEngine(TestMailProviderFactory().open(connection), store, FAST)
            # Each step on stdout: the parent picks its moment to kill by them, whatever the machine's speed.
            engine.subscribe(lambda progress: print(progress.phase.value, progress.done, flush=True))
            newest = store.list_messages(limit=3)
            if newest:
                await engine.mark_read([m.id for m in newest], read=newest[0].unread)
            await engine.sync()
    print("synced", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2])))

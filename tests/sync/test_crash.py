"""A sync killed with SIGKILL at random points resumes: the database is intact, nothing committed is
lost, nothing is duplicated, and the next sync ends with the server's state.

The emulator runs in this process, so its state outlives the killed client.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sync_support import assert_converged

from host.store.store import MailStore, new_key

CHILD = Path(__file__).with_name("sync_child.py")


def _start(url: str, path: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
async def test_sigkill_at_random_points_then_resume(emulator, connect, tmp_path):
    served = emulator(messages=400, seed=3)
    state = served.state
    connection = await connect(served.url)
    key = new_key()
    env = dict(
        os.environ,
        ZOOMCLIENT_TEST_AUTHORIZATION=connection.http.headers["Authorization"],
        ZOOMCLIENT_TEST_KEY=key.hex(),
    )
    path = tmp_path / "mail.db"
    rng = random.Random(20261124)
    committed: set[str] = set()
    deleted_on_server: set[str] = set()
    kills = 0
    for run in range(7):
        child = _start(served.url, path, env)
        # Kill after a random number of progress steps and a random moment more: mid-page, mid-write,
        # mid-catch-up or mid-push, whatever the machine's speed.
        assert child.stdout is not None
        for _ in range(rng.randint(1, 4)):
            if not child.stdout.readline():
                break
        time.sleep(rng.uniform(0, 0.15))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        _, errors = child.communicate(timeout=30)
        assert child.returncode in (0, -signal.SIGKILL), errors
        with MailStore.open(path, key) as store:
            assert store.integrity_check() == "ok"
            ids = store.all_ids()
            assert store.count()[0] == len(ids)  # nothing twice
            assert committed - deleted_on_server <= ids  # nothing committed lost
            committed = ids
        # The server moves on between runs: the next run has a listing or a catch-up to finish.
        server_ids = sorted(state.messages)
        gone = rng.sample(server_ids, 3)
        state.delete(gone)
        deleted_on_server.update(gone)
        state.modify(rng.sample(sorted(state.messages), 3), add={"SPAM"}, unread=False)
        state.add_message(subject=f"between runs {run}")
        if run == 3:
            state.expire_history()  # and once it forgets every cursor
    assert kills >= 3

    finished = _start(served.url, path, env)
    output, errors = finished.communicate(timeout=120)
    assert finished.returncode == 0, errors
    assert "synced" in output
    with MailStore.open(path, key) as store:
        assert_converged(store, state)

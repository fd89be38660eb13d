"""Initial sync of a Zoom Mail mailbox from the emulator into the encrypted store, with and without
Zoom's rate limits (Pro plan: 30 Light, 20 Medium, 10 Heavy requests a second per account).

    .venv/bin/python provider_zoommail/benchmarks/initial_sync.py --messages 100000 --quota-messages 3000

Without arguments it makes a smoke run (a few hundred messages, seconds). Prints the figures and one
JSON line. Targets (DESIGN §4): without limits, at least half the raw store rate measured in the same
run; with limits, at least 90% of the limit-bound rate, and no 429 answered by the server. Zoom Mail
has no batch endpoint: a message is one Light get (or several of a thread one Light thread get), a
listed page one Medium listing. The bound is what the limits allow for the requests the sync made:
30 Light units a second over the units it spent per message (the server's meter counts them), so
the first second's full bucket puts a small run a little above it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from host.accounts import Accounts
from host.app import Host
from host.auth import headless_browser
from host.mime import parse_message
from host.sandbox.datagen import OWNER
from host.sandbox.datagen import Mailbox as GeneratedMailbox
from host.sandbox.runner import ChildEmulator, ServerThread
from host.sandbox.service import SandboxOptions
from host.secrets import MemorySecretStore
from provider_zoommail import plugin
from provider_zoommail.api import RateBucket
from provider_zoommail.emulator import ZoomEmulator
from provider_zoommail.emulator.quota import REQUESTS_PER_SECOND
from provider_zoommail.mail import ZoomMail

ROOT_BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def raw_store_rate(messages: int, seed: int) -> float:
    """The store's own insert rate for the same messages, parsed as the provider parses them."""
    sys.path.insert(0, str(ROOT_BENCHMARKS))
    from store_bench import measure_raw_insert

    generated = GeneratedMailbox(messages, seed=seed, owner=OWNER)
    parsed = [
        parse_message(generated.raw(i), id=generated.id_of(i), thread_id=generated.meta(i).thread_id)
        for i in range(messages)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        return measure_raw_insert(Path(tmp) / "raw.db", parsed)


def serve(messages: int, seed: int, quota: bool) -> None:
    """The child process: the emulator on its own core, as a real server is. Prints its URL, serves
    until its standard input closes, then prints how many requests it throttled and the rate-limit
    units (Light requests) the mail requests cost."""
    emulator = ZoomEmulator(SandboxOptions(messages=messages, events=10, seed=seed))
    if not quota:
        emulator.faults.set_quota(None)
    with ServerThread(emulator, name="zoommail") as server:
        print(server.url, flush=True)
        sys.stdin.read()
    print(sum(1 for fault in emulator.faults.injected if fault.kind == "quota"), flush=True)
    policy = emulator.faults.quota_policy
    units = sum(policy.cost(entry.method, entry.path) for entry in emulator.log if "/emails/" in entry.path)
    print(units, flush=True)


async def synced(messages: int, seed: int, *, quota: bool) -> dict[str, float]:
    """Sign in to a fresh emulator in another process and run the engine's initial sync."""
    command = [sys.executable, __file__, "--serve", str(messages), "--seed", str(seed)]
    if quota:
        command.append("--quota")
    with ChildEmulator(command) as child:
        url = child.url
        with tempfile.TemporaryDirectory() as tmp:
            host = Host.from_plugins([plugin], data_dir=tmp)
            host.start()
            try:
                accounts = Accounts(host, MemorySecretStore())
                await accounts.add("zoommail", sandbox_url=url, open_browser=headless_browser, timeout=60)
                session = await accounts.open()
                try:
                    assert session.sync is not None and session.store is not None
                    assert isinstance(session.mail, ZoomMail)
                    if not quota:
                        session.mail.api.bucket = RateBucket(1e9, 1e9)  # neither side meters
                    began = time.perf_counter()
                    await session.sync.sync()
                    elapsed = time.perf_counter() - began
                    stored = session.store.count()[0]
                finally:
                    await session.aclose()
            finally:
                host.stop()
    throttled = int(child.epilogue[0]) if child.epilogue else -1
    units = float(child.epilogue[1]) if len(child.epilogue) > 1 else 0.0
    return {
        "seconds": elapsed,
        "messages": stored,
        "rate": stored / elapsed,
        "server_429": throttled,
        "units_per_message": units / max(stored, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=200, help="mailbox size without quotas (100000: the figure)")
    parser.add_argument(
        "--quota-messages", type=int, default=150, help="mailbox size with rate limits (about 28 messages a second)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the emulator's own process
    parser.add_argument("--quota", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve, args.seed, args.quota)
        return

    store_rate = raw_store_rate(args.messages, args.seed)
    free = asyncio.run(synced(args.messages, args.seed, quota=False))
    metered = asyncio.run(synced(args.quota_messages, args.seed, quota=True))
    bound = REQUESTS_PER_SECOND / metered["units_per_message"]
    result = {
        "benchmark": "zoommail_initial_sync",
        "messages": args.messages,
        "raw_store_rate": round(store_rate, 1),
        "sync_rate": round(free["rate"], 1),
        "sync_vs_store": round(free["rate"] / store_rate, 3),
        "quota_messages": args.quota_messages,
        "units_per_message": round(metered["units_per_message"], 3),
        "quota_bound_rate": round(bound, 1),
        "quota_sync_rate": round(metered["rate"], 1),
        "quota_vs_bound": round(metered["rate"] / bound, 3),
        "server_429": metered["server_429"],
        "complete": free["messages"] == args.messages and metered["messages"] == args.quota_messages,
    }
    share = f"{result['sync_vs_store']:.0%} of the store; >= 50%"
    print(f"raw store insert:          {store_rate:9.1f} messages/s")
    print(f"sync without quotas:       {free['rate']:9.1f} messages/s ({share})")
    print(f"Light units per message:   {metered['units_per_message']:9.3f}")
    print(f"limit-bound rate:          {bound:9.1f} messages/s")
    print(f"sync in Zoom's limits:     {metered['rate']:9.1f} messages/s ({result['quota_vs_bound']:.0%}; >= 90%)")
    print(f"429 answered by the server: {metered['server_429']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

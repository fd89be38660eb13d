"""Initial sync of a Gmail mailbox from the emulator into the encrypted store, with and without
Gmail's quota (250 units a second per user).

    .venv/bin/python provider_gmail/benchmarks/initial_sync.py --messages 100000 --quota-messages 10000

Without arguments it makes a smoke run (a few hundred messages, seconds). Prints the figures and one
JSON line. Targets (DESIGN §4): without quotas, at least half the raw store rate measured in the same
run; with quotas, at least 90% of the quota-bound rate, and no 429 answered by the server. A message
costs 5 units (its ``messages.get`` in a batch) plus 5 units per listed page: the bound is
``250 / (5 + 5 / page_size)`` messages a second.
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
from provider_gmail import plugin
from provider_gmail.emulator import GoogleEmulator
from provider_gmail.emulator.quota import UNITS_PER_SECOND
from provider_gmail.mail import GmailMail

ROOT_BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def raw_store_rate(messages: int, seed: int) -> tuple[float, float, float]:
    """The store's own insert rate for the same messages, parsed as the provider parses them, its CPU
    milliseconds a message, and the parse's (which the client spends on every message too)."""
    sys.path.insert(0, str(ROOT_BENCHMARKS))
    from store_bench import measure_raw_insert

    generated = GeneratedMailbox(messages, seed=seed, owner=OWNER)
    sources = [(generated.raw(i), generated.id_of(i), generated.meta(i).thread_id) for i in range(messages)]
    cpu = time.process_time()
    parsed = [parse_message(raw, id=message_id, thread_id=thread_id) for raw, message_id, thread_id in sources]
    parse_cpu = (time.process_time() - cpu) * 1000 / messages
    with tempfile.TemporaryDirectory() as tmp:
        cpu = time.process_time()
        rate = measure_raw_insert(Path(tmp) / "raw.db", parsed)
        return rate, (time.process_time() - cpu) * 1000 / messages, parse_cpu


def serve(messages: int, seed: int, quota: bool) -> None:
    """The child process: the emulator on its own core, as a real server is. Prints its URL, serves
    until its standard input closes, then prints how many requests it throttled and the CPU seconds it
    spent serving (seeding not counted)."""
    emulator = GoogleEmulator(SandboxOptions(messages=messages, events=10, seed=seed))
    if not quota:
        emulator.faults.set_quota(None)
    with ServerThread(emulator, name="gmail") as server:
        cpu = time.process_time()
        print(server.url, flush=True)
        sys.stdin.read()
        cpu = time.process_time() - cpu
    print(sum(1 for fault in emulator.faults.injected if fault.kind == "quota"), flush=True)
    print(cpu, flush=True)


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
                await accounts.add("gmail", sandbox_url=url, open_browser=headless_browser, timeout=60)
                session = await accounts.open()
                try:
                    assert session.sync is not None and session.store is not None
                    assert isinstance(session.mail, GmailMail)
                    if not quota:
                        session.mail.api.bucket = None  # neither side meters
                    began, cpu = time.perf_counter(), time.process_time()
                    await session.sync.sync()
                    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
                    stored = session.store.count()[0]
                finally:
                    await session.aclose()
            finally:
                host.stop()
    throttled, server_cpu = (int(child.epilogue[0]), float(child.epilogue[1])) if child.epilogue else (-1, 0.0)
    return {
        "seconds": elapsed,
        "messages": stored,
        "rate": stored / elapsed,
        "server_429": throttled,
        "client_cpu_ms": cpu * 1000 / max(stored, 1),
        "server_cpu_ms": server_cpu * 1000 / max(stored, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=200, help="mailbox size without quotas (100000: the figure)")
    parser.add_argument(
        "--quota-messages",
        type=int,
        default=300,
        help="mailbox size with quotas (about 50 messages a second; 0: no quota run)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the emulator's own process
    parser.add_argument("--quota", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve, args.seed, args.quota)
        return

    store_rate, store_cpu, parse_cpu = raw_store_rate(args.messages, args.seed)
    free = asyncio.run(synced(args.messages, args.seed, quota=False))
    result: dict[str, object] = {
        "benchmark": "gmail_initial_sync",
        "messages": args.messages,
        "raw_store_rate": round(store_rate, 1),
        "sync_rate": round(free["rate"], 1),
        "sync_vs_store": round(free["rate"] / store_rate, 3),
        "store_cpu_ms": round(store_cpu, 3),
        "parse_cpu_ms": round(parse_cpu, 3),
        "client_cpu_ms": round(free["client_cpu_ms"], 3),
        "server_cpu_ms": round(free["server_cpu_ms"], 3),
        "complete": free["messages"] == args.messages,
    }
    print(f"raw store insert:          {store_rate:9.1f} messages/s")
    share = f"{result['sync_vs_store']:.0%} of the store; >= 50%"
    print(f"sync without quotas:       {free['rate']:9.1f} messages/s ({share})")
    print(
        f"CPU a message:             {store_cpu:9.3f} ms raw insert, {parse_cpu:.3f} ms MIME parse, "
        f"{free['client_cpu_ms']:.3f} ms client (parse included), {free['server_cpu_ms']:.3f} ms emulator"
    )
    if args.quota_messages:
        metered = asyncio.run(synced(args.quota_messages, args.seed, quota=True))
        bound = UNITS_PER_SECOND / (5 + 5 / GmailMail.limits.page_size)
        result.update(
            quota_messages=args.quota_messages,
            quota_bound_rate=round(bound, 1),
            quota_sync_rate=round(metered["rate"], 1),
            quota_vs_bound=round(metered["rate"] / bound, 3),
            server_429=metered["server_429"],
            complete=result["complete"] and metered["messages"] == args.quota_messages,
        )
        print(f"quota-bound rate:          {bound:9.1f} messages/s")
        print(f"sync with Gmail's quota:   {metered['rate']:9.1f} messages/s ({result['quota_vs_bound']:.0%}; >= 90%)")
        print(f"429 answered by the server: {metered['server_429']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""The Graph provider's sync figures, against the Graph emulator over loopback HTTP.

    .venv/bin/python provider_m365/benchmarks/m365_sync_bench.py --full

1. Raw store insert rate (the host's ``store_bench.measure_raw_insert``) against the end-to-end sync rate
   from the emulator into a new encrypted store, in the same run (target: ratio >= 0.5), with the
   provider's own listing rate (pages of structured messages, nothing stored; the first run through a
   fresh emulator also pays for the emulator rendering each message from its MIME) beside them.
2. Sync against an emulator that meters the mailbox (``--rate`` requests a second, one second of burst,
   every request inside a ``$batch`` counted as Graph does; the four-request concurrency limit is always
   on), as a share of the rate-bound time (target: >= 0.9), with no 429 left unhandled. With the
   structured listing a page of 100 costs one request, so a small mailbox may not reach the bound.
3. Seconds from the start of the first sync to the first inbox page readable from the store.

The emulator runs in a process of its own (this script with ``--serve``). Prints the figures and one
JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "benchmarks")]

from host.errors import RateLimited  # noqa: E402
from host.model.mail import FolderKind  # noqa: E402
from host.providers.connection import ProviderLimits  # noqa: E402
from host.sandbox.runner import ChildEmulator  # noqa: E402
from host.store import MailStore, new_key  # noqa: E402
from host.sync import SyncEngine, SyncPhase, SyncProgress  # noqa: E402
from provider_m365.emulator.signin import open_connection  # noqa: E402
from provider_m365.mail import M365MailProvider  # noqa: E402

FULL = {"messages": 10_000, "rate_messages": 1_000, "first_page_mailbox": 100_000}


def serve(messages: int, rate: float | None) -> None:
    """``--serve``: run an emulator, print its URL, stop when stdin closes."""
    from host.sandbox.runner import ServerThread
    from host.sandbox.service import SandboxOptions
    from provider_m365.emulator.app import GraphEmulator

    emulator = GraphEmulator(SandboxOptions(messages=messages, events=0))
    if rate:
        emulator.faults.set_quota(rate, burst=rate)
    with ServerThread(emulator, name="m365-bench") as server:
        print(server.url, flush=True)
        sys.stdin.read()


@contextmanager
def emulator(messages: int, rate: float | None = None) -> Iterator[str]:
    command = [sys.executable, __file__, "--serve", "--messages", str(messages)]
    if rate:
        command += ["--serve-rate", str(rate)]
    with ChildEmulator(command) as child:
        yield child.url


def raw_insert_rate(count: int, tmp: Path) -> float:
    from store_bench import measure_raw_insert, synthetic_messages

    return measure_raw_insert(tmp / "raw.db", list(synthetic_messages(count)))


def _provider(connection: Any, page_size: int) -> M365MailProvider:
    provider = M365MailProvider(connection)
    provider.limits = ProviderLimits(max_concurrency=4, batch_size=20, page_size=page_size)
    return provider


async def listing_rate(url: str, page_size: int) -> tuple[float, float]:
    """Messages a second the provider lists and parses, nothing stored: the provider's own bound; and the
    client's CPU milliseconds a message (the emulator's process is not counted)."""
    connection = await open_connection(url)
    try:
        provider = _provider(connection, page_size)
        began, cpu, count, token = time.perf_counter(), time.process_time(), 0, None
        while True:
            page = await provider.list_messages(page_token=token, since=None)
            count += len(page.messages)
            token = page.next_page_token
            if not token:
                return count / (time.perf_counter() - began), (time.process_time() - cpu) * 1000 / count
    finally:
        await connection.http.aclose()


async def sync_rate(url: str, tmp: Path, page_size: int, name: str = "synced.db") -> tuple[float, int, float, list]:
    """Messages a second into a new store, their count, the client's CPU milliseconds a message (all its
    threads: the store writes from a worker thread), and the requests' answers seen by the client."""
    answers: list[tuple[str, int]] = []

    async def seen(response: Any) -> None:
        path = response.request.url.path
        if path.endswith("/$batch") and response.status_code == 200:
            # Graph meters the requests inside a batch, not the envelope.
            await response.aread()
            answers.extend((path, int(inner["status"])) for inner in response.json()["responses"])
        else:
            answers.append((path, response.status_code))

    connection = await open_connection(url)
    connection.http.event_hooks["response"].append(seen)
    try:
        with MailStore.open(tmp / name, new_key()) as store:
            began, cpu = time.perf_counter(), time.process_time()
            try:
                await SyncEngine(_provider(connection, page_size), store).sync()
            except RateLimited:
                answers.append(("unhandled", 429))
            elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
            total = store.count()[0]
    finally:
        await connection.http.aclose()
    cpu_ms = cpu * 1000 / total if total else 0.0
    return total / elapsed if elapsed else 0.0, total, cpu_ms, [(elapsed, *a) for a in answers]


async def first_page(url: str, tmp: Path, page_size: int) -> dict[str, Any]:
    connection = await open_connection(url)
    try:
        with MailStore.open(tmp / "first.db", new_key()) as store:
            engine = SyncEngine(_provider(connection, page_size), store)
            shown = asyncio.get_running_loop().create_future()

            def on_progress(progress: SyncProgress) -> None:
                if progress.phase is SyncPhase.RECENT and not shown.done():
                    inbox = store.folder_by_kind(FolderKind.INBOX)
                    rows = store.list_messages(inbox.id if inbox else None, limit=50)
                    shown.set_result((time.perf_counter(), len(rows)))

            engine.subscribe(on_progress)
            began = time.perf_counter()
            task = asyncio.create_task(engine.sync())
            done, rows = await shown
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    finally:
        await connection.http.aclose()
    return {"first_page_seconds": round(done - began, 3), "first_page_rows": rows}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help=f"the real sizes: {FULL}")
    parser.add_argument("--messages", type=int, default=200, help="mailbox for the rate comparison")
    parser.add_argument("--page-size", type=int, default=100, help="listing page size")
    parser.add_argument("--rate", type=float, default=16.7, help="requests a second (Exchange: 10,000 in 10 min)")
    parser.add_argument("--rate-messages", type=int, default=200, help="mailbox for the metered run")
    parser.add_argument("--first-page-mailbox", type=int, default=1000, help="mailbox for the first-page time")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-rate", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.messages, args.serve_rate)
        return
    if args.full:
        for name, value in FULL.items():
            setattr(args, name, value)

    figures: dict[str, Any] = {"benchmark": "m365_sync"}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        raw = raw_insert_rate(args.messages, tmp)
        with emulator(args.messages) as url:
            listed, listing_cpu = asyncio.run(listing_rate(url, args.page_size))
            synced, total, sync_cpu, _ = asyncio.run(sync_rate(url, tmp, args.page_size))
        figures.update(
            messages=total,
            raw_insert_per_s=round(raw),
            provider_listing_per_s=round(listed),
            sync_per_s=round(synced),
            ratio=round(synced / raw, 3),
            ratio_to_provider_listing=round(synced / listed, 3),
            listing_client_cpu_ms=round(listing_cpu, 3),
            sync_client_cpu_ms=round(sync_cpu, 3),
        )
        print(f"raw store insert:        {raw:9.0f} messages/s")
        print(f"provider listing only:   {listed:9.0f} messages/s (pages of structured messages, nothing stored)")
        print(f"end-to-end sync:         {synced:9.0f} messages/s ({total} messages)")
        print(f"sync / raw insert:       {synced / raw:9.3f}   (target >= 0.5)")
        print(f"client CPU a message:    {listing_cpu:9.3f} ms listing, {sync_cpu:.3f} ms syncing (not the emulator)")

        with emulator(args.rate_messages, args.rate) as url:
            _, metered, _, answers = asyncio.run(sync_rate(url, tmp, args.page_size, "metered.db"))
        elapsed = answers[-1][0] if answers else 0.0
        accepted = sum(1 for _, path, status in answers if status < 400 and path.startswith("/v1.0/"))
        throttled = sum(1 for _, _, status in answers if status == 429)
        bound = max(accepted - args.rate, 0.0) / args.rate  # the bucket starts with a second's worth
        figures.update(
            rate_requests_per_s=args.rate,
            rate_messages=metered,
            rate_seconds=round(elapsed, 3),
            rate_bound_seconds=round(bound, 3),
            rate_ratio=round(bound / elapsed, 3) if elapsed else None,
            rate_throttled_answers=throttled,
            unhandled_429=sum(1 for _, path, _ in answers if path == "unhandled"),
        )
        print(
            f"metered {args.rate:g} requests/s: {metered} messages in {elapsed:.2f} s, bound {bound:.2f} s, "
            f"ratio {figures['rate_ratio']} (target >= 0.9), {throttled} throttled, "
            f"{figures['unhandled_429']} unhandled"
        )

        with emulator(args.first_page_mailbox) as url:
            first = asyncio.run(first_page(url, tmp, args.page_size))
        figures.update(first, first_page_mailbox=args.first_page_mailbox)
        print(f"first inbox page:        {first['first_page_seconds']:9.3f} s for {args.first_page_mailbox} messages")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

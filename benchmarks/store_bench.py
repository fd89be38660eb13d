"""The encrypted mail store's figures: raw insert rate, folder open time, search latency.

    .venv/bin/python benchmarks/store_bench.py --messages 100000

Prints the figures and one JSON line. Targets (DESIGN §4): opening a 100,000-message folder
≤ 50 ms, search p95 ≤ 15 ms. The raw insert rate is the reference the sync benchmark compares its
end-to-end rate with: import :func:`measure_raw_insert` to measure it in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from host.model.mail import Address, Attachment, Folder, FolderKind, Message
from host.store import MailStore, new_key

FOLDERS = (
    Folder("INBOX", "Inbox", FolderKind.INBOX),
    Folder("SENT", "Sent", FolderKind.SENT),
    Folder("ARCHIVE", "Archive", FolderKind.ARCHIVE),
    Folder("Label_work", "Work"),
    Folder("Label_travel", "Travel"),
)
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qua", "bri", "dor", "fen", "gul", "hap", "jex")
# Real text is mostly function words; the content words people search for come after them.
_FUNCTION = ["the", "and", "to", "of", "a", "in", "for", "is", "on", "we", "you", "it", "this", "that", "with"]
_COMMON = ["meeting", "project", "update", "review", "budget", "report", "schedule", "team", "client", "invoice"]
_COMMON += ["please", "thanks", "regards", "question", "proposal", "deadline", "agenda", "notes", "draft", "release"]


def vocabulary(size: int = 6000) -> list[str]:
    """Function words, then common mail words, then made-up words: rank decides frequency (Zipf)."""
    words = _FUNCTION + _COMMON
    rng = random.Random(7)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def synthetic_messages(count: int, *, seed: int = 1, start: dt.datetime | None = None) -> Iterator[Message]:
    """``count`` deterministic ~2 KB messages, newest first, one every ~15 minutes back from ``start``."""
    rng = random.Random(seed)
    words = vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(words))]
    people = [
        Address(f"{w}{i}@example.com", f"{w.title()} {words[-i - 1].title()}") for i, w in enumerate(words[100:500])
    ]
    me = Address("me@example.com", "Me Myself")
    date = start or dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    thread = 0
    for i in range(count):
        date -= dt.timedelta(seconds=rng.randint(60, 1800))
        if rng.random() < 0.6:
            thread += 1
        sent = rng.random() < 0.1
        sender = me if sent else rng.choice(people)
        folders = ["SENT"] if sent else ["INBOX" if rng.random() < 0.5 else "ARCHIVE"]
        if rng.random() < 0.15:
            folders.append(rng.choice(("Label_work", "Label_travel")))
        body_words = rng.choices(words, weights, k=300)
        body = "\n".join(" ".join(body_words[j : j + 15]) for j in range(0, len(body_words), 15))
        subject = " ".join(rng.choices(words, weights, k=rng.randint(3, 8))).capitalize()
        attachments = (Attachment(f"att{i}", f"{body_words[0]}.pdf", "application/pdf", 20_000),)
        yield Message(
            id=f"msg{i:07d}",
            thread_id=f"thr{thread:07d}",
            subject=subject,
            sender=sender,
            to=tuple(rng.sample(people, rng.randint(1, 3))) if sent else (me,),
            date=date.replace(microsecond=0),
            folder_ids=tuple(folders),
            unread=rng.random() < 0.2,
            flagged=rng.random() < 0.03,
            snippet=body[:100],
            body_text=body,
            attachments=attachments if rng.random() < 0.1 else (),
            message_id_header=f"<{i}@example.com>",
            size=len(body) + 400,
        )


def measure_raw_insert(path: Path, messages: Sequence[Message], *, batch: int = 1000) -> float:
    """Rows per second of ``upsert_messages`` in batches into a new store at ``path``."""
    store = MailStore.open(path, new_key())
    try:
        store.replace_folders(FOLDERS)
        began = time.perf_counter()
        for start in range(0, len(messages), batch):
            store.upsert_messages(messages[start : start + batch])
        elapsed = time.perf_counter() - began
    finally:
        store.close()
    return len(messages) / elapsed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="mailbox size (100000 for the real figures)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).parent))
    from search_bench import measure_search

    messages = list(synthetic_messages(args.messages, seed=args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        insert_path = Path(tmp) / "insert.db"
        began_cpu = time.process_time()
        insert_rate = measure_raw_insert(insert_path, messages)
        insert_cpu_rate = len(messages) / (time.process_time() - began_cpu)

        # The rest on a store whose key we keep, reopened cold as after a restart.
        key = new_key()
        path = Path(tmp) / "mail.db"
        store = MailStore.open(path, key)
        store.replace_folders(FOLDERS)
        for start in range(0, len(messages), 1000):
            store.upsert_messages(messages[start : start + 1000])
        store.close()
        del messages

        open_ms = []
        page_ms = []
        thread_ms = []
        for _ in range(5):
            began = time.perf_counter()
            store = MailStore.open(path, key)
            opened = time.perf_counter()
            store.folders()
            store.list_messages("INBOX", limit=50)
            page = time.perf_counter()
            open_ms.append((opened - began) * 1000)
            page_ms.append((page - began) * 1000)
            began = time.perf_counter()
            store.list_threads("INBOX", limit=50)
            thread_ms.append((time.perf_counter() - began) * 1000)
            store.close()

        store = MailStore.open(path, key)
        total, _ = store.count()
        inbox_total, _ = store.count("INBOX")
        last = store.list_messages("INBOX", limit=50)[-1]
        began = time.perf_counter()
        store.list_messages("INBOX", limit=50, before=(last.date, last.id))
        next_page_ms = (time.perf_counter() - began) * 1000
        search_as_inserted = measure_search(store)
        began = time.perf_counter()
        store.optimize()
        optimize_s = time.perf_counter() - began
        search = measure_search(store)
        store.close()

    figures = {
        "benchmark": "store",
        "messages": total,
        "inbox_messages": inbox_total,
        "raw_insert_rows_per_s": round(insert_rate),
        "raw_insert_rows_per_cpu_s": round(insert_cpu_rate),
        "open_ms": round(statistics.median(open_ms), 2),
        "folder_first_page_ms": round(statistics.median(page_ms), 2),
        "folder_first_page_ms_max": round(max(page_ms), 2),
        "folder_next_page_ms": round(next_page_ms, 2),
        "threads_first_page_ms": round(statistics.median(thread_ms), 2),
        "search_as_inserted_p50_ms": search_as_inserted["p50_ms"],
        "search_as_inserted_p95_ms": search_as_inserted["p95_ms"],
        "search_as_inserted_cpu_p95_ms": search_as_inserted["cpu_p95_ms"],
        "optimize_s": round(optimize_s, 2),
        "search_p50_ms": search["p50_ms"],
        "search_cpu_p50_ms": search["cpu_p50_ms"],
        "search_cpu_p95_ms": search["cpu_p95_ms"],
        "search_p95_ms": search["p95_ms"],
        "search_max_ms": search["max_ms"],
        "search_queries": search["queries"],
    }
    print(f"messages                 {total:>10,}  (inbox {inbox_total:,})")
    print(f"raw insert (batch 1000)  {insert_rate:>10,.0f} rows/s  ({insert_cpu_rate:,.0f} per CPU second)")
    print(f"open (key + migrations)  {figures['open_ms']:>10.2f} ms")
    print(f"open + first inbox page  {figures['folder_first_page_ms']:>10.2f} ms  (target ≤ 50 ms)")
    print(f"next inbox page          {figures['folder_next_page_ms']:>10.2f} ms")
    print(f"first page of threads    {figures['threads_first_page_ms']:>10.2f} ms")
    print(
        f"search as inserted       {search_as_inserted['p50_ms']:.2f} / {search_as_inserted['p95_ms']:.2f}"
        f" / {search_as_inserted['max_ms']:.2f} ms (p50 / p95 / max)"
    )
    inserted_cpu = f"{search_as_inserted['cpu_p50_ms']:.2f} / {search_as_inserted['cpu_p95_ms']:.2f}"
    print(f"  in CPU time            {inserted_cpu} ms")
    print(f"optimize()               {optimize_s:>10.2f} s")
    print(f"search after optimize()  {search['p50_ms']:.2f} / {search['p95_ms']:.2f} / {search['max_ms']:.2f} ms")
    print(f"  in CPU time            {search['cpu_p50_ms']:.2f} / {search['cpu_p95_ms']:.2f} ms (p50 / p95)")
    print("                         (target p95 ≤ 15 ms)")
    for query, ms in search["slowest"]:
        print(f"  slow: {ms:8.2f} ms  {query}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

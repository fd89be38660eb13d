"""The in-memory calendar cache: memory of N events (tracemalloc) and the time of a week query.

    .venv/bin/python benchmarks/calendar_bench.py --events 50000

Events come from the sandbox's data generator (several calendars, all-day and timed, attendees and
descriptions). Fresh copies of them (no string shared), made while tracemalloc watches, are loaded by
:class:`host.calendar.CalendarCache` from a provider that answers in-process; once loaded the cache is
their only owner, so the memory figure is events plus index, and the load time is the cache's own,
not the network's or a JSON parser's. Prints the figures and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import attrs

from host.calendar import CalendarCache
from host.calendar.index import overlaps
from host.model.calendar import Calendar, Event
from host.providers.calendar import CalendarCapability, EventWindow
from host.sandbox.datagen import generate_calendars


class MemoryProvider:
    """Answers windows from events held in memory, as a provider would after parsing its answer."""

    capabilities = frozenset({CalendarCapability.INCREMENTAL})

    def __init__(self, calendars: Sequence[Calendar], events: dict[str, list[Event]]) -> None:
        self.calendars = list(calendars)
        self.events = events

    async def list_calendars(self) -> list[Calendar]:
        return self.calendars

    async def list_events(self, calendar_id: str, start: dt.datetime, end: dt.datetime) -> EventWindow:
        found = tuple(e for e in self.events.get(calendar_id, ()) if overlaps(e, start, end))
        return EventWindow(found, None)


def fresh(value: Any) -> Any:
    """A copy that shares no string or datetime with ``value``, as a parser's output would not.

    (``copy.deepcopy`` keeps strings shared, which would leave them out of the memory figure.)
    """
    if isinstance(value, str):
        return value.encode().decode()
    if isinstance(value, dt.datetime):
        return value.replace()
    if isinstance(value, tuple):
        return tuple(fresh(item) for item in value)
    if isinstance(value, dict):
        return {fresh(k): fresh(v) for k, v in value.items()}
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return attrs.evolve(value, **{f.name: fresh(getattr(value, f.name)) for f in fields if f.init})
    return value


def _percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="events in the cache (50000 for the real figure)")
    parser.add_argument("--queries", type=int, default=300, help="week queries to time")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    generated = generate_calendars(args.events, seed=args.seed)
    # Occurrences of recurring series are what a provider's window holds; the masters are not.
    events = [e for e in generated.events if not e.recurrence][: args.events]
    first = min(e.start for e in events)
    last = max(e.end for e in events)
    now = first + (last - first) / 2

    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    by_calendar: dict[str, list[Event]] = {}
    for event in map(fresh, events):
        by_calendar.setdefault(event.calendar_id, []).append(event)
    provider = MemoryProvider(generated.calendars, by_calendar)
    cache = CalendarCache(provider, before=now - first, after=last - now, clock=lambda: now)
    began = time.perf_counter()
    asyncio.run(cache.load())
    load_seconds = time.perf_counter() - began
    by_calendar.clear()  # the cache is now the events' only owner
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    del generated, events
    count = len(cache)

    rng = random.Random(args.seed)
    calendar_ids = [c.id for c in cache.calendars]
    span = (last - first - dt.timedelta(weeks=1)).total_seconds()
    starts = [first + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(args.queries)]
    week = dt.timedelta(weeks=1)
    cache.events_between(first, first + week)  # the first query sorts what the load appended
    timings, sizes = [], []
    for start in starts:
        began = time.perf_counter()
        found = cache.events_between(start, start + week)
        timings.append((time.perf_counter() - began) * 1000)
        sizes.append(len(found))
    filtered = []
    for start in starts:
        began = time.perf_counter()
        cache.events_between(start, start + week, calendar_ids[:1])
        filtered.append((time.perf_counter() - began) * 1000)
    everything = cache.events_between(first, last + week)
    scans = []
    for start in starts[:20]:
        began = time.perf_counter()
        [e for e in everything if overlaps(e, start, start + week)]
        scans.append((time.perf_counter() - began) * 1000)

    figures = {
        "benchmark": "calendar",
        "events": count,
        "calendars": len(calendar_ids),
        "memory_mb": round(held / 1e6, 2),
        "bytes_per_event": round(held / count),
        "load_seconds": round(load_seconds, 2),
        "week_query_ms_p50": round(statistics.median(timings), 3),
        "week_query_ms_p95": round(_percentile(timings, 0.95), 3),
        "week_query_one_calendar_ms_p50": round(statistics.median(filtered), 3),
        "events_per_week_p50": statistics.median(sizes),
        "full_scan_ms_p50": round(statistics.median(scans), 3),
    }
    print(f"events in memory:      {count} in {len(calendar_ids)} calendars, loaded in {load_seconds:.2f} s")
    print(f"memory (tracemalloc):  {held / 1e6:.1f} MB, {held / count:.0f} bytes an event")
    print(
        f"week query:            p50 {figures['week_query_ms_p50']} ms, p95 {figures['week_query_ms_p95']} ms "
        f"({figures['events_per_week_p50']} events a week); one calendar p50 "
        f"{figures['week_query_one_calendar_ms_p50']} ms"
    )
    print(f"a full scan instead:   p50 {figures['full_scan_ms_p50']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

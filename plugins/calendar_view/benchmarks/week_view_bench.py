"""Calendar view figures: laying out and painting a busy week and a busy month (what each page step costs).

Run: .venv/bin/python plugins/calendar_view/benchmarks/week_view_bench.py [--events 2000] [--repeats 50]

- week layout: the week's events cut into days and placed side by side (``set_data`` of the time grid
  and its all-day header);
- week paint: one full paint of the time grid (24 hours) with those events;
- month layout and paint: the same for the month grid over six weeks.

Events are spread over the shown days in working hours with many overlaps (the worst case for
placement), a tenth of them all-day. Prints the figures and one JSON line; with no arguments a small
smoke run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import time
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from calendar_view.days import Mode, visible_days
from calendar_view.grid import DayHeader, MonthGrid, TimeGrid

from host.model.calendar import Event
from host.ui.qt import QColor
from host.ui.window import application

ZONE = ZoneInfo("Europe/Berlin")
CALENDARS = {"a": QColor("#4285f4"), "b": QColor("#0b8043"), "c": QColor("#8e24aa")}


def events_over(days: list[dt.date], count: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    made = []
    for index in range(count):
        day = rng.choice(days)
        calendar = rng.choice(list(CALENDARS))
        if rng.random() < 0.1:
            start = dt.datetime.combine(day, dt.time(), ZONE)
            made.append(
                Event(
                    f"e{index}",
                    calendar,
                    f"All day {index}",
                    start,
                    start + dt.timedelta(days=1),
                    all_day=True,
                    time_zone=ZONE.key,
                )
            )
            continue
        start = dt.datetime.combine(day, dt.time(rng.randint(7, 18), rng.choice((0, 15, 30, 45))), ZONE)
        length = dt.timedelta(minutes=rng.choice((15, 30, 45, 60, 90, 120)))
        made.append(Event(f"e{index}", calendar, f"Meeting {index}", start, start + length, time_zone=ZONE.key))
    return made


def timed(repeats: int, work) -> float:
    """The median of ``repeats`` runs of ``work``, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=150, help="events in the week (and in the month)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    application()
    anchor = dt.date(2026, 11, 25)
    names = {key: key for key in CALENDARS}
    week = visible_days(Mode.WEEK, anchor)
    week_events = events_over(week, args.events, args.seed)
    grid = TimeGrid()
    header = DayHeader(grid)
    grid.resize(1200, grid.sizeHint().height())
    header.resize(1200, 80)

    def lay_out_week() -> None:
        grid.set_data(week, week_events, CALENDARS, names, ZONE, anchor)
        header.set_data(week, week_events, CALENDARS, names, ZONE, anchor)

    week_layout = timed(args.repeats, lay_out_week)
    week_paint = timed(args.repeats, grid.grab)

    month = visible_days(Mode.MONTH, anchor)
    month_events = events_over(month, args.events, args.seed)
    board = MonthGrid()
    board.resize(1200, 800)
    month_layout = timed(args.repeats, lambda: board.set_data(month, month_events, CALENDARS, names, ZONE, anchor))
    month_paint = timed(args.repeats, board.grab)

    print(f"events: {args.events} per view, median of {args.repeats} runs")
    print(f"week layout:  {week_layout:8.2f} ms")
    print(f"week paint:   {week_paint:8.2f} ms")
    print(f"month layout: {month_layout:8.2f} ms")
    print(f"month paint:  {month_paint:8.2f} ms")
    print(
        json.dumps(
            {
                "benchmark": "calendar_view",
                "events": args.events,
                "week_layout_ms": round(week_layout, 3),
                "week_paint_ms": round(week_paint, 3),
                "month_layout_ms": round(month_layout, 3),
                "month_paint_ms": round(month_paint, 3),
            }
        )
    )


if __name__ == "__main__":
    main()

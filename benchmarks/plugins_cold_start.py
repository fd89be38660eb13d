"""Cold start of ``zoomclient plugins --json`` with every installed plugin (target: median ≤ 300 ms).

Each run is a fresh process of the installed console script, as a user starts it. Prints min, median and
p95 in milliseconds, then one JSON line. When the median exceeds 150 ms it also lists the imports that
cost most (``python -X importtime``), so that the slow module can be made lazy.

    .venv/bin/python benchmarks/plugins_cold_start.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 300.0
EXPLAIN_ABOVE_MS = 150.0


#: Left out of the runs' environment: a plugin subset or an admin policy of the caller's, and a switch that
#: stops Python from caching compiled modules (a user's Python keeps them: without the cache, each start
#: compiles some sixty modules again, ~45 ms here).
NOT_A_USERS = {"ZOOMCLIENT_LOAD_PLUGINS", "ZOOMCLIENT_POLICY_FILE", "PYTHONDONTWRITEBYTECODE"}


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in NOT_A_USERS}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def run_once(command: list[str]) -> tuple[float, int]:
    """Milliseconds for one fresh ``zoomclient plugins --json``, and how many plugins it listed."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment(), check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with exit code {result.returncode}:\n{result.stderr}")
    return elapsed, len(json.loads(result.stdout))


def import_offenders(script: Path, top: int) -> list[tuple[str, float]]:
    """The top-level imports with the largest cumulative time, in ms, from ``python -X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(script), "plugins", "--json"],
        capture_output=True,
        text=True,
        env=environment(),
        check=True,
    )
    offenders = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if not name.startswith("  "):  # nested imports are counted in their importer's cumulative time
            offenders.append((name.strip(), int(cumulative) / 1000))
    return sorted(offenders, key=lambda item: item[1], reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs (default 10, at least 2)")
    parser.add_argument(
        "--script",
        type=Path,
        default=Path(sys.executable).with_name("zoomclient"),
        help="the zoomclient console script (default: the one beside this Python)",
    )
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2")
    if not args.script.exists():
        sys.exit(f"{args.script} does not exist: run ./dev setup first, or pass --script.")

    command = [str(args.script), "plugins", "--json"]
    run_once(command)  # untimed: fills the OS file cache and the compiled-module cache, as a user's first start does
    times, plugins = [], 0
    for _ in range(args.runs):
        elapsed, plugins = run_once(command)
        times.append(elapsed)

    # The floor no zoomclient change can go below: the interpreter starting and exiting.
    python = statistics.median(timed([sys.executable, "-c", "pass"]) for _ in range(args.runs))

    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    print(f"zoomclient plugins --json, {plugins} plugins, {args.runs} fresh processes:")
    print(
        f"  min {min(times):.1f} ms   median {median:.1f} ms   p95 {p95:.1f} ms   (target: median ≤ {TARGET_MS:.0f} ms)"
    )
    print(f"  python -c pass: median {python:.1f} ms")

    figures = {
        "benchmark": "plugins_cold_start",
        "runs": args.runs,
        "plugins": plugins,
        "min_ms": round(min(times), 1),
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "python_ms": round(python, 1),
        "target_ms": TARGET_MS,
        "ok": median <= TARGET_MS,
    }
    if median > EXPLAIN_ABOVE_MS:
        offenders = import_offenders(args.script, top=10)
        print(f"  median above {EXPLAIN_ABOVE_MS:.0f} ms; top-level imports by cumulative time:")
        for name, ms in offenders:
            print(f"    {ms:7.1f} ms  {name}")
        figures["import_offenders_ms"] = dict(offenders)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

"""Every benchmark's smoke run works and ends with its JSON line (figures are read, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
#: The host's benchmarks and those each distribution keeps beside its own code.
BENCHMARKS = sorted(
    [*ROOT.glob("benchmarks/*.py"), *ROOT.glob("provider_*/benchmarks/*.py"), *ROOT.glob("plugins/*/benchmarks/*.py")]
)


def test_there_are_benchmarks() -> None:
    assert {p.stem for p in BENCHMARKS} >= {"plugins_cold_start", "store_bench", "search_bench"}


@pytest.mark.slow
@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_smoke_run_prints_a_json_line(script: Path) -> None:
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240)

    assert done.returncode == 0, done.stdout + done.stderr
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last["benchmark"], "the JSON line names its benchmark"
    assert len(last) > 1, "and carries at least one figure"

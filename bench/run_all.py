"""``make bench``: every benchmark in its own process, then one table of all targets with the
measured value, the bound and by how much a missed target is missed.

    .venv/bin/python bench/run_all.py [--only probe,emulator,suite,scale]

Exit status: 0 when every benchmark ran (targets met or not: the table says), 2 when a
benchmark crashed or the whole run went over its time budget.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, Target, heading, load_targets, machine

BENCHMARKS = {
    "probe": "bench_probe.py",
    "emulator": "bench_emulator.py",
    "suite": "bench_suite.py",
    "scale": "bench_scale.py",
}
BUDGET_S = 300.0
HERE = Path(__file__).resolve().parent


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def run_one(name: str, scratch: Path, remaining: float) -> tuple[list[Target], str | None]:
    output = scratch / f"{name}.json"
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [str(PYTHON), str(HERE / BENCHMARKS[name]), "--targets-json", str(output)],
            cwd=ROOT,
            timeout=max(remaining, 1.0),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [], f"{name}: stopped after {remaining:.0f} s (over the time budget)"
    print(f"  ({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    if completed.returncode != 0 or not output.exists():
        return [], f"{name}: the benchmark failed (exit {completed.returncode}, output above)"
    return load_targets(output), None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated subset of: " + ",".join(BENCHMARKS))
    options = parser.parse_args()
    names = options.only.split(",") if options.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(BENCHMARKS)}")
    heading("machine")
    for key, value in machine().items():
        print(f"  {key:<10} {value}")
    print(f"  {'load avg':<10} {load_average()} (1, 5, 15 min) at start", flush=True)
    started = time.perf_counter()
    targets: list[Target] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for name in names:
            remaining = BUDGET_S - (time.perf_counter() - started)
            found, problem = run_one(name, Path(scratch), remaining)
            targets += found
            if problem:
                problems.append(problem)
    elapsed = time.perf_counter() - started
    heading("all targets")
    for target in targets:
        print("  " + target.line())
    met = sum(1 for t in targets if t.met)
    missed = [t for t in targets if t.met is False]
    unmeasured = [t for t in targets if t.met is None]
    print(
        f"\n  {met} met, {len(missed)} missed, {len(unmeasured)} not measured; "
        f"load avg {load_average()} at end"
    )
    within = elapsed <= BUDGET_S
    print(
        f"  total {elapsed:.1f} s of a {BUDGET_S:.0f} s budget"
        + ("" if within else f": OVER BUDGET by {elapsed - BUDGET_S:.1f} s")
    )
    for problem in problems:
        print(f"  ERROR {problem}")
    return 0 if within and not problems else 2


if __name__ == "__main__":
    raise SystemExit(main())

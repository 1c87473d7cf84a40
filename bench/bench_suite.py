"""The shipped suite (scenarios/) serial and with ``-n 2``, interleaved, and where the serial
run's time goes (timers around key generation, SSH, handshakes... see suite_timing.py).

    .venv/bin/python bench/bench_suite.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ASA_HARNESS, PYTHON, ROOT, Target, arguments, figure, finish, heading

ROUNDS = 3
MIN_SCENARIOS = 15
SERIAL_LIMIT_S = 30.0
PARALLEL_SPEEDUP = 1.5
SMALL_SCENARIO = "21_gotcha_article_form_general_attributes.yaml"
TIMING_SCRIPT = Path(__file__).resolve().with_name("suite_timing.py")


def _report_arguments(folder: Path) -> list[str]:
    return [
        "run",
        "scenarios",
        "--html",
        str(folder / "report.html"),
        "--junitxml",
        str(folder / "junit.xml"),
        "--results",
        str(folder / "results.json"),
        "-q",
    ]


def _check_results(folder: Path, label: str) -> int:
    document = json.loads((folder / "results.json").read_text())
    summary = document["summary"]
    if summary["total"] < MIN_SCENARIOS or summary["passed"] != summary["total"]:
        raise RuntimeError(f"{label}: the suite did not pass: {summary}")
    return int(summary["total"])


def run_serial(folder: Path) -> tuple[float, dict[str, object]]:
    """Serial run with the timers; returns (wall seconds, timing document)."""
    timing = folder / "timing.json"
    started = time.perf_counter()
    subprocess.run(
        [str(PYTHON), str(TIMING_SCRIPT), str(timing), *_report_arguments(folder)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    _check_results(folder, "serial")
    document: dict[str, object] = json.loads(timing.read_text())
    return wall, document


def run_parallel(folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(ASA_HARNESS), *_report_arguments(folder), "-n", "2"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    _check_results(folder, "-n 2")
    return wall


def fixed_overhead(scratch: Path) -> None:
    """``asa-harness run`` of one 0.2 s scenario: the cost of the run itself, serial and with
    -n 2, and without the hypothesis pytest plugin (installed with the dev extras, loaded
    by every pytest process, its modules assertion-rewritten at import)."""
    heading("fixed cost of a run (one 0.2 s scenario)")
    for label, extra in [
        ("serial", []),
        ("serial, -p no:hypothesispytest", ["-p", "no:hypothesispytest"]),
        ("-n 2", ["-n", "2"]),
        ("-n 2, -p no:hypothesispytest", ["-n", "2", "-p", "no:hypothesispytest"]),
    ]:
        folder = scratch / f"fixed-{len(extra)}-{extra[-1] if extra else 'serial'}"
        folder.mkdir()
        arguments = _report_arguments(folder)
        arguments[1] = str(ROOT / "scenarios" / SMALL_SCENARIO)
        started = time.perf_counter()
        subprocess.run(
            [str(ASA_HARNESS), *arguments, *extra],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        figure(label, f"{time.perf_counter() - started:.2f} s")


def print_breakdown(wall: float, document: dict[str, object]) -> None:
    totals = document["totals"]
    counts = document["counts"]
    assert isinstance(totals, dict) and isinstance(counts, dict)
    in_process = float(str(document["wall_s"]))
    accounted = sum(float(v) for v in totals.values())
    rows = sorted(((float(v), str(k)) for k, v in totals.items()), reverse=True)
    rows.append((in_process - accounted, "pytest: collection, plugin, HTML/JUnit/JSON reports"))
    rows.append((wall - in_process, "interpreter start and imports"))
    heading(f"where the serial run's {wall:.2f} s go (exclusive times)")
    for seconds, name in rows:
        count = counts.get(name)
        calls = f"  ({count} calls, {seconds / count * 1000:.1f} ms each)" if count else ""
        figure(name, f"{seconds:7.2f} s  {seconds / wall:6.1%}{calls}")


def main() -> list[Target]:
    heading(f"shipped suite: serial vs -n 2, {ROUNDS} interleaved rounds")
    serial: list[float] = []
    parallel: list[float] = []
    last: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as scratch:
        for number in range(ROUNDS):
            folder = Path(scratch) / f"serial-{number}"
            folder.mkdir()
            wall, last = run_serial(folder)
            serial.append(wall)
            figure(f"round {number + 1}: serial", f"{wall:.2f} s")
            folder = Path(scratch) / f"parallel-{number}"
            folder.mkdir()
            parallel.append(run_parallel(folder))
            figure(f"round {number + 1}: -n 2", f"{parallel[-1]:.2f} s")
        scenarios = _check_results(Path(scratch) / "serial-0", "serial")
        fixed_overhead(Path(scratch))
    serial_median = statistics.median(serial)
    parallel_median = statistics.median(parallel)
    figure("scenarios in the suite", str(scenarios))
    figure("serial wall time (median)", f"{serial_median:.2f} s")
    figure("-n 2 wall time (median)", f"{parallel_median:.2f} s")
    speedup = serial_median / parallel_median
    figure("speed-up of -n 2", f"{speedup:.2f}x")
    print_breakdown(serial[-1], last)
    return [
        Target(
            f"shipped suite serial ({scenarios} scenarios, median)",
            serial_median,
            SERIAL_LIMIT_S,
            "s",
        ),
        Target(
            "shipped suite -n 2 speed-up over serial", speedup, PARALLEL_SPEEDUP, "x", "at_least"
        ),
    ]


if __name__ == "__main__":
    options = arguments(__doc__ or "")
    finish(main(), options.targets_json)

"""What every benchmark shares: targets and how they print, timing, the machine description.

A benchmark is a script that measures, prints absolute figures as it goes, and ends with a
list of :class:`Target` verdicts. ``--targets-json FILE`` writes those verdicts for
``bench/run_all.py``. Figures are medians over a fixed number of iterations after a
warm-up; ratios compare measurements taken side by side (interleaved) in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
ASA_HARNESS = PYTHON.with_name("asa-harness")

Direction = Literal["at_most", "at_least"]


@dataclass(frozen=True)
class Target:
    """One target of issue 9: ``measured`` must be at most / at least ``limit``."""

    name: str
    measured: float | None
    limit: float
    unit: str
    direction: Direction = "at_most"
    #: Why there is no measurement (a tool that is not installed), or a remark.
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        if self.direction == "at_most":
            return self.measured <= self.limit
        return self.measured >= self.limit

    @property
    def verdict(self) -> str:
        met = self.met
        if met is None:
            return "NOT MEASURED"
        if met:
            return "met"
        assert self.measured is not None
        if self.direction == "at_most":
            over = self.measured / self.limit - 1 if self.limit else float("inf")
            return f"MISSED by {over:.0%} ({fmt(self.measured, self.unit)} vs {self.bound})"
        short = 1 - self.measured / self.limit if self.limit else 1.0
        return f"MISSED by {short:.0%} ({fmt(self.measured, self.unit)} vs {self.bound})"

    @property
    def bound(self) -> str:
        sign = "<=" if self.direction == "at_most" else ">="
        return f"{sign} {fmt(self.limit, self.unit)}"

    def line(self) -> str:
        value = "-" if self.measured is None else fmt(self.measured, self.unit)
        text = f"{self.name:<62} {value:>12}  target {self.bound:<12} {self.verdict}"
        return text + (f"  [{self.note}]" if self.note else "")


def fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "/s":
        return f"{value:.0f}/s"
    return f"{value:g} {unit}".strip()


def figure(label: str, text: str) -> None:
    """An absolute figure, printed as soon as it is known."""
    print(f"  {label:<58} {text}", flush=True)


def heading(text: str) -> None:
    print(f"\n== {text}", flush=True)


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def spread_ms(samples: Sequence[float]) -> str:
    """Median with the 10th-90th percentile range, in milliseconds."""
    ordered = sorted(samples)
    low = ordered[int(len(ordered) * 0.1)]
    high = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return (
        f"median {median_ms(samples):.3f} ms "
        f"(p10 {low * 1000:.3f}, p90 {high * 1000:.3f}, n={len(samples)})"
    )


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def interleaved(
    actions: dict[str, Callable[[], object]], iterations: int, warmup: int
) -> dict[str, list[float]]:
    """Run each action once per round, in turn, ``warmup`` + ``iterations`` rounds; keep the
    timings of the measured rounds. Interleaving makes drift (CPU frequency, other load)
    hit every contender alike, so their ratio is fair."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for round_number in range(warmup + iterations):
        for name, action in actions.items():
            elapsed = timed(action)
            if round_number >= warmup:
                samples[name].append(elapsed)
    return samples


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--targets-json", type=Path, help="write the target verdicts here")
    return parser.parse_args()


def finish(targets: list[Target], destination: Path | None) -> None:
    heading("targets")
    for target in targets:
        print("  " + target.line(), flush=True)
    if destination is not None:
        destination.write_text(json.dumps([asdict(t) for t in targets], indent=1))


def load_targets(source: Path) -> list[Target]:
    return [Target(**entry) for entry in json.loads(source.read_text())]

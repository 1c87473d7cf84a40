"""Run ``asa-harness run`` in this process with timers around the calls where a scenario's
time goes, and write the totals as JSON. Used by bench_suite.py (serial runs only: xdist
workers are fresh processes that these timers do not reach).

    python bench/suite_timing.py OUT.json run scenarios --results F ...

Times are exclusive: a TLS handshake inside the AnyConnect exchange counts as handshake,
not twice; key generation on the virtual ASA's thread is taken out of the SSH command
(or handshake) that the main thread was waiting on at the time.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from cryptography.hazmat.primitives.asymmetric import ec, rsa

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _Frame:
    category: str
    children: float = 0.0


@dataclass
class Ledger:
    totals: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    stack: list[_Frame] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    main: int = field(default_factory=threading.get_ident)

    def add(self, category: str, seconds: float) -> None:
        self.totals[category] = self.totals.get(category, 0.0) + seconds
        self.counts[category] = self.counts.get(category, 0) + 1

    def timed(self, category: str, function: F) -> F:
        """Exclusive time on the main thread; on another thread (the virtual ASA's), the
        time is charged to ``category`` and taken out of what the main thread waits on."""

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            on_main = threading.get_ident() == self.main
            frame = _Frame(category)
            if on_main:
                self.stack.append(frame)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                with self.lock:
                    if on_main:
                        self.stack.pop()
                        self.add(category, elapsed - frame.children)
                    else:
                        self.add(category, elapsed)
                    if self.stack:
                        self.stack[-1].children += elapsed

        return cast(F, wrapper)


def install(ledger: Ledger) -> None:
    import harness.run.runner as runner
    import harness.run.steps.probe as probe_step
    import probes.gateway as gateway
    import probes.tls as tls
    from harness.device.session import DeviceSession
    from harness.run.pki_store import PkiStore
    from lab.targets.embedded import EmbeddedTarget

    wraps: list[tuple[object, str, str]] = [
        (rsa, "generate_private_key", "key generation"),
        (ec, "generate_private_key", "key generation"),
        (runner, "run_scenario", "scenario runner (other)"),
        # a classmethod: the bound method, set on the class, is called as PkiStore.build(...)
        (PkiStore, "build", "lab PKI: build and sign"),
        (EmbeddedTarget, "start", "virtual ASA start"),
        (EmbeddedTarget, "stop", "virtual ASA stop"),
        (DeviceSession, "open", "SSH login (scrapli open)"),
        (DeviceSession, "send", "SSH commands (scrapli)"),
        (DeviceSession, "close", "SSH logout"),
        (tls, "establish", "TLS handshakes"),
        (gateway, "establish", "TLS handshakes"),
        (probe_step, "analyse", "chain analysis"),
        (probe_step, "discover", "AnyConnect XML exchange"),
    ]
    for owner, name, category in wraps:
        setattr(owner, name, ledger.timed(category, getattr(owner, name)))


def main(argv: list[str]) -> int:
    output = Path(argv[0])
    ledger = Ledger()
    install(ledger)
    from harness.cli import main as harness_main

    started = time.perf_counter()
    code = harness_main(argv[1:])
    wall = time.perf_counter() - started
    output.write_text(
        json.dumps({"wall_s": wall, "totals": ledger.totals, "counts": ledger.counts}, indent=1)
    )
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

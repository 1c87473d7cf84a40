"""Scale: 20 virtual ASAs in one process (additional RSS each), and 200 concurrent probe
handshakes against one virtual ASA (errors, handshakes per second).

    .venv/bin/python bench/bench_scale.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Target, arguments, figure, finish, heading
from emulator_process import SERVER_NAME, LabChain, emulator, install_lab_chain

from harness.device import DeviceSession, LoginDetails
from lab.emulator.embedded import EmbeddedASA
from probes.tls import HandshakeResult, handshake

ASA_COUNT = 20
RSS_LIMIT_MIB = 60.0
CONCURRENT = 200
LOAD_ROUNDS = 5
LOAD_WARMUP_ROUNDS = 1
RATE_LIMIT = 300.0


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def exercise(asa: EmbeddedASA, chain: LabChain) -> None:
    """What a scenario does to a device: log in, import a CA-signed identity with its chain
    (PKCS#12) and bind it, read the config back, and serve handshakes on outside."""
    login = LoginDetails(asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)
    with DeviceSession(login) as session:
        install_lab_chain(session, chain)
        if session.exec("show running-config").failed:
            raise RuntimeError("show running-config failed")
    for sni in (SERVER_NAME, None):
        result = handshake(*asa.interface_address("outside"), sni=sni)
        if not result.ok:
            raise RuntimeError(f"handshake (SNI {sni}) failed: {result.failure}")


def measure_memory(targets: list[Target]) -> None:
    heading(f"{ASA_COUNT} virtual ASAs in one process")
    chain = LabChain.build()
    with EmbeddedASA() as warm:  # one-time costs: libraries loaded, caches filled
        exercise(warm, chain)
    gc.collect()
    before = rss_mib()
    figure("RSS after one warm-up ASA (stopped)", f"{before:.1f} MiB")
    asas = [EmbeddedASA() for _ in range(ASA_COUNT)]
    started = time.perf_counter()
    try:
        for asa in asas:
            asa.start()
        figure(f"start {ASA_COUNT} ASAs", f"{time.perf_counter() - started:.2f} s")
        gc.collect()
        idle = rss_mib()
        figure(
            f"RSS with {ASA_COUNT} idle ASAs",
            f"{idle:.1f} MiB (+{(idle - before) / ASA_COUNT:.1f} MiB each)",
        )
        for asa in asas:
            exercise(asa, chain)
        gc.collect()
        after = rss_mib()
    finally:
        for asa in asas:
            asa.stop()
    each = (after - before) / ASA_COUNT
    figure(f"RSS with {ASA_COUNT} exercised ASAs", f"{after:.1f} MiB (+{each:.1f} MiB each)")
    targets.append(
        Target(
            f"additional RSS per virtual ASA ({ASA_COUNT} in one process)",
            each,
            RSS_LIMIT_MIB,
            "MiB",
        )
    )


def one_round(
    address: tuple[str, int], pool: ThreadPoolExecutor
) -> tuple[float, list[HandshakeResult]]:
    barrier = threading.Barrier(CONCURRENT + 1)

    def client() -> HandshakeResult:
        barrier.wait()
        return handshake(*address, sni=SERVER_NAME, timeout=30)

    futures = [pool.submit(client) for _ in range(CONCURRENT)]
    barrier.wait()
    started = time.perf_counter()
    results = [future.result() for future in futures]
    return time.perf_counter() - started, results


def measure_load(targets: list[Target]) -> None:
    heading(f"{CONCURRENT} concurrent probe handshakes against one virtual ASA (separate process)")
    with emulator() as asa:
        with DeviceSession(asa.login()) as session:
            install_lab_chain(session)
        address = asa.interfaces["outside"]
        walls: list[float] = []
        errors: list[str] = []
        with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
            for number in range(LOAD_WARMUP_ROUNDS + LOAD_ROUNDS):
                wall, results = one_round(address, pool)
                failed = [r for r in results if not r.ok]
                if number >= LOAD_WARMUP_ROUNDS:
                    walls.append(wall)
                    errors += [
                        f"{r.failure.kind}: {r.failure.message}" for r in failed if r.failure
                    ]
                figure(
                    f"round {number + 1}{' (warm-up)' if number < LOAD_WARMUP_ROUNDS else ''}",
                    f"{CONCURRENT} handshakes in {wall * 1000:.0f} ms, {len(failed)} failed",
                )
    rate = CONCURRENT / statistics.median(walls)
    figure("handshakes per second (median round)", f"{rate:.0f}/s")
    figure(
        "failed handshakes",
        f"{len(errors)} of {CONCURRENT * LOAD_ROUNDS}" + (f": {errors[:3]}" if errors else ""),
    )
    targets.append(
        Target(
            f"failed handshakes of {CONCURRENT * LOAD_ROUNDS} ({CONCURRENT} at once)",
            float(len(errors)),
            0.0,
            "errors",
        )
    )
    targets.append(
        Target(f"{CONCURRENT} concurrent handshakes: rate", rate, RATE_LIMIT, "/s", "at_least")
    )


def main() -> list[Target]:
    targets: list[Target] = []
    measure_memory(targets)
    measure_load(targets)
    return targets


if __name__ == "__main__":
    options = arguments(__doc__ or "")
    finish(main(), options.targets_json)

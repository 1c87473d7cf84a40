"""The virtual ASA: cold start to ready against the floor of starting Python and importing its
modules (both as subprocesses, interleaved), ``show clock`` round trip and a 50-line
``configure`` through scrapli, and RSA key generation (reported apart: the ASA pays it too).

    .venv/bin/python bench/bench_emulator.py
"""

from __future__ import annotations

import functools
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PYTHON,
    ROOT,
    Target,
    arguments,
    figure,
    finish,
    heading,
    interleaved,
    median_ms,
    spread_ms,
    timed,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from emulator_process import emulator, emulator_command, read_ready, stop

from harness.device import DeviceSession, LoginDetails
from harness.device.session import PRIVILEGED_MODE
from lab.emulator.embedded import EmbeddedASA

START_ITERATIONS = 10
START_WARMUP = 2
CLOCK_ITERATIONS = 300
CLOCK_WARMUP = 30
CONFIGURE_ITERATIONS = 20
CONFIGURE_WARMUP = 3
KEYGEN_ITERATIONS = 8
LOGIN_ITERATIONS = 15

START_LIMIT_S = 1.0
START_FLOOR_RATIO = 2.0
CLOCK_LIMIT_MS = 5.0
CONFIGURE_LIMIT_MS = 250.0


def import_floor() -> None:
    subprocess.run(
        [str(PYTHON), "-c", "import lab.emulator.server"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def cold_start() -> float:
    """Seconds from spawning ``asa-harness emulator`` to its ready line (SSH and HTTPS
    accepting); the process is stopped afterwards, outside the measurement."""
    started = time.perf_counter()
    process = subprocess.Popen(
        emulator_command(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        read_ready(process)
        return time.perf_counter() - started
    finally:
        stop(process)


def fifty_lines() -> list[str]:
    lines: list[str] = []
    for number in range(10):
        lines += [
            f"crypto ca trustpoint BENCH-TP{number}",
            " enrollment terminal",
            f" fqdn vpn{number}.bench.lab",
            f" subject-name CN=vpn{number}.bench.lab,O=Bench Lab,C=US",
            " exit",
        ]
    assert len(lines) == 50
    return lines


def configure_all(session: DeviceSession, lines: list[str]) -> None:
    outputs = session.configure(lines)
    failed = [o for o in outputs if o.failed]
    if failed or len(outputs) != len(lines):
        raise RuntimeError(f"configure failed: {failed[:1]} ({len(outputs)} of {len(lines)} sent)")


def measure_start(targets: list[Target]) -> None:
    heading("virtual ASA: cold start (subprocesses, interleaved)")
    starts: list[float] = []

    def start_once() -> None:
        starts.append(cold_start())

    samples = interleaved(
        {"floor": import_floor, "start": start_once}, START_ITERATIONS, START_WARMUP
    )
    ready = starts[START_WARMUP:]
    figure("floor: python -c 'import lab.emulator.server'", spread_ms(samples["floor"]))
    figure("asa-harness emulator: spawn to ready line", spread_ms(ready))
    ratio = median_ms(ready) / median_ms(samples["floor"])
    targets.append(
        Target("emulator cold start to ready (median)", median_ms(ready) / 1000, START_LIMIT_S, "s")
    )
    targets.append(Target("emulator cold start vs import floor", ratio, START_FLOOR_RATIO, "x"))


def open_and_close(login: LoginDetails) -> None:
    DeviceSession(login).open().close()


def measure_session(login: LoginDetails, label: str, targets: list[Target] | None) -> None:
    logins = interleaved({"login": lambda: open_and_close(login)}, LOGIN_ITERATIONS, 2)["login"]
    figure(f"SSH login + logout, DeviceSession ({label})", spread_ms(logins))
    with DeviceSession(login) as session:
        session.exec("show clock")
        cli = session.cli
        samples = interleaved(
            {
                "harness": lambda: session.exec("show clock"),
                "raw": lambda: cli.send_input("show clock", requested_mode=PRIVILEGED_MODE),
            },
            CLOCK_ITERATIONS,
            CLOCK_WARMUP,
        )
        figure(f"show clock, DeviceSession.exec ({label})", spread_ms(samples["harness"]))
        figure(f"show clock, scrapli send_input alone ({label})", spread_ms(samples["raw"]))
        lines = fifty_lines()
        configure_samples = interleaved(
            {"configure": lambda: configure_all(session, lines)},
            CONFIGURE_ITERATIONS,
            CONFIGURE_WARMUP,
        )["configure"]
        figure(f"50-line configure ({label})", spread_ms(configure_samples))
        if targets is not None:
            targets.append(
                Target(
                    "show clock round trip via scrapli (median)",
                    median_ms(samples["harness"]),
                    CLOCK_LIMIT_MS,
                    "ms",
                )
            )
            targets.append(
                Target(
                    "50-line configure via scrapli (median)",
                    median_ms(configure_samples),
                    CONFIGURE_LIMIT_MS,
                    "ms",
                )
            )
            measure_keygen(session)


def measure_keygen(session: DeviceSession) -> None:
    keygen = [
        timed(
            functools.partial(
                configure_all,
                session,
                [f"crypto key generate rsa label BENCH-KEY{number} modulus 2048 noconfirm"],
            )
        )
        for number in range(KEYGEN_ITERATIONS)
    ]
    figure("RSA-2048 keygen on the ASA (crypto key generate)", spread_ms(keygen))
    local = [
        timed(lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
        for _ in range(KEYGEN_ITERATIONS)
    ]
    figure("RSA-2048 keygen, cryptography in this process", spread_ms(local))


def main() -> list[Target]:
    targets: list[Target] = []
    measure_start(targets)
    heading("virtual ASA: CLI through scrapli")
    with emulator() as asa:
        measure_session(asa.login(), "separate process", targets)
    with EmbeddedASA() as embedded:
        login = LoginDetails(
            embedded.host,
            embedded.ssh_port,
            embedded.username,
            embedded.password,
            embedded.enable_password,
        )
        measure_session(login, "embedded, as the suite runs", None)
    return targets


if __name__ == "__main__":
    options = arguments(__doc__ or "")
    finish(main(), options.targets_json)

"""SIGKILL during ``write memory``, a hundred times: the state folder always boots, and into
either the configuration saved before or the one being saved, never anything else.

Each round boots the virtual ASA from the folder, checks what it booted into, changes the
hostname, sends ``write memory`` and SIGKILLs the process at a random moment within the
save's duration (a random delay is the fault being injected, not a synchronisation). The
processes are forked from a pre-imported fork server (emulator_forkserver.py), running the
same ``harness.cli.main(["emulator", ...])`` as the console script, so a round costs
milliseconds rather than the interpreter's start; a real ``asa-harness emulator`` process
makes the configuration first and boots the folder last.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.device import DeviceSession, LoginDetails
from tests.reliability.reliability_support import RawTerminal, emulator_process

ROUNDS = 100
PASSWORD = "state-login-pw"
ENABLE = "state-enable-pw"
FORKSERVER = Path(__file__).resolve().with_name("emulator_forkserver.py")
HOSTNAME = re.compile(r"^hostname (\S+)$", re.MULTILINE)

SETUP = [
    "domain-name state.lab",
    "crypto key generate rsa label STATE-RSA modulus 2048 noconfirm",
    *(
        f"crypto key generate ecdsa label STATE-EC{n} elliptic-curve 256 noconfirm"
        for n in range(8)
    ),
    "crypto ca trustpoint STATE-TP",
    " enrollment self",
    " fqdn vpn.state.lab",
    " subject-name CN=vpn.state.lab,O=State Lab",
    " keypair STATE-RSA",
    " exit",
    "crypto ca enroll STATE-TP noconfirm",
    "ssl trust-point STATE-TP outside",
    "tunnel-group STATE-TG type remote-access",
    "tunnel-group STATE-TG webvpn-attributes",
    " group-alias STATE enable",
    "hostname saved-0",
]


def emulator_arguments(state: Path) -> list[str]:
    return [
        "--listen",
        "outside=127.0.0.1:0",
        "--state-dir",
        str(state),
        "--password",
        PASSWORD,
        "--enable-password",
        ENABLE,
    ]


class ForkServer:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(FORKSERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._ask_nothing()

    def _ask_nothing(self) -> None:
        assert self.process.stdout is not None
        hello = json.loads(self.process.stdout.readline())
        assert "forkserver" in hello, hello

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the fork server died (exit {self.process.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def forkserver() -> Iterator[ForkServer]:
    server = ForkServer()
    yield server
    server.close()


def login_on(ready: dict[str, Any]) -> LoginDetails:
    return LoginDetails(
        "127.0.0.1", int(str(ready["ssh"]).rsplit(":", 1)[1]), "admin", PASSWORD, ENABLE
    )


def without_hostname(config: str) -> str:
    """The configuration lines, hostname aside (the ``:`` comment lines carry the checksum,
    which follows the hostname)."""
    lines = HOSTNAME.sub("hostname <>", config).strip().splitlines()
    return "\n".join(line for line in lines if not line.startswith((":", "Cryptochecksum")))


@dataclass
class Baseline:
    config: str
    keys: str
    save_seconds: float


def make_baseline(state: Path) -> Baseline:
    """Configure and save once through a real ``asa-harness emulator`` process."""
    with (
        emulator_process(state, PASSWORD, ENABLE) as running,
        DeviceSession(running.login(PASSWORD, ENABLE)) as session,
    ):
        outputs = session.configure(SETUP)
        assert not any(o.failed for o in outputs), [o for o in outputs if o.failed]
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            assert session.exec("write memory").lines[-1] == "[OK]"
            timings.append(time.perf_counter() - started)
        config = session.exec("show running-config").output
        keys = session.exec("show crypto key mypubkey ecdsa").output
    return Baseline(without_hostname(config), keys.strip(), sorted(timings)[1])


@dataclass
class Boot:
    hostname: str
    config: str
    keys: str


async def kill_during_write_memory(
    login: LoginDetails, new_hostname: str, delay: float, kill: Any
) -> Boot:
    terminal = await RawTerminal.login(login)
    try:
        config = await terminal.command("show running-config")
        keys = await terminal.command("show crypto key mypubkey ecdsa")
        found = HOSTNAME.search(config)
        assert found is not None, config
        await terminal.command("configure terminal")
        await terminal.command(f"hostname {new_hostname}")
        terminal.send("write memory")
        await asyncio.sleep(delay)  # the random moment of the fault (not a synchronisation)
        kill()
        return Boot(found.group(1), config, keys)
    finally:
        terminal.drop()


def partial_generations(state: Path) -> list[str]:
    current = (state / "current").readlink().name if (state / "current").is_symlink() else None
    return sorted(p.name for p in state.glob("gen-*") if p.name != current)


@pytest.mark.slow
def test_sigkill_during_write_memory_never_leaves_a_folder_that_fails_to_boot(
    tmp_path: Path, forkserver: ForkServer
) -> None:
    state, log = tmp_path / "state", tmp_path / "emulator-stderr.log"
    baseline = make_baseline(state)
    rng = random.Random(20240609)
    saved, attempted = "saved-0", "saved-0"
    outcomes = {"old": 0, "new": 0, "kill inside a save (extra generation left)": 0}
    for number in range(ROUNDS):
        log.write_text("")
        answer = forkserver.request({"spawn": emulator_arguments(state), "stderr": str(log)})
        assert "ready" in answer, f"round {number}: no boot ({answer}): {log.read_text()[-2000:]}"
        assert "rejected" not in log.read_text(), f"round {number}: {log.read_text()[-2000:]}"
        pid = int(answer["pid"])
        attempt = f"round-{number}"
        boot = asyncio.run(
            kill_during_write_memory(
                login_on(answer["ready"]),
                attempt,
                rng.uniform(0, baseline.save_seconds * 1.5),
                lambda pid=pid: forkserver.request({"kill": pid}),
            )
        )
        assert boot.hostname in (saved, attempted), (number, boot.hostname, saved, attempted)
        outcomes["new" if boot.hostname == attempted and attempted != saved else "old"] += 1
        saved = boot.hostname
        assert without_hostname(boot.config) == baseline.config, f"round {number}"
        assert boot.keys.strip() == baseline.keys, f"round {number}: the keypairs changed"
        attempted = attempt
        outcomes["kill inside a save (extra generation left)"] += bool(partial_generations(state))

    with (
        emulator_process(state, PASSWORD, ENABLE) as running,
        DeviceSession(running.login(PASSWORD, ENABLE)) as session,
    ):
        final = session.exec("show running-config").output
    found = HOSTNAME.search(final)
    assert found is not None and found.group(1) in (saved, attempted), final
    print(f"kill outcomes over {ROUNDS} rounds: {outcomes}")
    # the kills did land before, inside and after saves (the test can tell them apart)
    assert outcomes["new"] and outcomes["old"], outcomes
    assert outcomes["kill inside a save (extra generation left)"], outcomes

"""``asa-harness emulator`` as a separate process (its own interpreter, its own core), ready
when it prints its JSON ready line; and the lab chain the benchmarks serve from it."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from common import ASA_HARNESS
from cryptography import x509

from harness.device import DeviceSession, LoginDetails
from harness.pki import LabCA

PASSWORD = "bench-login-pw"
ENABLE = "bench-enable-pw"
SERVER_NAME = "vpn.bench.lab"


@dataclass
class RunningEmulator:
    process: subprocess.Popen[str]
    ssh_port: int
    interfaces: dict[str, tuple[str, int]]

    def login(self) -> LoginDetails:
        return LoginDetails("127.0.0.1", self.ssh_port, "admin", PASSWORD, ENABLE)


def emulator_command(*extra: str) -> list[str]:
    return [
        str(ASA_HARNESS),
        "emulator",
        "--listen",
        "outside=127.0.0.1:0",
        "--password",
        PASSWORD,
        "--enable-password",
        ENABLE,
        *extra,
    ]


def _address(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host, int(port)


def read_ready(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"the emulator exited before it was ready (code {process.wait()})")
    ready: dict[str, object] = json.loads(line)
    if ready.get("event") != "ready":
        raise RuntimeError(f"unexpected first line from the emulator: {line!r}")
    return ready


@contextmanager
def emulator(state_dir: Path | None = None) -> Iterator[RunningEmulator]:
    extra = ["--state-dir", str(state_dir)] if state_dir is not None else []
    process = subprocess.Popen(
        emulator_command(*extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        ready = read_ready(process)
        interfaces = ready["interfaces"]
        assert isinstance(interfaces, dict)
        yield RunningEmulator(
            process,
            _address(str(ready["ssh"]))[1],
            {name: _address(str(value)) for name, value in interfaces.items()},
        )
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


@dataclass(frozen=True)
class LabChain:
    """Root -> issuing CA -> RSA-2048 server certificate for SERVER_NAME."""

    root: x509.Certificate
    leaf: x509.Certificate
    pkcs12: bytes
    passphrase: str

    @classmethod
    def build(cls, trustpoint: str = "BENCH") -> LabChain:
        root = LabCA("Bench Root CA")
        issuing = root.intermediate("Bench Issuing CA")
        identity = issuing.issue_server(SERVER_NAME)
        passphrase = "bench-p12-passphrase"
        bundle = identity.pkcs12(passphrase.encode(), name=trustpoint)
        return cls(root.certificate, identity.certificate, bundle, passphrase)


def install_lab_chain(
    session: DeviceSession, chain: LabChain | None = None, trustpoint: str = "BENCH"
) -> LabChain:
    """Import the chain as PKCS#12 and bind it to outside, as the shipped scenarios do."""
    chain = chain or LabChain.build(trustpoint)
    encoded = base64.b64encode(chain.pkcs12).decode()
    output = session.send(
        f"crypto ca import {trustpoint} pkcs12 {chain.passphrase}",
        mode="configuration",
        answers=[("replace them", "yes")],
        paste=[encoded[i : i + 64] for i in range(0, len(encoded), 64)],
        paste_is_secret=True,
    )
    if "Import PKCS12 operation completed successfully" not in output.output:
        raise RuntimeError(f"PKCS#12 import failed: {output.output}")
    bound = session.send(f"ssl trust-point {trustpoint} outside", mode="configuration")
    if bound.failed:
        raise RuntimeError(f"ssl trust-point failed: {bound.output}")
    return chain

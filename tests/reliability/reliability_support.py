"""Helpers for the reliability tests: logins, device snapshots, waiting for the virtual ASA to
finish with a dropped connection, and the emulator as a subprocess.

Imported by its full name, ``tests.reliability.reliability_support``: every test folder is a
package.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from harness.device import LoginDetails
from lab.emulator.device import Device
from lab.emulator.embedded import EmbeddedASA
from lab.emulator.render.running_config import running_config
from tests.lab.emulator import raw_ssh

ROOT = Path(__file__).resolve().parents[2]
ASA_HARNESS = Path(sys.executable).with_name("asa-harness")
PROMPT = raw_ssh.PROMPT


def login_for(asa: EmbeddedASA) -> LoginDetails:
    return LoginDetails(asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)


def pem_lines(certificate: x509.Certificate) -> list[str]:
    return certificate.public_bytes(Encoding.PEM).decode().splitlines()


# ---------------------------------------------------------------- device snapshots


@dataclass(frozen=True)
class DeviceSnapshot:
    """Everything a dropped dialogue could have changed: the running configuration (which
    holds the certificates), the keypairs (kept out of the configuration) and each
    trustpoint's certificates and pending request."""

    running_config: str
    keypairs: tuple[tuple[str, bytes], ...]
    trustpoints: tuple[tuple[str, tuple[bytes, ...], bytes | None, bool], ...]


def snapshot(device: Device) -> DeviceSnapshot:
    from cryptography.hazmat.primitives.serialization import PublicFormat

    keypairs = tuple(
        sorted(
            (
                label,
                keypair.private_key.public_key().public_bytes(
                    Encoding.DER, PublicFormat.SubjectPublicKeyInfo
                ),
            )
            for label, keypair in device.keypairs.items()
        )
    )
    trustpoints = tuple(
        sorted(
            (
                name,
                tuple(c.public_bytes(Encoding.DER) for c in tp.ca_certificates),
                tp.identity_certificate.public_bytes(Encoding.DER)
                if tp.identity_certificate is not None
                else None,
                tp.pending_request is not None,
            )
            for name, tp in device.trustpoints.items()
        )
    )
    return DeviceSnapshot("\n".join(running_config(device)), keypairs, trustpoints)


def snapshot_of(asa: EmbeddedASA) -> DeviceSnapshot:
    return asa.call(lambda: snapshot(asa.device()))


# ---------------------------------------------------------------- waiting for the emulator


def emulator_tasks(asa: EmbeddedASA) -> set[asyncio.Task[object]]:
    async def collect() -> set[asyncio.Task[object]]:
        current = asyncio.current_task()
        return {t for t in asyncio.all_tasks() if t is not current}

    return asa.run(collect())


def wait_for_new_tasks(
    asa: EmbeddedASA, before: set[asyncio.Task[object]], timeout: float = 10.0
) -> None:
    """Wait (by awaiting them, on the emulator's loop) until every task started since
    ``before`` has finished: the session of a dropped connection has then run to its end."""

    async def settle() -> None:
        async with asyncio.timeout(timeout):
            while True:
                current = asyncio.current_task()
                pending = {
                    t
                    for t in asyncio.all_tasks()
                    if t is not current and t not in before and not t.done()
                }
                if not pending:
                    return
                await asyncio.wait(pending)

    asa.run(settle())


# ---------------------------------------------------------------- a bare SSH terminal


class RawTerminal(raw_ssh.RawTerminal):
    """The emulator tests' bare asyncssh terminal, plus what the reliability tests need: log
    in to privileged mode, wait for pasted lines to arrive, and drop the TCP connection
    without an SSH goodbye (as scrapli will not)."""

    @classmethod
    async def privileged(cls, asa: EmbeddedASA) -> RawTerminal:
        return await cls.login(login_for(asa))

    @classmethod
    async def login(cls, login: LoginDetails) -> RawTerminal:
        """Log in and enter privileged mode."""
        terminal = await cls.open(login.host, login.port, login.username, login.password)
        terminal.send("enable")
        await terminal.read_until(re.compile(r"Password: $"))
        terminal.send(login.enable_password)
        await terminal.read_until(PROMPT)
        return terminal

    async def send_echoed(self, lines: list[str]) -> None:
        """Send lines and wait for the echo of the last one: the device has received them."""
        for line in lines:
            self.send(line)
        if lines:
            await self.read_until(re.compile(re.escape(lines[-1]) + r"\n"))

    def drop(self) -> None:
        """Cut the TCP connection (no SSH disconnect message), as a network failure does."""
        self.connection.abort()


# ---------------------------------------------------------------- the emulator as a process


@dataclass
class EmulatorProcess:
    process: subprocess.Popen[str]
    ready: dict[str, object]

    @property
    def ssh_port(self) -> int:
        return int(str(self.ready["ssh"]).rsplit(":", 1)[1])

    def login(self, password: str, enable: str) -> LoginDetails:
        return LoginDetails("127.0.0.1", self.ssh_port, "admin", password, enable)


def emulator_command(state_dir: Path, password: str, enable: str) -> list[str]:
    return [
        str(ASA_HARNESS),
        "emulator",
        "--listen",
        "outside=127.0.0.1:0",
        "--state-dir",
        str(state_dir),
        "--password",
        password,
        "--enable-password",
        enable,
    ]


def read_ready_line(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        assert process.stderr is not None
        raise AssertionError(
            f"the emulator exited before it was ready (exit {process.wait(10)}): "
            f"{process.stderr.read()[-2000:]}"
        )
    ready: dict[str, object] = json.loads(line)
    assert ready.get("event") == "ready", ready
    return ready


@contextmanager
def emulator_process(state_dir: Path, password: str, enable: str) -> Iterator[EmulatorProcess]:
    process = subprocess.Popen(
        emulator_command(state_dir, password, enable),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        yield EmulatorProcess(process, read_ready_line(process))
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

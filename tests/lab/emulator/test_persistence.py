"""write memory, SIGKILL, restart: the same configuration and the same certificate served;
unsaved changes are lost; a kill during a save never leaves a folder that fails to boot."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from OpenSSL import SSL

from harness.device import DeviceSession, LoginDetails
from harness.device.session import CONFIG_MODE
from lab.emulator.embedded import EmbeddedASA
from lab.emulator.replay import replay_config
from lab.emulator.server import LAB_BASELINE, _new_device
from lab.emulator.storage import StateFolder
from tests.conftest import LabPki
from tests.lab.emulator.cli_console import assert_layout
from tests.lab.emulator.raw_ssh import privileged

PASSWORD = "lab-password"
ENABLE = "lab-enable"
EMULATOR = Path(sys.executable).with_name("asa-harness")

WRITE_MEMORY = [
    "Building configuration...",
    "Cryptochecksum: {hex8} {hex8} {hex8} {hex8}",
    "",
    "{int} bytes copied in {any} secs",
    "[OK]",
]


@dataclass
class Running:
    process: subprocess.Popen[str]
    ssh_port: int
    outside: tuple[str, int]

    def login(self) -> LoginDetails:
        return LoginDetails("127.0.0.1", self.ssh_port, "admin", PASSWORD, ENABLE)


@contextmanager
def emulator(state_dir: Path) -> Iterator[Running]:
    process = subprocess.Popen(
        [
            str(EMULATOR),
            "emulator",
            "--ssh-port",
            "0",
            "--listen",
            "outside=127.0.0.1:0",
            "--state-dir",
            str(state_dir),
            "--password",
            PASSWORD,
            "--enable-password",
            ENABLE,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert ready["event"] == "ready", ready
        host, port = ready["interfaces"]["outside"].rsplit(":", 1)
        yield Running(process, int(ready["ssh"].rsplit(":", 1)[1]), (host, int(port)))
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def served_certificate(address: tuple[str, int], sni: str | None = None) -> bytes:
    """The leaf certificate the listener serves (pyOpenSSL handshake, no verification)."""
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    with socket.create_connection(address, timeout=10) as raw:
        connection = SSL.Connection(context, raw)
        if sni:
            connection.set_tlsext_host_name(sni.encode())
        connection.set_connect_state()
        while True:  # the socket has a timeout, so it is non-blocking underneath
            try:
                connection.do_handshake()
                break
            except SSL.WantReadError:
                assert select.select([raw], [], [], 10)[0], "no handshake answer in 10 s"
        peer = connection.get_peer_certificate(as_cryptography=True)
    assert peer is not None
    return peer.public_bytes(Encoding.DER)


def configure_article_identity(session: DeviceSession, lab_ca: LabPki) -> x509.Certificate:
    issuing = lab_ca.issuing
    for line in [
        "domain-name pinglabz.lab",
        "crypto key generate rsa label PINGLABZ-RSA modulus 2048 noconfirm",
        "crypto ca trustpoint PINGLABZ-CA-SIGNED",
        " enrollment terminal",
        " fqdn vpn.pinglabz.com",
        " subject-name CN=vpn.pinglabz.com,O=PingLabz,C=US",
        " keypair PINGLABZ-RSA",
        " exit",
        "username alice password Alice-pass privilege 15",
        "tunnel-group SSL_PROFILE type remote-access",
        "tunnel-group SSL_PROFILE webvpn-attributes",
        " authentication aaa certificate",
        " group-alias SSL enable",
    ]:
        assert not session.send(line, mode=CONFIG_MODE).failed, line
    out = session.send("crypto ca enroll PINGLABZ-CA-SIGNED noconfirm", mode=CONFIG_MODE).output
    certificate = issuing.sign_csr(out[out.index("-----BEGIN") :])
    session.send(
        "crypto ca authenticate PINGLABZ-CA-SIGNED",
        mode=CONFIG_MODE,
        paste=issuing.certificate.public_bytes(Encoding.PEM).decode().splitlines(),
        answers=[("accept", "yes")],
    )
    imported = session.send(
        "crypto ca import PINGLABZ-CA-SIGNED certificate",
        mode=CONFIG_MODE,
        paste=certificate.public_bytes(Encoding.PEM).decode().splitlines(),
    )
    assert imported.lines[-1] == "INFO: Certificate successfully imported"
    assert not session.send("ssl trust-point PINGLABZ-CA-SIGNED outside", mode=CONFIG_MODE).failed
    return certificate


def test_write_memory_survives_sigkill_and_unsaved_changes_are_lost(
    tmp_path: Path, lab_ca: LabPki
) -> None:
    state = tmp_path / "state"
    with emulator(state) as first:
        with DeviceSession(first.login()) as session:
            certificate = configure_article_identity(session, lab_ca)
            served = served_certificate(first.outside, "vpn.pinglabz.com")
            assert served == certificate.public_bytes(Encoding.DER)
            out = session.exec("write memory")
            assert_layout(out.output, "\n".join(WRITE_MEMORY))
            saved = session.exec("show running-config").output
            assert session.exec("show startup-config").output == saved
            # A change after the save, then a crash: the change must be gone.
            assert not session.send("hostname unsaved-name", mode=CONFIG_MODE).failed
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    key_files = list((state / "current" / "keys").iterdir())
    assert key_files and all(f.stat().st_mode & 0o777 == 0o600 for f in key_files)
    assert "PRIVATE KEY" not in (state / "current" / "startup-config").read_text()
    with emulator(state) as second:
        assert second.process.stderr is not None
        with DeviceSession(second.login()) as session:
            assert session.exec("show running-config").output == saved
            version = session.exec("show version").output
            assert "Configuration has not been modified since last system restart." in version
        assert served_certificate(second.outside, "vpn.pinglabz.com") == served


def test_reload_asks_to_save_drops_every_session_and_boots_from_startup(
    virtual_asa: EmbeddedASA,
) -> None:
    asa = virtual_asa
    credentials = (asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)
    temporary_before = asa.asa.served_identity("outside", None).certificate

    async def scenario() -> tuple[str, str, str]:
        watcher = await privileged(*credentials)
        terminal = await privileged(*credentials)
        await terminal.command("configure terminal")
        await terminal.command("hostname saved-name")
        assert (await terminal.command("write memory")).splitlines()[-1] == "[OK]"
        await terminal.command("hostname unsaved-name")
        terminal.send("reload")
        await terminal.read_until(re.compile(r"Save\? \[Y\]es/\[N\]o: $"))
        terminal.send("N")
        await terminal.read_until(re.compile(r"Proceed with reload\? \[confirm\]$"))
        terminal.send("")
        tail = await terminal.read_all()
        watcher_tail = await watcher.read_all()
        async with await privileged(*credentials) as again:
            running = await again.command("show running-config")
        return tail, watcher_tail, running

    tail, watcher_tail, running = asyncio.run(scenario())
    assert "*** --- START GRACEFUL SHUTDOWN ---" in tail
    assert watcher_tail == ""  # the other session was dropped without a word
    assert "hostname saved-name" in running.splitlines()
    temporary_after = asa.asa.served_identity("outside", None).certificate
    assert temporary_after != temporary_before  # a new temporary certificate after boot
    assert temporary_after.subject.rfc4514_string() == (
        "1.2.840.113549.1.9.2=saved-name,CN=ASA Temporary Self Signed Certificate"
    )


def test_reload_noconfirm_without_a_save_boots_the_lab_baseline(virtual_asa: EmbeddedASA) -> None:
    asa = virtual_asa
    credentials = (asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)

    async def scenario() -> str:
        terminal = await privileged(*credentials)
        await terminal.command("configure terminal")
        await terminal.command("hostname lost-name")
        terminal.send("reload noconfirm")
        await terminal.read_all()
        async with await privileged(*credentials) as again:
            return await again.command("show running-config")

    assert "hostname ciscoasa" in asyncio.run(scenario()).splitlines()


_SAVER = textwrap.dedent(
    """
    import sys, datetime as dt
    from cryptography.hazmat.primitives.asymmetric import ec
    from lab.emulator.device import Keypair
    from lab.emulator.storage import StateFolder
    folder = StateFolder(__import__("pathlib").Path(sys.argv[1]))
    keys = [Keypair(f"K{i}", ec.generate_private_key(ec.SECP256R1()), dt.datetime.now(dt.UTC))
            for i in range(3)]
    body = sys.stdin.read()
    n = int(sys.argv[2])
    folder.save(body.replace("hostname ciscoasa", f"hostname gen{n}"), keys)
    print("ready", flush=True)
    while True:
        n += 1
        folder.save(body.replace("hostname ciscoasa", f"hostname gen{n}"), keys)
    """
)


def test_sigkill_during_saves_never_leaves_an_unbootable_folder(tmp_path: Path) -> None:
    """A child process saves in a loop; it is killed at random moments, and every time the
    folder still loads into a complete configuration that replays without a problem."""
    from lab.emulator.render.running_config import running_config

    device = _new_device("9.23")
    asyncio.run(replay_config(device, LAB_BASELINE))
    text = "\n".join(running_config(device)) + "\n"
    state = tmp_path / "state"
    rng = random.Random(7)
    generations_seen = set()
    interrupted = 0
    for round_number in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(state), str(round_number * 100_000)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(text)
        child.stdin.close()
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.12))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
        if len(list(state.glob("gen-*"))) > 1:
            interrupted += 1  # killed between writing a generation and removing the old one
        saved = StateFolder(state).load()
        if saved is None:
            continue
        assert len(saved.keypairs) == 3
        booted = _new_device("9.23")
        assert asyncio.run(replay_config(booted, saved.startup_config)) == []
        generations_seen.add(booted.hostname)
    assert len(generations_seen) == 6  # every round saved, and its last save was kept
    assert interrupted > 0  # some kills landed in the middle of a save


def test_reload_answer_yes_saves_first(virtual_asa: EmbeddedASA) -> None:
    asa = virtual_asa
    credentials = (asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password)

    async def scenario() -> tuple[str, str, str]:
        terminal = await privileged(*credentials)
        never_saved = await terminal.command("show startup-config")
        await terminal.command("configure terminal")
        await terminal.command("hostname kept-name")
        terminal.send("reload")
        await terminal.read_until(re.compile(r"Save\? \[Y\]es/\[N\]o: $"))
        terminal.send("Y")
        saved = await terminal.read_until(re.compile(r"Proceed with reload\? \[confirm\]$"))
        terminal.send("")
        await terminal.read_all()
        async with await privileged(*credentials) as again:
            return never_saved, saved, await again.command("show running-config")

    never_saved, saved, running = asyncio.run(scenario())
    assert never_saved.strip() == (
        "%Error opening disk0:/.private/startup-config (No such file or directory)"
    )
    assert "[OK]" in saved.splitlines()
    assert "hostname kept-name" in running.splitlines()

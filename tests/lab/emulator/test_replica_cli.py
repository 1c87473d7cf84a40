"""``asa-harness replica --from FILE``: the emulator's JSON ready line on stdout, how each
trustpoint is served and every ignored line (with its number) on stderr, secrets never
printed; SSH answers with the production configuration; SIGTERM stops it."""

from __future__ import annotations

import base64
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from harness.device import DeviceSession, LoginDetails
from lab.emulator.embedded import EmbeddedASA
from probes.tls import handshake

EXPORT = "cli-export-passphrase"
LOGIN = "cli-login-password"
SECRET = "PlainTextPreSharedKey"
CONFIG = """\
domain-name corp.example
crypto key generate rsa label VPN-RSA modulus 2048 noconfirm
crypto ca trustpoint VPN-TP
 enrollment self
 fqdn vpn.corp.example
 subject-name CN=vpn.corp.example,O=Corp
 keypair VPN-RSA
 exit
crypto ca enroll VPN-TP noconfirm
ssl trust-point VPN-TP outside
tunnel-group L2L type ipsec-l2l
tunnel-group L2L ipsec-attributes
 ikev1 pre-shared-key {secret}
"""


@dataclass(frozen=True)
class Saved:
    config: Path
    p12: Path
    leaf_sha256: bytes


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Saved:
    folder = tmp_path_factory.mktemp("replica-cli")
    with EmbeddedASA() as asa:
        login = LoginDetails(
            asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password
        )
        with DeviceSession(login) as session:
            outputs = session.configure(CONFIG.format(secret=SECRET).splitlines())
            assert not any(o.failed for o in outputs)
            text = session.exec("show running-config").output
            exported = session.send(
                f"crypto ca export VPN-TP pkcs12 {EXPORT}", mode="configuration"
            )
        leaf = handshake(*asa.interface_address("outside")).served_chain[0]
    # A `more system:running-config` shows the key in clear, as this file does.
    assert f"ikev1 pre-shared-key {SECRET}" in text
    body = re.search(r"-----BEGIN PKCS12-----\n(.*?)\n-----END PKCS12-----", exported.output, re.S)
    assert body is not None
    p12 = folder / "vpn.p12"
    p12.write_bytes(base64.b64decode("".join(body.group(1).split())))
    config = folder / "running-config.txt"
    extra = "object network WEB\n host 10.1.1.10\nlogging enable\n"
    config.write_text(text.replace("webvpn\n", extra + "webvpn\n") + "\n")
    return Saved(config, p12, leaf.fingerprint(hashes.SHA256()))


@dataclass
class Running:
    process: subprocess.Popen[str]
    ready: dict[str, object]


def _read_line(stream: object, deadline: float) -> str:
    assert hasattr(stream, "readline") and hasattr(stream, "fileno")
    while time.monotonic() < deadline:
        readable, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if readable:
            return str(stream.readline())
    raise AssertionError("asa-harness replica printed no ready line in time")


@pytest.fixture
def replica(saved: Saved) -> Iterator[Running]:
    environment = dict(os.environ, CLI_P12=EXPORT, CLI_LOGIN=LOGIN)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "replica",
            "--from",
            str(saved.config),
            "--pkcs12",
            f"VPN-TP={saved.p12}",
            "--passphrase-env",
            "CLI_P12",
            "--password-env",
            "CLI_LOGIN",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        line = _read_line(process.stdout, time.monotonic() + 60)
        ready = json.loads(line)
        yield Running(process, ready)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_the_ready_line_then_ssh_and_tls_as_in_production(replica: Running, saved: Saved) -> None:
    ready = replica.ready
    assert ready["event"] == "ready"
    interfaces = ready["interfaces"]
    assert isinstance(interfaces, dict) and set(interfaces) == {"management", "outside", "inside"}
    host, port = str(interfaces["outside"]).rsplit(":", 1)
    leaf = handshake(host, int(port)).served_chain[0]
    assert leaf.fingerprint(hashes.SHA256()) == saved.leaf_sha256
    ssh_host, ssh_port = str(ready["ssh"]).rsplit(":", 1)
    login = LoginDetails(ssh_host, int(ssh_port), "admin", LOGIN, LOGIN)
    with DeviceSession(login) as session:
        shown = session.exec("show running-config").output
    assert "object network WEB\n host 10.1.1.10" in shown and "logging enable" in shown
    assert " ikev1 pre-shared-key *****" in shown and SECRET not in shown


def test_stderr_lists_the_serving_and_every_ignored_line_and_no_secret(
    replica: Running, saved: Saved
) -> None:
    replica.process.send_signal(signal.SIGTERM)
    out, err = replica.process.communicate(timeout=30)
    assert replica.process.returncode == 0
    lines = saved.config.read_text().splitlines()
    assert "trustpoint VPN-TP: serves its own certificate" in err
    for text in ("object network WEB", " host 10.1.1.10", "logging enable"):
        number = lines.index(text) + 1
        assert f"line {number}: {text}  -- " in err
    masked = lines.index(f" ikev1 pre-shared-key {SECRET}") + 1
    assert f"line {masked}: a clear-text secret was masked as *****" in err
    for secret in (SECRET, EXPORT, LOGIN):
        assert secret not in out and secret not in err


def test_a_pkcs12_that_does_not_fit_exits_2_with_the_reason(saved: Saved, tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "replica",
            "--from",
            str(saved.config),
            "--pkcs12",
            f"OTHER-TP={saved.p12}",
            "--passphrase-env",
            "CLI_P12",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, CLI_P12=EXPORT),
    )
    assert completed.returncode == 2
    assert "OTHER-TP" in completed.stderr and "trustpoints: VPN-TP" in completed.stderr
    assert EXPORT not in completed.stderr and completed.stdout == ""

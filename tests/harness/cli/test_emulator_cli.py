"""`asa-harness emulator` as a user runs it: ready line, real TLS, SIGTERM, generated logins."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.device import DeviceSession, LoginDetails
from harness.parse import CertificateRecord, parse_certificates

SELF_SIGNED = [
    "domain-name pinglabz.lab",
    "crypto key generate rsa label PINGLABZ-RSA modulus 2048 noconfirm",
    "crypto ca trustpoint PINGLABZ-SELFSIGNED",
    " enrollment self",
    " fqdn vpn.pinglabz.lab",
    " subject-name CN=vpn.pinglabz.lab,O=PingLabz,C=US",
    " keypair PINGLABZ-RSA",
    " exit",
    "crypto ca enroll PINGLABZ-SELFSIGNED noconfirm",
    "ssl trust-point PINGLABZ-SELFSIGNED outside",
]


@dataclass
class Running:
    process: subprocess.Popen[str]
    ready: dict[str, object]

    def address(self, key: str) -> tuple[str, int]:
        interfaces = cast("dict[str, object]", self.ready["interfaces"])
        text = str(self.ready[key]) if key == "ssh" else str(interfaces[key])
        host, _, port = text.rpartition(":")
        return host, int(port)


def start(*arguments: str) -> Running:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli", "emulator", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # the ready line is the readiness signal
    if not line:
        raise AssertionError(
            f"no ready line; stderr: {process.stderr.read() if process.stderr else ''}"
        )
    return Running(process, json.loads(line))


@pytest.fixture
def emulator() -> Iterator[Running]:
    running = start(
        "--ssh-port",
        "0",
        "--listen",
        "outside=127.0.0.1:0",
        "--password",
        "pw-1",
        "--enable-password",
        "en-1",
    )
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_openssl_s_client_sees_the_certificate_show_crypto_ca_certificates_lists(
    emulator: Running, tool: Callable[[str], str]
) -> None:
    openssl = tool("openssl")
    assert emulator.ready["event"] == "ready"
    host, port = emulator.address("ssh")
    with DeviceSession(LoginDetails(host, port, "admin", "pw-1", "en-1")) as session:
        assert not any(o.failed for o in session.configure(SELF_SIGNED))
        listed = parse_certificates(session.exec("show crypto ca certificates").output)
        exported = session.send(
            "crypto ca export PINGLABZ-SELFSIGNED identity-certificate", mode="configuration"
        )
    records = [r for r in listed if isinstance(r, CertificateRecord) and r.kind == "identity"]
    assert len(records) == 1
    device_certificate = x509.load_pem_x509_certificate(
        exported.output[exported.output.index("-----BEGIN") :].encode()
    )
    tls_host, tls_port = emulator.address("outside")
    completed = subprocess.run(
        [
            openssl,
            "s_client",
            "-connect",
            f"{tls_host}:{tls_port}",
            "-servername",
            "vpn.pinglabz.lab",
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
    )
    pem = completed.stdout[
        completed.stdout.index("-----BEGIN CERTIFICATE-----") : completed.stdout.index(
            "-----END CERTIFICATE-----"
        )
        + 25
    ]
    served = x509.load_pem_x509_certificate(pem.encode())

    def fingerprint(certificate: x509.Certificate) -> str:
        return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()

    assert fingerprint(served) == fingerprint(device_certificate)
    assert int(records[0].serial, 16) == served.serial_number
    assert records[0].subject.get("CN") == "vpn.pinglabz.lab"


def test_sigterm_stops_it_with_exit_status_zero(emulator: Running) -> None:
    emulator.process.send_signal(signal.SIGTERM)
    assert emulator.process.wait(timeout=30) == 0


def test_without_a_password_it_generates_credentials_and_prints_them_once_on_stderr() -> None:
    running = start("--listen", "outside=127.0.0.1:0")
    try:
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=30) == 0
        assert running.process.stderr is not None
        stderr = running.process.stderr.read()
    finally:
        if running.process.poll() is None:
            running.process.kill()
    assert stderr.count("generated credentials: username admin password ") == 1


def test_a_malformed_listen_option_is_a_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "harness.cli", "emulator", "--listen", "outside"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "expected NAMEIF=HOST:PORT" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("command", [[], ["run"], ["emulator"], ["probe"]])
def test_every_command_has_help(command: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "harness.cli", *command, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0
    assert "usage: asa-harness" in completed.stdout

"""Certificates as a user pastes them, and the steps that put them on a console."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.lab.emulator.cli_console import Console


def pem_lines(certificate: x509.Certificate) -> list[str]:
    return certificate.public_bytes(Encoding.PEM).decode().splitlines()


def csr_from(output: str) -> str:
    start = output.index("-----BEGIN CERTIFICATE REQUEST-----")
    end = output.index("-----END CERTIFICATE REQUEST-----") + len(
        "-----END CERTIFICATE REQUEST-----"
    )
    return output[start:end]


def terminal_trustpoint(console: Console, name: str, keypair: str, *extra: str) -> None:
    for line in [
        f"crypto ca trustpoint {name}",
        " enrollment terminal",
        *extra,
        f" keypair {keypair}",
        " exit",
    ]:
        assert console.run(line) == "", line

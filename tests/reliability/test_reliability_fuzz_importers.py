"""Hostile pastes: random and mutated PEM / base64 pasted into ``crypto ca authenticate``,
``crypto ca import TP certificate`` and ``crypto ca import TP pkcs12``. The dialogue always
ends (at ``quit`` and its questions), never with an internal error, and a paste the device
refuses leaves it exactly as it was."""

from __future__ import annotations

import asyncio
import base64
import functools
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.pki import IssuedIdentity, LabCA
from lab.emulator.cli.registry import CONFIG
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import ScriptTerminal, SessionClosedError
from lab.emulator.device import Keypair
from lab.emulator.replay import replay_config
from lab.emulator.server import LAB_BASELINE, _new_device
from tests.reliability.reliability_support import pem_lines, snapshot

PASSPHRASE = "Fuzz-p12-pass"
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SUCCESS = {
    "authenticate": "Trustpoint CA certificate accepted.",
    "certificate": "Certificate successfully imported",
    "pkcs12": "Import PKCS12 operation completed successfully",
}


@functools.cache
def tp_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class Material:
    root: x509.Certificate
    issuing: x509.Certificate
    for_tp_key: x509.Certificate
    bundle: IssuedIdentity


@functools.cache
def material() -> Material:
    root = LabCA("Fuzz Root CA")
    issuing = root.intermediate("Fuzz Issuing CA")
    return Material(
        root.certificate,
        issuing.certificate,
        issuing.issue_server("vpn.fuzz.lab", key=tp_key()).certificate,
        issuing.issue_server("partner.fuzz.lab"),
    )


def valid_paste(kind: str) -> list[str]:
    pki = material()
    if kind == "authenticate":
        return pem_lines(pki.root)
    if kind == "certificate":
        return pem_lines(pki.for_tp_key)
    encoded = base64.b64encode(pki.bundle.pkcs12(PASSPHRASE.encode())).decode()
    return [encoded[i : i + 64] for i in range(0, len(encoded), 64)]


def command_for(kind: str) -> str:
    return {
        "authenticate": "crypto ca authenticate TP",
        "certificate": "crypto ca import TP certificate",
        "pkcs12": f"crypto ca import TP pkcs12 {PASSPHRASE}",
    }[kind]


JUNK_LINES = [
    "",
    " ",
    "-----BEGIN CERTIFICATE-----",
    "-----END CERTIFICATE-----",
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN PKCS12-----",
    "====",
    "A" * 10_000,
    "\x00\x01\xff",
    "é中文",
    "MIIB",
    "quit ",
    " quit",
]


@st.composite
def mutated_paste(draw: st.DrawFn, kind: str) -> list[str]:
    lines = list(valid_paste(kind))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        operation = draw(st.integers(min_value=0, max_value=8))
        at = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        if operation == 0 and lines:
            del lines[at]
        elif operation == 1 and lines:
            lines.insert(at, lines[at])
        elif operation == 2 and lines and lines[at]:
            position = draw(st.integers(min_value=0, max_value=len(lines[at]) - 1))
            char = draw(st.sampled_from([*"A/+=-_ .\t", "\x00", "é"]))
            lines[at] = lines[at][:position] + char + lines[at][position + 1 :]
        elif operation == 3:
            lines = lines[:at]
        elif operation == 4:
            lines.insert(at, draw(st.sampled_from(JUNK_LINES)))
        elif operation == 5:
            noise = draw(st.binary(min_size=0, max_size=600))
            encoded = base64.b64encode(noise).decode()
            lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
        elif operation == 6:
            der = material().root.public_bytes(Encoding.DER)
            cut = draw(st.integers(min_value=0, max_value=len(der)))
            encoded = base64.b64encode(der[:cut]).decode()
            lines = [encoded[i : i + 64] for i in range(0, len(encoded), 64)]
        elif operation == 7:
            lines = ["".join(lines)]  # one long line
        else:
            lines = [line + "\r" for line in lines]
    return [line for line in lines if line.strip().lower() != "quit"]


async def _paste(kind: str, paste: list[str]) -> tuple[bool, bool, str]:
    """(device changed, import succeeded, terminal text); asserts the dialogue's shape."""
    device = _new_device("9.23")
    assert not await replay_config(device, LAB_BASELINE)
    device.keypairs["TP"] = Keypair("TP", tp_key(), device.clock.now_utc())
    terminal = ScriptTerminal([])
    session = CliSession(device, terminal, privileged=True)
    session.enter(CONFIG)
    for line in ["crypto ca trustpoint TP", " enrollment terminal", " keypair TP", " exit"]:
        await session.execute(line)
        assert session.last_error is None, terminal.text()
    if kind == "certificate":
        device.trustpoints["TP"].ca_certificates = [material().issuing]
    before = snapshot(device)
    terminal = ScriptTerminal([*paste, "quit", "yes", "yes"])
    session.term = terminal
    try:
        await session.execute(command_for(kind))
    except SessionClosedError as error:
        raise AssertionError(
            f"the dialogue read past quit and its answers:\n{terminal.text()}"
        ) from error
    text = terminal.text()
    assert "Internal error" not in text and "Traceback" not in text, text
    assert terminal.remaining <= 2, f"the paste did not end at quit:\n{text}"
    succeeded = SUCCESS[kind] in text
    changed = snapshot(device) != before
    assert changed == succeeded, f"changed={changed} but output:\n{text}"
    return changed, succeeded, text


@pytest.mark.parametrize("kind", ["authenticate", "certificate", "pkcs12"])
def test_the_valid_paste_is_imported(kind: str) -> None:
    """The property below is not vacuous: the unmutated paste changes the device."""
    changed, succeeded, text = asyncio.run(_paste(kind, valid_paste(kind)))
    assert changed and succeeded, text


@FUZZ
@given(paste=mutated_paste("authenticate"))
def test_mutated_pastes_into_crypto_ca_authenticate(paste: list[str]) -> None:
    asyncio.run(_paste("authenticate", paste))


@FUZZ
@given(paste=mutated_paste("certificate"))
def test_mutated_pastes_into_crypto_ca_import_certificate(paste: list[str]) -> None:
    asyncio.run(_paste("certificate", paste))


@FUZZ
@given(paste=mutated_paste("pkcs12"))
def test_mutated_pastes_into_crypto_ca_import_pkcs12(paste: list[str]) -> None:
    asyncio.run(_paste("pkcs12", paste))


@FUZZ
@given(
    kind=st.sampled_from(["authenticate", "certificate", "pkcs12"]),
    paste=st.lists(st.text(max_size=80), max_size=12),
)
def test_random_text_pasted_into_any_importer(kind: str, paste: list[str]) -> None:
    asyncio.run(_paste(kind, [line for line in paste if line.strip().lower() != "quit"]))


def _with_undecodable_subject(certificate: x509.Certificate, marker: bytes) -> list[str]:
    """The certificate with one byte of a name's UTF8String made invalid UTF-8 (as a bad
    copy and paste can): its base64 still decodes to a certificate cryptography loads."""
    der = bytearray(certificate.public_bytes(Encoding.DER))
    der[der.index(marker) + 1] = 0xFD
    encoded = base64.b64encode(bytes(der)).decode()
    return [
        "-----BEGIN CERTIFICATE-----",
        *(encoded[i : i + 64] for i in range(0, len(encoded), 64)),
        "-----END CERTIFICATE-----",
    ]


def test_import_certificate_refuses_an_undecodable_name_cleanly() -> None:
    paste = _with_undecodable_subject(material().for_tp_key, b"vpn.fuzz.lab")
    changed, succeeded, text = asyncio.run(_paste("certificate", paste))
    assert not changed and not succeeded
    assert "% Error in saving certificate: status = FAIL" in text


def test_authenticate_refuses_an_undecodable_name_cleanly() -> None:
    paste = _with_undecodable_subject(material().root, b"Fuzz Root CA")
    _changed, _succeeded, text = asyncio.run(_paste("authenticate", paste))
    assert "Internal error" not in text, text

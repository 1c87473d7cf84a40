"""An SSH connection dropped in the middle of a PEM/base64 paste or of a dialogue's question
leaves the virtual ASA exactly as it was: running configuration, keypairs, certificates.

Over SSH (the TCP connection cut without an SSH goodbye, once the device has echoed the
lines sent) for the two pastes named in issue 9; and in-process, for every dialogue, cut
after each possible number of answered lines (exhaustive, deterministic).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import re
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.device import DeviceSession
from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from lab.emulator.cli.registry import CONFIG
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import ScriptTerminal, SessionClosedError
from lab.emulator.device import Keypair
from lab.emulator.embedded import EmbeddedASA
from lab.emulator.replay import replay_config
from lab.emulator.server import LAB_BASELINE, _new_device
from tests.reliability.reliability_support import (
    RawTerminal,
    emulator_tasks,
    login_for,
    pem_lines,
    snapshot,
    snapshot_of,
    wait_for_new_tasks,
)

PASTE_REQUEST = re.compile(r"on a line by itself[.:]?\n")
PASSPHRASE = "Drop-Test-p12"


@dataclass(frozen=True)
class Pki:
    root: LabCA
    issuing: CertificateAuthority
    #: a server identity with its own key (PKCS#12 import)
    server: IssuedIdentity
    #: a certificate for trustpoint TP's key (import certificate)
    for_tp_key: IssuedIdentity


@pytest.fixture(scope="module")
def pki() -> Pki:
    root = LabCA("Drop Test Root CA")
    issuing = root.intermediate("Drop Test Issuing CA")
    return Pki(
        root,
        issuing,
        issuing.issue_server("vpn.drop.lab"),
        issuing.issue_server("vpn.drop.lab", key=_trustpoint_key()),
    )


def pkcs12_lines(identity: IssuedIdentity) -> list[str]:
    encoded = base64.b64encode(identity.pkcs12(PASSPHRASE.encode(), name="TP")).decode()
    return [encoded[i : i + 64] for i in range(0, len(encoded), 64)]


#: The keypair is named after the trustpoint, so that a PKCS#12 import asks whether to
#: replace it (one more question to drop the connection at).
TRUSTPOINT_LINES = [
    "crypto ca trustpoint TP",
    " enrollment terminal",
    " fqdn vpn.drop.lab",
    " subject-name CN=vpn.drop.lab",
    " keypair TP",
    " exit",
]
SETUP = ["crypto key generate rsa label TP modulus 2048 noconfirm", *TRUSTPOINT_LINES]


# ---------------------------------------------------------------- over SSH


def _drop_mid_paste(asa: EmbeddedASA, command: str, paste: list[str]) -> None:
    async def scenario() -> None:
        terminal = await RawTerminal.privileged(asa)
        await terminal.command("configure terminal")
        terminal.send(command)
        await terminal.read_until(PASTE_REQUEST)
        await terminal.send_echoed(paste[: len(paste) // 2])
        terminal.drop()

    before_tasks = emulator_tasks(asa)
    asyncio.run(scenario())
    wait_for_new_tasks(asa, before_tasks)


@pytest.mark.parametrize("kind", ["authenticate", "pkcs12"])
def test_ssh_dropped_half_way_through_a_paste_changes_nothing(
    virtual_asa: EmbeddedASA, pki: Pki, kind: str
) -> None:
    with DeviceSession(login_for(virtual_asa)) as session:
        outputs = session.configure(SETUP)
        assert not any(o.failed for o in outputs), outputs
    before = snapshot_of(virtual_asa)
    if kind == "authenticate":
        _drop_mid_paste(virtual_asa, "crypto ca authenticate TP", pem_lines(pki.root.certificate))
    else:
        _drop_mid_paste(
            virtual_asa, f"crypto ca import TP pkcs12 {PASSPHRASE}", pkcs12_lines(pki.server)
        )
    assert snapshot_of(virtual_asa) == before
    # and the device still answers: the same paste, complete, now works
    with DeviceSession(login_for(virtual_asa)) as session:
        if kind == "authenticate":
            out = session.send(
                "crypto ca authenticate TP",
                mode="configuration",
                paste=pem_lines(pki.root.certificate),
                answers=[("accept", "yes")],
            )
            assert "Trustpoint CA certificate accepted." in out.output, out.output
        else:
            out = session.send(
                f"crypto ca import TP pkcs12 {PASSPHRASE}",
                mode="configuration",
                paste=pkcs12_lines(pki.server),
                answers=[("replace them", "yes")],
            )
            assert "Import PKCS12 operation completed successfully" in out.output, out.output


def test_ssh_dropped_at_the_accept_question_changes_nothing(
    virtual_asa: EmbeddedASA, pki: Pki
) -> None:
    with DeviceSession(login_for(virtual_asa)) as session:
        assert not any(o.failed for o in session.configure(SETUP))
    before = snapshot_of(virtual_asa)

    async def scenario() -> None:
        terminal = await RawTerminal.privileged(virtual_asa)
        await terminal.command("configure terminal")
        terminal.send("crypto ca authenticate TP")
        await terminal.read_until(PASTE_REQUEST)
        await terminal.send_echoed([*pem_lines(pki.root.certificate), "quit"])
        await terminal.read_until(re.compile(r"\[yes/no\]: $"))
        terminal.drop()

    before_tasks = emulator_tasks(virtual_asa)
    asyncio.run(scenario())
    wait_for_new_tasks(virtual_asa, before_tasks)
    assert snapshot_of(virtual_asa) == before


# ---------------------------------------------------------------- every cut point, in-process


@functools.cache
def _trustpoint_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


async def _prepared_session(
    inputs: list[str], ca: x509.Certificate | None
) -> tuple[CliSession, ScriptTerminal]:
    """A device with the lab baseline, keypair TP and trustpoint TP (authenticated with
    ``ca`` if given); the session reads ``inputs`` and then sees the connection end."""
    device = _new_device("9.23")
    assert not await replay_config(device, LAB_BASELINE)
    device.keypairs["TP"] = Keypair("TP", _trustpoint_key(), device.clock.now_utc())
    setup = ScriptTerminal([])
    session = CliSession(device, setup, privileged=True)
    session.enter(CONFIG)
    for line in TRUSTPOINT_LINES:
        await session.execute(line)
        assert session.last_error is None, (line, setup.text())
    if ca is not None:
        device.trustpoints["TP"].ca_certificates = [ca]
    terminal = ScriptTerminal(inputs)
    session.term = terminal
    return session, terminal


def _dialogues(pki: Pki) -> dict[str, tuple[str, list[str], x509.Certificate | None]]:
    """Command, the complete input a user gives (each test cuts it short), and the CA the
    trustpoint must already be authenticated with."""
    return {
        "authenticate": (
            "crypto ca authenticate TP",
            [*pem_lines(pki.root.certificate), "quit", "yes"],
            None,
        ),
        "import-certificate": (
            "crypto ca import TP certificate",
            [*pem_lines(pki.for_tp_key.certificate), "quit"],
            pki.issuing.certificate,
        ),
        "import-pkcs12": (
            f"crypto ca import TP pkcs12 {PASSPHRASE}",
            [*pkcs12_lines(pki.server), "quit", "yes"],
            None,
        ),
        "enroll": ("crypto ca enroll TP", ["no", "yes"], None),
    }


@pytest.mark.parametrize(
    "dialogue", ["authenticate", "import-certificate", "import-pkcs12", "enroll"]
)
def test_a_dialogue_cut_after_any_line_changes_nothing(pki: Pki, dialogue: str) -> None:
    command, complete, ca = _dialogues(pki)[dialogue]

    async def cut_after(count: int) -> tuple[object, object, str]:
        session, terminal = await _prepared_session(complete[:count], ca)
        before = snapshot(session.device)
        with contextlib.suppress(SessionClosedError):
            await session.execute(command)
        return before, snapshot(session.device), terminal.text()

    async def all_cuts() -> list[tuple[int, object, object, str]]:
        results = []
        for count in range(len(complete) + 1):
            before, after, text = await cut_after(count)
            results.append((count, before, after, text))
        return results

    *cuts, whole = asyncio.run(all_cuts())
    # the whole dialogue does change the device: the snapshot sees what a cut would change
    assert whole[1] != whole[2], f"the complete dialogue changed nothing:\n{whole[3]}"
    changed = [(count, text) for count, before, after, text in cuts if before != after]
    assert not changed, (
        f"cut after {changed[0][0]} input lines changed the device:\n{changed[0][1]}"
    )
    assert all("Internal error" not in text for *_, text in cuts)

"""Run a shipped scenario and keep its virtual ASA for the oracle; audit devices; compare
matrices; export a device's configuration and keys as a production admin would."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.device import DeviceSession
from harness.oracle import (
    AuditMatrix,
    AuditRequest,
    ClassInputs,
    PreparedAudit,
    matrix_dict,
    prepare,
    probe,
    read_snapshot,
)
from harness.run.context import login_for
from harness.run.pki_store import PkiStore
from harness.run.results import ScenarioResult
from harness.run.runner import run_scenario
from harness.scenario import Scenario, is_scenario_file, load_scenario
from lab.targets import EmbeddedTarget, TargetAccess

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(p for p in (ROOT / "scenarios").glob("*.yaml") if is_scenario_file(p))
EXPORT_PASSPHRASE = "export-passphrase-for-tests"


class KeptTarget:
    """An embedded target whose device outlives the scenario (released by the test)."""

    exclusive = False

    def __init__(self, profile: str) -> None:
        self.inner = EmbeddedTarget(f"kept-{profile}", profile=profile)
        self.name = self.inner.name

    def start(self) -> TargetAccess:
        return self.inner.start()

    def stop(self) -> None:
        """The scenario is over; the device stays up for the oracle."""

    def release(self) -> None:
        self.inner.stop()


@dataclass(frozen=True)
class FinishedScenario:
    scenario: Scenario
    result: ScenarioResult
    access: TargetAccess
    pki: PkiStore
    profile: str


def profile_of(scenario: Scenario) -> str:
    return "legacy" if scenario.target == "embedded-legacy" else "9.23"


@contextmanager
def finished(path: Path) -> Iterator[FinishedScenario]:
    """The scenario's steps run on a virtual ASA that stays up inside the block."""
    scenario = load_scenario(path)
    profile = profile_of(scenario)
    target = KeptTarget(profile)
    result = run_scenario(scenario, path, target)
    try:
        assert target.inner.emulator is not None, result.error
        access = _access(target)
        yield FinishedScenario(scenario, result, access, PkiStore.build(scenario.pki), profile)
    finally:
        target.release()


def _access(target: KeptTarget) -> TargetAccess:
    asa = target.inner.emulator
    assert asa is not None
    return TargetAccess(
        name=target.name,
        ssh_host=asa.host,
        ssh_port=asa.ssh_port,
        username=asa.username,
        password=asa.password,
        enable_password=asa.enable_password,
        interfaces={n: asa.interface_address(n) for n in asa.asa.listeners},
    )


def request_for(
    access: TargetAccess, pki: PkiStore, *, stand_ins: bool | None = None
) -> AuditRequest:
    return AuditRequest(
        target=access.name,
        endpoints=access.interfaces,
        stand_ins=access.kind == "replica" if stand_ins is None else stand_ins,
        inputs=ClassInputs(issuers=tuple(pki.cas.values())),
    )


def session_to(access: TargetAccess) -> DeviceSession:
    """Not open yet: ``with session_to(access) as session`` opens it once and closes it."""
    return DeviceSession(login_for(access))


def expectations(access: TargetAccess, pki: PkiStore) -> PreparedAudit:
    with session_to(access) as session:
        return prepare(read_snapshot(session), request_for(access, pki))


def probed(prepared: PreparedAudit, access: TargetAccess, pki: PkiStore) -> AuditMatrix:
    with session_to(access) as session:
        return probe(prepared, session, request_for(access, pki))


def audit(access: TargetAccess, pki: PkiStore) -> AuditMatrix:
    with session_to(access) as session:
        request = request_for(access, pki)
        return probe(prepare(read_snapshot(session), request), session, request)


def comparable(matrix: AuditMatrix) -> list[tuple[Any, ...]]:
    """Everything two audits of equivalent devices must share (not addresses, not the
    oracle's freshly issued class certificates, not a temporary certificate made at boot)."""
    rows: list[tuple[Any, ...]] = []
    for cell in matrix_dict(matrix)["cells"]:
        expected, observed = cell["expected"], cell["observed"] or {}
        login = expected["login"] or {}
        temporary = observed.get("served") == "temporary self-signed certificate"
        rows.append(
            (
                cell["client"],
                cell["column"],
                cell["status"],
                expected["identity"]["served"],
                tuple(expected["identity"]["chain_sha256"]),
                expected["request"]["requested"],
                tuple(sorted(expected["request"]["ca_names"])),
                login.get("tunnel_group"),
                login.get("decided_by"),
                login.get("outcome"),
                observed.get("served"),
                () if temporary else tuple(observed.get("chain_sha256", ())),
                observed.get("client_cert_requested"),
                observed.get("outcome"),
                observed.get("tunnel_group"),
                tuple(d["aspect"] for d in cell["deviations"]),
            )
        )
    return rows


_EXPORT = re.compile(r"-----BEGIN PKCS12-----\n(?P<body>.*?)\n-----END PKCS12-----", re.S)


def export_configuration(access: TargetAccess, folder: Path) -> tuple[Path, dict[str, Path]]:
    """``show running-config`` saved to a file, and ``crypto ca export TP pkcs12`` of every
    trustpoint with an identity certificate: what an admin takes from production."""
    with session_to(access) as session:
        text = session.exec("show running-config").output
        config = folder / "running-config.txt"
        config.write_text(text + "\n")
        names = re.findall(r"^crypto ca certificate chain (\S+)\n certificate (?!ca )", text, re.M)
        files: dict[str, Path] = {}
        for name in names:
            output = session.send(
                f"crypto ca export {name} pkcs12 {EXPORT_PASSPHRASE}", mode="configuration"
            ).output
            match = _EXPORT.search(output)
            assert match, output
            path = folder / f"{name}.p12"
            path.write_bytes(base64.b64decode("".join(match["body"].split())))
            files[name] = path
    return config, files

"""The oracle finds a device that does not do what its configuration says: one binding, one
certificate-map rule and one CA import broken behind its back, each reported exactly, with
both sides of the evidence."""

from __future__ import annotations

import re
from pathlib import Path

from harness.oracle import AuditMatrix, prepare, probe, read_snapshot, with_config_text
from harness.run.runner import run_scenario
from harness.scenario import Scenario, load_scenario
from lab.targets import TargetAccess
from tests.harness.oracle.oracle_support import (
    ROOT,
    expectations,
    finished,
    probed,
    request_for,
    session_to,
)


def deviations(matrix: AuditMatrix) -> set[tuple[str, str, str, str, str]]:
    return {
        (cell.client, cell.column.id, d.aspect, d.expected, d.observed)
        for cell, d in matrix.deviations
    }


def configure(access: TargetAccess, lines: list[str]) -> None:
    with session_to(access) as session:
        outputs = session.configure(lines)
        assert not any(o.failed for o in outputs), [o.output for o in outputs]


def test_a_binding_changed_behind_the_oracles_back() -> None:
    with finished(ROOT / "scenarios/08_sni_two_trustpoints.yaml") as done:
        prepared = expectations(done.access, done.pki)
        configure(done.access, ["ssl trust-point PARTNER-CA-SIGNED outside"])
        matrix = probed(prepared, done.access, done.pki)
    classes = [c.id for c in matrix.classes]
    assert deviations(matrix) == {
        (
            client,
            "outside/-",
            "served-certificate",
            "trustpoint PINGLABZ-CA-SIGNED",
            "trustpoint PARTNER-CA-SIGNED",
        )
        for client in classes
    }
    cell, deviation = matrix.deviations[0]
    # Both sides: the rule that made the expectation, and what the wire showed.
    assert "'ssl trust-point PINGLABZ-CA-SIGNED outside' binds it to outside" in deviation.rule
    assert "partner.pinglabz.com" in deviation.evidence
    assert cell.status == "fail"
    partner = [c for c in matrix.cells if c.column.sni == "partner.pinglabz.com"]
    assert partner and all(c.status == "pass" for c in partner)


def test_a_certificate_map_rule_changed_behind_the_oracles_back() -> None:
    with finished(ROOT / "scenarios/06_certificate_map_routing.yaml") as done:
        prepared = expectations(done.access, done.pki)
        configure(
            done.access,
            [
                "crypto ca certificate map CONTRACTOR-MAP 10",
                " no subject-name attr ou eq contractors",
                " subject-name attr ou eq partners",
            ],
        )
        matrix = probed(prepared, done.access, done.pki)
    assert deviations(matrix) == {
        (
            "map:CONTRACTOR-MAP:10",
            "outside/-",
            "tunnel-group",
            "CONTRACTOR_PROFILE",
            "DefaultWEBVPNGroup",
        )
    }
    ((cell, deviation),) = matrix.deviations
    assert "subject-name attr ou eq contractors" in deviation.rule
    assert "MATCH" in deviation.rule
    assert cell.observed is not None and cell.observed.tunnel_group_source == "xml"


def _without_ca_import(config: str, trustpoint: str) -> str:
    """The running-config with the CA certificate of ``trustpoint``'s chain left out."""
    block = re.search(
        rf"^crypto ca certificate chain {trustpoint}\n(?: .*\n)*", config + "\n", re.M
    )
    assert block is not None
    kept = re.sub(r" certificate ca \S+\n(?:    .*\n)*  quit\n", "", block.group(0))
    assert kept != block.group(0)
    return config.replace(block.group(0).rstrip("\n"), kept.rstrip("\n"))


def test_the_oracle_fed_a_configuration_without_a_ca_import() -> None:
    path = ROOT / "scenarios/03_ca_signed_terminal.yaml"
    with finished(path) as done, session_to(done.access) as session:
        snapshot = read_snapshot(session)
        intended = with_config_text(
            snapshot,
            _without_ca_import(snapshot.config.text, "PINGLABZ-CA-SIGNED"),
            "the change ticket's configuration",
        )
        request = request_for(done.access, done.pki)
        matrix = probe(prepare(intended, request), session, request)
    leaf = "unstructuredName=vpn.pinglabz.com,C=US,O=PingLabz,CN=vpn.pinglabz.com"
    found = deviations(matrix)
    assert {(client, column, aspect) for client, column, aspect, _, _ in found} == {
        (c.id, "outside/-", "served-chain") for c in matrix.classes
    }
    for _, _, _, expected, observed in found:
        assert expected.startswith(f"[0] {leaf} (SHA-256 ") and "[1]" not in expected
        assert observed.startswith(f"[0] {leaf} (SHA-256 ")
        assert "[1] CN=PingLabz Issuing CA,O=PingLabz,C=US (SHA-256 " in observed
    assert matrix.config_source == "the change ticket's configuration"


class AttachedTarget:
    """The device a finished scenario left running, for a second scenario."""

    exclusive = False

    def __init__(self, access: TargetAccess) -> None:
        self.access = access
        self.name = access.name

    def start(self) -> TargetAccess:
        return self.access

    def stop(self) -> None:
        """The device belongs to the first scenario."""


def test_an_audit_step_lists_the_exact_deviations_it_expects(tmp_path: Path) -> None:
    """The scenario step: expectations from a configuration file that binds another
    trustpoint, so the step must report exactly that deviation and nothing else."""
    path = ROOT / "scenarios/08_sni_two_trustpoints.yaml"
    scenario = load_scenario(path)
    wanted = {
        "interface": "outside",
        "sni": None,
        "aspect": "served-certificate",
        "expected": "trustpoint PARTNER-CA-SIGNED",
        "observed": "trustpoint PINGLABZ-CA-SIGNED",
    }
    listed = [{**wanted, "client": c} for c in ("no-certificate", "trusted", "unknown-ca")]

    def audit_scenario(expect: object) -> Scenario:
        audit = {"audit": {"config_file": str(intended), "expect": {"deviations": expect}}}
        return Scenario.model_validate({"name": "audit", "pki": scenario.pki, "steps": [audit]})

    with finished(path) as done:
        with session_to(done.access) as session:
            text = session.exec("show running-config").output
        intended = tmp_path / "intended.txt"
        intended.write_text(
            text.replace(
                "ssl trust-point PINGLABZ-CA-SIGNED outside\n",
                "ssl trust-point PARTNER-CA-SIGNED outside\n",
            )
        )
        target = AttachedTarget(done.access)
        passed = run_scenario(audit_scenario(listed), path, target)
        failed = run_scenario(audit_scenario(0), path, target)
    step = passed.steps[-1]
    assert passed.status == "passed", [(c.name, c.actual, c.evidence) for c in step.checks]
    assert step.facts["oracle_matrix"]["summary"]["deviations"] == 3
    assert [c.name for c in step.checks][-1] == "no other deviations"
    # The same step expecting no deviation fails, naming them.
    check = next(c for c in failed.steps[-1].checks if c.name == "deviations")
    assert not check.passed and check.actual == 3
    assert "served-certificate expected trustpoint PARTNER-CA-SIGNED" in check.evidence

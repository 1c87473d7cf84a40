"""Acceptance: for every shipped scenario's final configuration, the oracle's matrix (rules
applied to the running-config) matches what the probe sees on the virtual ASA."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.oracle import matrix_dict
from tests.harness.oracle.oracle_support import SHIPPED, audit, finished


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_the_matrix_matches_the_wire_after_each_shipped_scenario(path: Path) -> None:
    with finished(path) as done:
        assert done.result.status == "passed", done.result.error or done.result.failed_steps
        matrix = audit(done.access, done.pki)
    data = matrix_dict(matrix)
    found = [
        f"{cell['client']} @ {cell['column']}: {d['aspect']} expected {d['expected']}, "
        f"observed {d['observed']}"
        for cell in data["cells"]
        for d in cell["deviations"]
    ]
    assert not found, "\n".join(found)
    assert data["summary"]["cells"] == len(data["classes"]) * len(data["columns"]) > 0
    probed = [c for c in data["cells"] if c["status"] == "pass"]
    # Every class with a certificate the harness holds is probed on every column.
    assert len(probed) == sum(len(data["columns"]) for c in data["classes"] if c["probed"]), [
        c["note"] for c in data["cells"] if c["status"] == "not-probed"
    ]
    assert {"no-certificate", "unknown-ca"} <= {c["id"] for c in data["classes"]}


def test_the_shipped_scenarios_that_end_with_an_audit() -> None:
    ending = {p.name for p in SHIPPED if "\n  - name: Oracle audit" in p.read_text()}
    assert {
        "04_client_certificate_auth.yaml",
        "06_certificate_map_routing.yaml",
        "08_sni_two_trustpoints.yaml",
        "10_rotation.yaml",
    } <= ending

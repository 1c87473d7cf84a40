"""Acceptance: a replica booted from another virtual ASA's ``show running-config`` (and the
PKCS#12 exports of its trustpoints) serves identical chains and routes identically: the
oracle's matrix on the replica equals the matrix on the original, for every shipped
scenario (the suite's most complex ones included: two identity trustpoints with SNI,
certificate-map routing, rotation). Without the keys, every certificate is a labelled
REPLICA STAND-IN and the oracle, told it audits a replica, still finds no deviation."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.oracle import matrix_dict
from lab.targets.replica import ReplicaTarget
from tests.harness.oracle.oracle_support import (
    EXPORT_PASSPHRASE,
    SHIPPED,
    audit,
    comparable,
    export_configuration,
    finished,
)

PASSPHRASE_ENV = "ORACLE_TEST_P12_PASSPHRASE"


def sidecar(config: Path, files: dict[str, Path]) -> None:
    lines = ["pkcs12:", *(f"  {tp}: {path.name}" for tp, path in files.items())]
    lines.append(f"passphrase_env: {PASSPHRASE_ENV}")
    config.with_name(config.stem + ".replica.yaml").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_a_replica_with_the_keys_audits_exactly_like_the_original(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, EXPORT_PASSPHRASE)
    with finished(path) as done:
        original = audit(done.access, done.pki)
        config, files = export_configuration(done.access, tmp_path)
    sidecar(config, files)
    target = ReplicaTarget(config)
    access = target.start()
    try:
        assert target.plan is not None and not target.plan.stand_in_trustpoints
        replica = audit(access, done.pki)
    finally:
        target.stop()
    assert comparable(replica) == comparable(original)
    assert matrix_dict(replica)["summary"]["deviations"] == 0
    served = {c.observed.served for c in replica.cells if c.observed is not None}
    assert not any("STAND-IN" in (label or "") for label in served)


@pytest.mark.parametrize("name", ["08_sni_two_trustpoints.yaml", "06_certificate_map_routing.yaml"])
def test_without_the_keys_every_certificate_is_a_labelled_stand_in(
    name: str, tmp_path: Path
) -> None:
    with finished(SHIPPED[0].parent / name) as done:
        original = audit(done.access, done.pki)
        config, _ = export_configuration(done.access, tmp_path)
    target = ReplicaTarget(config)
    access = target.start()
    try:
        replica = audit(access, done.pki)
    finally:
        target.stop()
    assert target.plan is not None and target.plan.stand_in_trustpoints
    assert replica.stand_ins and matrix_dict(replica)["summary"]["deviations"] == 0
    for before, after in zip(original.cells, replica.cells, strict=True):
        assert (after.client, after.column) == (before.client, before.column)
        assert before.observed is not None and after.observed is not None
        trustpoint = before.expected.identity.trustpoint
        assert after.expected.identity.served == f"REPLICA STAND-IN for trustpoint {trustpoint}"
        assert after.observed.served == after.expected.identity.served
        assert after.observed.chain_subjects[0] == before.observed.chain_subjects[0]
        assert "REPLICA STAND-IN CA" in after.observed.chain_subjects[1]
        assert "private key" in after.expected.identity.explanation
        # Routing does not depend on the server's key.
        assert after.observed.tunnel_group == before.observed.tunnel_group
        assert after.observed.outcome == before.observed.outcome

"""CHAIN_INCOMPLETE, CHAIN_ORDER, CHAIN_UNTRUSTED."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cryptography import x509

from harness.diagnose import DeviceFacts, DeviceTrustpoint, Diagnosis, diagnose
from harness.pki import CertificateAuthority, LabCA
from tests.harness.diagnose.conftest import MakeEvidence, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _leaf(issuing: CertificateAuthority) -> x509.Certificate:
    return issuing.issue_server(
        "vpn.example.lab", not_before=NOW - dt.timedelta(days=1)
    ).certificate


def _only(diagnoses: Iterable[Diagnosis], code: str) -> Diagnosis:
    [finding] = [d for d in diagnoses if d.code == code]
    return finding


def test_missing_intermediate_with_anchors_is_a_failure_naming_the_issuer(
    pki: Pki, evidence_for: MakeEvidence
) -> None:
    root, issuing = pki
    leaf = _leaf(issuing)
    device = DeviceFacts(trustpoints=(DeviceTrustpoint("PINGLABZ-CA-SIGNED", leaf, ("outside",)),))

    finding = _only(
        diagnose(evidence_for([leaf], anchors=[root.certificate], device=device)),
        "CHAIN_INCOMPLETE",
    )

    assert finding.severity == "failure"
    assert "CN=Diag Issuing" in finding.message and "unknown issuer" in finding.message
    assert finding.fix[0] == "crypto ca authenticate PINGLABZ-CA-SIGNED"
    assert "CN=Diag Issuing" in finding.fix[1]


def test_leaf_only_without_anchors_is_a_warning(pki: Pki, evidence_for: MakeEvidence) -> None:
    _, issuing = pki

    finding = _only(diagnose(evidence_for([_leaf(issuing)])), "CHAIN_INCOMPLETE")

    assert finding.severity == "warning" and finding.fix[0] == "crypto ca authenticate <trustpoint>"


def test_root_not_sent_without_anchors_is_information(pki: Pki, evidence_for: MakeEvidence) -> None:
    _, issuing = pki

    finding = _only(
        diagnose(evidence_for([_leaf(issuing), issuing.certificate])), "CHAIN_INCOMPLETE"
    )

    assert finding.severity == "info" and "CN=Diag Root" in finding.message
    assert finding.fix[:2] == ("crypto ca trustpoint DIAG-ROOT", " enrollment terminal")


def test_wrong_order(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    chain = [_leaf(issuing), root.certificate, issuing.certificate]

    found = diagnose(evidence_for(chain, anchors=[root.certificate]))

    finding = _only(found, "CHAIN_ORDER")
    assert finding.severity == "warning" and "#1 CN=Diag Root does not issue #0" in finding.message
    assert "CHAIN_INCOMPLETE" not in {d.code for d in found}


def test_chain_to_another_root(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    other = LabCA("Client Trusted Root")

    finding = _only(
        diagnose(
            evidence_for(
                [_leaf(issuing), issuing.certificate, root.certificate], anchors=[other.certificate]
            )
        ),
        "CHAIN_UNTRUSTED",
    )

    assert finding.severity == "failure" and "ends at CN=Diag Root" in finding.message

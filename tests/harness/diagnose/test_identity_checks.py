"""FQDN_MISMATCH, SELF_SIGNED, EXPIRING / EXPIRED / NOT_YET_VALID."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from harness.diagnose import diagnose
from harness.pki import CertificateAuthority, LabCA
from tests.harness.diagnose.conftest import MakeEvidence, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _issue(
    issuing: CertificateAuthority, name: str = "vpn.example.lab", **options: object
) -> x509.Certificate:
    options.setdefault("not_before", NOW - dt.timedelta(days=10))
    return issuing.issue_server(name, **options).certificate


def test_healthy_chain_has_no_diagnosis(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    chain = [_issue(issuing), issuing.certificate]

    assert diagnose(evidence_for(chain, anchors=[root.certificate])) == ()


def test_fqdn_mismatch_names_the_evidence(pki: Pki, evidence_for: MakeEvidence) -> None:
    _, issuing = pki
    leaf = _issue(issuing, "old.example.lab")

    [finding] = [
        d for d in diagnose(evidence_for([leaf, issuing.certificate])) if d.code == "FQDN_MISMATCH"
    ]

    assert finding.severity == "failure"
    assert "vpn.example.lab" in finding.message and "DNS:old.example.lab" in finding.message
    assert leaf.fingerprint(hashes.SHA256()).hex()[:16] in finding.message
    assert " fqdn vpn.example.lab" in finding.fix and finding.fix[-1].startswith("ssl trust-point ")


def test_cn_only_match_is_a_warning(pki: Pki, evidence_for: MakeEvidence) -> None:
    _, issuing = pki
    leaf = issuing.issue(
        "CN=vpn.example.lab", sans=[], not_before=NOW - dt.timedelta(days=1)
    ).certificate

    [finding] = [
        d for d in diagnose(evidence_for([leaf, issuing.certificate])) if d.code == "FQDN_MISMATCH"
    ]

    assert finding.severity == "warning" and "only in its CN" in finding.message


def test_self_signed_depends_on_the_profile(evidence_for: MakeEvidence) -> None:
    leaf = LabCA("vpn.example.lab", not_before=NOW - dt.timedelta(days=1)).certificate
    evidence = evidence_for([leaf], hostname=None)

    [lab] = diagnose(evidence, profile="lab")
    [production] = diagnose(evidence, profile="production")

    assert (lab.code, lab.severity) == ("SELF_SIGNED", "warning")
    assert (production.code, production.severity) == ("SELF_SIGNED", "failure")
    assert any(line.startswith("crypto ca enroll") for line in production.fix)


def test_expiry_threshold(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    chain = [_issue(issuing, not_after=NOW + dt.timedelta(days=20, hours=1)), issuing.certificate]
    evidence = evidence_for(chain, anchors=[root.certificate])

    [default] = diagnose(evidence)
    assert (default.code, default.severity) == ("EXPIRING", "warning")
    assert "20 days left" in default.message and "30-day threshold" in default.message
    assert diagnose(evidence, expiry_threshold_days=14) == ()


def test_expired_and_not_yet_valid(pki: Pki, evidence_for: MakeEvidence) -> None:
    _, issuing = pki
    expired = _issue(
        issuing, not_before=NOW - dt.timedelta(days=100), not_after=NOW - dt.timedelta(days=3)
    )
    future = _issue(issuing, not_before=NOW + dt.timedelta(days=2))

    [gone] = [
        d for d in diagnose(evidence_for([expired, issuing.certificate])) if d.code == "EXPIRED"
    ]
    [early] = [
        d
        for d in diagnose(evidence_for([future, issuing.certificate]))
        if d.code == "NOT_YET_VALID"
    ]

    assert gone.severity == "failure" and "3 days ago" in gone.message
    assert early.severity == "failure" and "not valid before 2026-06-03" in early.message


def test_expiring_intermediate_is_reported_with_its_role(evidence_for: MakeEvidence) -> None:
    root = LabCA("Old Root", not_before=NOW - dt.timedelta(days=900))
    issuing = root.intermediate(
        "Short Issuing",
        not_before=NOW - dt.timedelta(days=300),
        not_after=NOW + dt.timedelta(days=5),
    )
    leaf = issuing.issue_server(
        "vpn.example.lab",
        not_before=NOW - dt.timedelta(days=1),
        not_after=NOW + dt.timedelta(days=4),
    ).certificate

    found = [d for d in diagnose(evidence_for([leaf, issuing.certificate])) if d.code == "EXPIRING"]

    assert [("identity" in d.message, "CA certificate #1" in d.message) for d in found] == [
        (True, False),
        (False, True),
    ]
    assert found[1].fix[0] == "crypto ca authenticate <trustpoint>"

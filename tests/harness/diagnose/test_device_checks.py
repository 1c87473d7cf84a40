"""TRUSTPOINT_NOT_BOUND and CLOCK_SKEW need device facts; without them they stay silent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cryptography import x509

from harness.diagnose import DeviceFacts, DeviceTrustpoint, Diagnosis, diagnose
from harness.pki import CertificateAuthority, LabCA
from tests.harness.diagnose.conftest import MakeEvidence, MakeHandshake, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _server(
    issuing: CertificateAuthority, name: str = "vpn.example.lab", **options: object
) -> x509.Certificate:
    options.setdefault("not_before", NOW - dt.timedelta(days=10))
    return issuing.issue_server(name, **options).certificate


def _codes(diagnoses: Iterable[Diagnosis]) -> dict[str, Diagnosis]:
    return {d.code: d for d in diagnoses}


def test_interface_serves_the_old_trustpoint(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    old = _server(issuing, "old.example.lab")
    new = _server(issuing)
    device = DeviceFacts(
        trustpoints=(
            DeviceTrustpoint("TP-OLD", old, interfaces=("outside",)),
            DeviceTrustpoint("TP-2027", new),
        )
    )

    without = _codes(diagnose(evidence_for([old, issuing.certificate], anchors=[root.certificate])))
    found = _codes(
        diagnose(
            evidence_for([old, issuing.certificate], anchors=[root.certificate], device=device)
        )
    )

    assert "TRUSTPOINT_NOT_BOUND" not in without
    finding = found["TRUSTPOINT_NOT_BOUND"]
    assert finding.severity == "failure"
    assert (
        "TP-OLD" in finding.message
        and "TP-2027" in finding.message
        and "bound to no interface" in finding.message
    )
    assert finding.fix == ("ssl trust-point TP-2027 outside", "show ssl")


def test_temporary_certificate_served_while_a_good_trustpoint_exists(
    pki: Pki, evidence_for: MakeEvidence
) -> None:
    _, issuing = pki
    temporary = LabCA("ASA Temporary Self Signed Certificate").certificate
    good = _server(issuing)
    device = DeviceFacts(trustpoints=(DeviceTrustpoint("VPN", good),))

    finding = _codes(diagnose(evidence_for([temporary], device=device, interface="outside")))[
        "TRUSTPOINT_NOT_BOUND"
    ]

    assert (
        "no trustpoint holds" in finding.message and finding.fix[0] == "ssl trust-point VPN outside"
    )


def test_trustpoint_bound_only_for_sni(
    pki: Pki, evidence_for: MakeEvidence, make_handshake: MakeHandshake
) -> None:
    _, issuing = pki
    old, new = _server(issuing, "old.example.lab"), _server(issuing)
    device = DeviceFacts(
        trustpoints=(
            DeviceTrustpoint("TP-OLD", old, interfaces=("outside",)),
            DeviceTrustpoint("TP-NEW", new, domains=("vpn.example.lab",)),
        )
    )
    handshake = make_handshake([old, issuing.certificate], sni=None)

    finding = _codes(
        diagnose(evidence_for([old, issuing.certificate], device=device, handshake=handshake))
    )["TRUSTPOINT_NOT_BOUND"]

    assert finding.severity == "warning" and "no SNI" in finding.message


def test_staged_rotation_is_information(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    current = _server(issuing, not_after=NOW + dt.timedelta(days=200))
    staged = _server(issuing, not_after=NOW + dt.timedelta(days=365))
    device = DeviceFacts(
        trustpoints=(
            DeviceTrustpoint("TP-2026", current, ("outside",)),
            DeviceTrustpoint("TP-2027", staged),
        )
    )

    [finding] = diagnose(
        evidence_for([current, issuing.certificate], anchors=[root.certificate], device=device)
    )

    assert (finding.code, finding.severity) == ("TRUSTPOINT_NOT_BOUND", "info")
    assert "TP-2027" in finding.message


def test_clock_skew_warning_without_certificate_effect(
    pki: Pki, evidence_for: MakeEvidence
) -> None:
    root, issuing = pki
    chain = [_server(issuing), issuing.certificate]
    device = DeviceFacts(clock=NOW + dt.timedelta(minutes=7))

    [finding] = diagnose(evidence_for(chain, anchors=[root.certificate], device=device))

    assert (finding.code, finding.severity) == ("CLOCK_SKEW", "warning")
    assert "7 min ahead of" in finding.message
    assert (
        finding.fix[0].startswith("ntp server")
        and finding.fix[2] == "clock set 12:00:00 Jun 1 2026"
    )


def test_clock_skew_failure_when_a_certificate_is_not_yet_valid_for_the_device(
    pki: Pki, evidence_for: MakeEvidence
) -> None:
    root, issuing = pki
    chain = [_server(issuing), issuing.certificate]
    client = issuing.issue_client(CN="alice", not_before=NOW - dt.timedelta(minutes=5)).certificate
    device = DeviceFacts(clock=NOW - dt.timedelta(hours=2))

    finding = _codes(
        diagnose(
            evidence_for(
                chain, anchors=[root.certificate], device=device, client_certificate=client
            )
        )
    )["CLOCK_SKEW"]

    assert finding.severity == "failure" and "2.0 h behind" in finding.message
    assert (
        "client certificate CN=alice" in finding.message
        and "not yet valid for the device clock" in finding.message
    )


def test_clock_read_earlier_is_compared_at_its_own_moment(
    pki: Pki, evidence_for: MakeEvidence
) -> None:
    root, issuing = pki
    chain = [_server(issuing), issuing.certificate]
    # Read 10 minutes before the probe ran and correct then: no skew.
    device = DeviceFacts(
        clock=NOW - dt.timedelta(minutes=10), clock_read_at=NOW - dt.timedelta(minutes=10)
    )

    assert diagnose(evidence_for(chain, anchors=[root.certificate], device=device)) == ()


def test_small_skew_is_tolerated(pki: Pki, evidence_for: MakeEvidence) -> None:
    root, issuing = pki
    device = DeviceFacts(clock=NOW + dt.timedelta(seconds=30))

    assert (
        diagnose(
            evidence_for(
                [_server(issuing), issuing.certificate], anchors=[root.certificate], device=device
            )
        )
        == ()
    )

"""The handshake and the client-certificate side: HANDSHAKE_FAILED, CLIENT_CERT_REQUIRED,
CLIENT_CERT_REJECTED, CLIENT_CERT_NOT_REQUESTED, CLIENT_CA_NOT_LISTED."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest
from cryptography import x509

from harness.diagnose import Diagnosis, Evidence, Expectations, diagnose
from probes.tls import HandshakeFailure
from tests.harness.diagnose.conftest import MakeAnyConnect, MakeHandshake, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _codes(diagnoses: Iterable[Diagnosis]) -> dict[str, Diagnosis]:
    return {d.code: d for d in diagnoses}


@pytest.fixture
def alice(pki: Pki) -> x509.Certificate:
    _, issuing = pki
    return issuing.issue_client(
        CN="alice", OU="Contractors", not_before=NOW - dt.timedelta(days=1)
    ).certificate


def test_refused_connection(make_handshake: MakeHandshake) -> None:
    failure = HandshakeFailure("refused", "cannot connect to 192.0.2.10:443: Connection refused")
    evidence = Evidence(
        probe_clock=NOW, handshake=make_handshake(ok=False, failure=failure), interface="outside"
    )

    [finding] = diagnose(evidence)

    assert (finding.code, finding.severity) == ("HANDSHAKE_FAILED", "failure")
    assert finding.fix[:2] == ("webvpn", " enable outside")


def test_certificate_required_without_one_is_information(make_handshake: MakeHandshake) -> None:
    failure = HandshakeFailure(
        "client_cert_required", "requires a client certificate", "certificate_required"
    )
    handshake = make_handshake(
        ok=False, failure=failure, client_cert_requested=True, client_ca_names=("CN=Corp CA",)
    )

    [finding] = diagnose(Evidence(probe_clock=NOW, handshake=handshake))

    assert (finding.code, finding.severity) == ("CLIENT_CERT_REQUIRED", "info")
    assert "CN=Corp CA" in finding.message


def test_rejected_client_certificate_names_its_issuer(
    make_handshake: MakeHandshake, alice: x509.Certificate
) -> None:
    failure = HandshakeFailure(
        "unknown_ca", "the server sent the fatal alert unknown_ca (48)", "unknown_ca"
    )
    handshake = make_handshake(
        ok=False, failure=failure, client_cert_requested=True, client_cert_sent=True
    )

    found = _codes(
        diagnose(Evidence(probe_clock=NOW, handshake=handshake, client_certificate=alice))
    )

    finding = found["CLIENT_CERT_REJECTED"]
    assert "HANDSHAKE_FAILED" not in found
    assert "CN=Diag Issuing" in finding.message and "CN=alice" in finding.message
    assert finding.fix[3] == "crypto ca authenticate CLIENT-CA"


def test_certificate_validation_failure_in_anyconnect(
    make_anyconnect: MakeAnyConnect, alice: x509.Certificate
) -> None:
    anyconnect = make_anyconnect(
        outcome="cert-validation-failure",
        error="Certificate Validation Failure",
        tunnel_group="TG-CONTRACTORS",
    )

    found = _codes(
        diagnose(Evidence(probe_clock=NOW, anyconnect=anyconnect, client_certificate=alice))
    )

    assert "AnyConnect: Certificate Validation Failure" in found["CLIENT_CERT_REJECTED"].message


def test_expected_certificate_request_missing(
    make_handshake: MakeHandshake, make_anyconnect: MakeAnyConnect
) -> None:
    evidence = Evidence(
        probe_clock=NOW,
        handshake=make_handshake(client_cert_requested=False),
        anyconnect=make_anyconnect(tunnel_group="TG-CORP"),
        expectations=Expectations(client_cert_request=True),
    )

    finding = _codes(diagnose(evidence))["CLIENT_CERT_NOT_REQUESTED"]

    assert finding.severity == "failure"
    assert "tunnel-group TG-CORP webvpn-attributes" in finding.fix
    assert " authentication certificate" in finding.fix


def test_certificate_asked_in_the_xml_counts_as_a_request(
    make_handshake: MakeHandshake, make_anyconnect: MakeAnyConnect
) -> None:
    evidence = Evidence(
        probe_clock=NOW,
        handshake=make_handshake(client_cert_requested=False),
        anyconnect=make_anyconnect(certificate_round=True),
        expectations=Expectations(client_cert_request=True),
    )

    assert "CLIENT_CERT_NOT_REQUESTED" not in _codes(diagnose(evidence))


def test_unknown_request_state_is_not_a_pass(make_handshake: MakeHandshake) -> None:
    failure = HandshakeFailure(
        "timeout", "the server accepted the connection but sent no TLS answer in time"
    )
    evidence = Evidence(
        probe_clock=NOW,
        handshake=make_handshake(ok=False, failure=failure, client_cert_requested=None),
        expectations=Expectations(client_cert_request=True),
    )

    finding = _codes(diagnose(evidence))["CLIENT_CERT_NOT_REQUESTED"]

    assert "could not tell" in finding.message


def test_issuer_missing_from_the_acceptable_ca_list(
    make_handshake: MakeHandshake, alice: x509.Certificate
) -> None:
    handshake = make_handshake(client_cert_requested=True, client_ca_names=("CN=Other CA",))

    finding = _codes(
        diagnose(Evidence(probe_clock=NOW, handshake=handshake, client_certificate=alice))
    )["CLIENT_CA_NOT_LISTED"]

    assert finding.severity == "warning" and "CN=Diag Issuing" in finding.message


def test_issuer_listed(make_handshake: MakeHandshake, alice: x509.Certificate) -> None:
    handshake = make_handshake(
        client_cert_requested=True, client_ca_names=("CN=Other CA", "CN=Diag Issuing")
    )

    assert diagnose(Evidence(probe_clock=NOW, handshake=handshake, client_certificate=alice)) == ()

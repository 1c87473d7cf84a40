"""WRONG_TUNNEL_GROUP: the expectation against what the AnyConnect exchange disclosed."""

from __future__ import annotations

import datetime as dt

from harness.diagnose import Evidence, Expectations, diagnose
from tests.harness.diagnose.conftest import MakeAnyConnect, MakeHandshake, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
EXPECT = Expectations(tunnel_group="TG-CONTRACTORS")


def test_expected_group_assigned(make_anyconnect: MakeAnyConnect) -> None:
    evidence = Evidence(
        probe_clock=NOW,
        anyconnect=make_anyconnect(tunnel_group="TG-CONTRACTORS"),
        expectations=EXPECT,
    )

    assert diagnose(evidence) == ()


def test_other_group_with_a_certificate_proposes_a_certificate_map(
    pki: Pki, make_anyconnect: MakeAnyConnect, make_handshake: MakeHandshake
) -> None:
    _, issuing = pki
    alice = issuing.issue_client(CN="alice", OU="Contractors").certificate
    anyconnect = make_anyconnect(
        tunnel_group="DefaultWEBVPNGroup", handshake=make_handshake(client_cert_sent=True)
    )

    [finding] = diagnose(
        Evidence(
            probe_clock=NOW, anyconnect=anyconnect, client_certificate=alice, expectations=EXPECT
        )
    )

    assert (finding.code, finding.severity) == ("WRONG_TUNNEL_GROUP", "failure")
    assert "DefaultWEBVPNGroup" in finding.message and "TG-CONTRACTORS" in finding.message
    assert finding.fix == (
        "crypto ca certificate map CERT-MAP 10",
        " subject-name attr ou eq contractors",
        " exit",
        "webvpn",
        " certificate-group-map CERT-MAP 10 TG-CONTRACTORS",
    )


def test_other_group_by_group_url(make_anyconnect: MakeAnyConnect) -> None:
    anyconnect = make_anyconnect(
        tunnel_group="TG-CORP", group_alias="CORP", request_path="/contractors"
    )

    [finding] = diagnose(
        Evidence(
            probe_clock=NOW, hostname="vpn.example.lab", anyconnect=anyconnect, expectations=EXPECT
        )
    )

    assert "(alias CORP)" in finding.message
    assert finding.fix == (
        "tunnel-group TG-CONTRACTORS webvpn-attributes",
        " group-url https://vpn.example.lab/contractors enable",
    )


def test_group_not_disclosed_is_not_a_pass(make_anyconnect: MakeAnyConnect) -> None:
    anyconnect = make_anyconnect(
        outcome="complete", tunnel_group=None, auth_methods=("certificate",)
    )

    [finding] = diagnose(Evidence(probe_clock=NOW, anyconnect=anyconnect, expectations=EXPECT))

    assert finding.severity == "failure" and "did not disclose" in finding.message
    assert finding.fix == ("show vpn-sessiondb anyconnect",)


def test_expectation_without_an_anyconnect_exchange() -> None:
    [finding] = diagnose(Evidence(probe_clock=NOW, expectations=EXPECT))

    assert finding.code == "WRONG_TUNNEL_GROUP" and "no AnyConnect exchange" in finding.message

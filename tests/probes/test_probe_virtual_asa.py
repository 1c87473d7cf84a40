"""The probe and the diagnoses against the virtual ASA, configured over SSH as a user would.

Device facts (trustpoints and their bindings) are read from the emulator's model; each
diagnosis's proposed fix is then applied through the same SSH session and the probe run
again, so a fix that does not work on the device fails the test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest

from harness.device import DeviceSession
from harness.device.session import CONFIG_MODE
from harness.diagnose import (
    ConfigLine,
    DeviceFacts,
    DeviceTrustpoint,
    Diagnosis,
    Evidence,
    Expectations,
    diagnose,
)
from harness.pki import LabCA
from lab.emulator.embedded import EmbeddedASA
from probes.anyconnect import discover
from probes.chain import analyse
from probes.identity import ClientIdentity
from probes.tls import handshake
from tests.conftest import LabPki

HOST = "vpn.example.lab"


def self_signed_trustpoint(name: str, fqdn: str) -> list[str]:
    return [
        f"crypto key generate rsa label {name}-KEY modulus 2048 noconfirm",
        f"crypto ca trustpoint {name}",
        " enrollment self",
        f" fqdn {fqdn}",
        f" subject-name CN={fqdn},O=PingLabz,C=US",
        f" keypair {name}-KEY",
        " exit",
        f"crypto ca enroll {name} noconfirm",
    ]


def configure(session: DeviceSession, lines: list[str]) -> None:
    outputs = session.configure(lines)
    failed = [o for o in outputs if o.failed]
    assert not failed, [(o.command, o.output) for o in failed]


def device_facts(virtual_asa: EmbeddedASA) -> DeviceFacts:
    def read() -> DeviceFacts:
        device = virtual_asa.device()
        ssl = device.ssl
        return DeviceFacts(
            clock=device.clock.now_utc(),
            trustpoints=tuple(
                DeviceTrustpoint(
                    name=name,
                    identity_certificate=tp.identity_certificate,
                    interfaces=tuple(n for n, t in ssl.interface_trustpoints.items() if t == name),
                    domains=tuple(d for d, (t, _) in ssl.domain_trustpoints.items() if t == name),
                    ca_certificates=tuple(tp.ca_certificates),
                )
                for name, tp in device.trustpoints.items()
            ),
        )

    return virtual_asa.call(read)


def probe_evidence(virtual_asa: EmbeddedASA, **extra: Any) -> Evidence:
    host, port = virtual_asa.interface_address("outside")
    clock = dt.datetime.now(dt.UTC)
    result = handshake(host, port, sni=HOST)
    return Evidence(
        probe_clock=clock,
        hostname=HOST,
        handshake=result,
        chain=analyse(result.served_chain, hostname=HOST, at=clock),
        interface="outside",
        device=device_facts(virtual_asa),
        **extra,
    )


def codes(diagnoses: Iterable[Diagnosis]) -> set[str]:
    return {d.code for d in diagnoses}


def test_temporary_certificate_before_any_trustpoint(virtual_asa: EmbeddedASA) -> None:
    host, port = virtual_asa.interface_address("outside")

    result = handshake(host, port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST)

    assert result.ok and len(result.served_chain) == 1
    assert report.leaf is not None
    assert report.leaf.common_names == ("ASA Temporary Self Signed Certificate",)
    assert report.self_signed is True and report.leaf_matches_hostname is False


def test_bound_self_signed_trustpoint_is_served(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession
) -> None:
    configure(
        asa_session, [*self_signed_trustpoint("VPN-SELF", HOST), "ssl trust-point VPN-SELF outside"]
    )

    evidence = probe_evidence(virtual_asa)
    assert evidence.device is not None and evidence.handshake is not None
    device_certificate = next(t for t in evidence.device.trustpoints if t.name == "VPN-SELF")

    assert evidence.handshake.served_chain == (device_certificate.identity_certificate,)
    assert evidence.chain is not None
    assert evidence.chain.leaf_matches_hostname is True and evidence.chain.self_signed is True
    lab = diagnose(evidence, profile="lab")
    production = diagnose(evidence, profile="production")
    assert [(d.code, d.severity) for d in lab] == [("SELF_SIGNED", "warning")]
    assert [(d.code, d.severity) for d in production] == [("SELF_SIGNED", "failure")]


def test_trustpoint_not_bound_and_its_fix(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession
) -> None:
    configure(
        asa_session,
        [
            *self_signed_trustpoint("TP-OLD", "old.example.lab"),
            "ssl trust-point TP-OLD outside",
            *self_signed_trustpoint("TP-NEW", HOST),
        ],
    )

    found = diagnose(probe_evidence(virtual_asa))
    unbound = next(d for d in found if d.code == "TRUSTPOINT_NOT_BOUND")

    assert unbound.severity == "failure"
    assert "TP-OLD" in unbound.message and "TP-NEW" in unbound.message
    assert unbound.fix[0] == "ssl trust-point TP-NEW outside"
    assert "FQDN_MISMATCH" in codes(found)

    configure(asa_session, [line for line in unbound.fix if not line.startswith("show")])
    after = diagnose(probe_evidence(virtual_asa))

    assert not codes(after) & {"TRUSTPOINT_NOT_BOUND", "FQDN_MISMATCH"}


def test_article_form_authentication_under_general_attributes(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession
) -> None:
    configure(asa_session, ["tunnel-group SSL_PROFILE type remote-access"])
    parent = "tunnel-group SSL_PROFILE general-attributes"
    outputs = asa_session.configure([parent, " authentication certificate"], stop_on_error=False)
    line = ConfigLine(outputs[1].command, outputs[1].output, parent, outputs[1].failed)

    evidence = Evidence(
        probe_clock=dt.datetime.now(dt.UTC), device=DeviceFacts(config_lines=(line,))
    )
    [finding] = diagnose(evidence)

    assert line.rejected and "Invalid input" in line.answer
    assert (finding.code, finding.severity) == ("ARTICLE_FORM", "failure")
    assert finding.fix == (
        "tunnel-group SSL_PROFILE webvpn-attributes",
        " authentication certificate",
    )
    configure(asa_session, [*finding.fix, " exit"])  # the fix is accepted by the device


@pytest.fixture
def contractor(lab_ca: LabPki) -> ClientIdentity:
    issued = lab_ca.issuing.issue_client(CN="alice", OU="Contractors")
    return ClientIdentity.from_objects(issued.certificate, issued.private_key, issued.chain)


def test_anyconnect_default_group(virtual_asa: EmbeddedASA) -> None:
    host, port = virtual_asa.interface_address("outside")

    result = discover(host, port, sni=HOST)

    assert result.outcome == "auth-request", result
    assert result.tunnel_group == "DefaultWEBVPNGroup"
    assert result.auth_methods == ("password",) and result.form_fields == ("username", "password")
    assert result.session_token_present is False and result.logged_out is None


def test_article_tunnel_group_map_does_not_route_anyconnect(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession, lab_ca: LabPki, contractor: ClientIdentity
) -> None:
    """The article's Step 3 routing, then the fix the diagnosis proposes."""
    configure(asa_session, ["crypto ca trustpoint CLIENT-CA", " enrollment terminal", " exit"])
    authenticate = asa_session.send(
        "crypto ca authenticate CLIENT-CA",
        mode=CONFIG_MODE,
        paste=lab_ca.issuing.identity.cert_pem.decode().strip().splitlines(),
        answers=[("accept this certificate", "yes")],
    )
    assert not authenticate.failed, authenticate.output
    article_lines = [
        "tunnel-group-map enable rules",
        "tunnel-group-map CONTRACTOR-MAP 10 SSL_PROFILE",
    ]
    configure(
        asa_session,
        [
            "tunnel-group SSL_PROFILE type remote-access",
            "tunnel-group SSL_PROFILE webvpn-attributes",
            " authentication aaa certificate",
            " exit",
            "crypto ca certificate map CONTRACTOR-MAP 10",
            " subject-name attr ou eq Contractors",
            " exit",
            *article_lines,
        ],
    )
    host, port = virtual_asa.interface_address("outside")
    facts = DeviceFacts(config_lines=tuple(ConfigLine(line) for line in article_lines))

    def evidence() -> Evidence:
        return Evidence(
            probe_clock=dt.datetime.now(dt.UTC),
            hostname=HOST,
            anyconnect=discover(host, port, sni=HOST, client_identity=contractor),
            client_certificate=contractor.certificate,
            device=facts,
            expectations=Expectations(tunnel_group="SSL_PROFILE", client_cert_request=True),
        )

    before = evidence()
    found = {d.code: d for d in diagnose(before)}

    assert before.anyconnect is not None
    assert before.anyconnect.tunnel_group == "DefaultWEBVPNGroup"
    assert found["WRONG_TUNNEL_GROUP"].severity == "failure"
    assert found["ARTICLE_FORM"].severity == "warning"
    assert found["ARTICLE_FORM"].fix == (
        "webvpn",
        " certificate-group-map CONTRACTOR-MAP 10 SSL_PROFILE",
    )
    assert found["CLIENT_CERT_NOT_REQUESTED"].severity == "failure"

    configure(asa_session, [*found["ARTICLE_FORM"].fix, " exit"])
    after = evidence()

    assert after.anyconnect is not None and after.anyconnect.handshake is not None
    assert after.anyconnect.tunnel_group == "SSL_PROFILE"
    assert after.anyconnect.handshake.client_cert_sent is True
    assert after.anyconnect.handshake.client_ca_names == (
        lab_ca.issuing.certificate.subject.rfc4514_string(),
    )
    remaining = codes(diagnose(after))
    assert "WRONG_TUNNEL_GROUP" not in remaining and "CLIENT_CERT_NOT_REQUESTED" not in remaining


def test_certificate_not_trusted_by_the_device(
    virtual_asa: EmbeddedASA, asa_session: DeviceSession
) -> None:
    """A client certificate from a CA the ASA has no trustpoint for, on a certificate group."""
    host, port = virtual_asa.interface_address("outside")
    configure(
        asa_session,
        [
            "tunnel-group SSL_PROFILE type remote-access",
            "tunnel-group SSL_PROFILE webvpn-attributes",
            " authentication certificate",
            f" group-url https://{HOST}:{port}/ssl enable",
            " exit",
        ],
    )
    stranger = LabCA("Stranger Root").issue_client(CN="mallory")
    identity = ClientIdentity.from_objects(stranger.certificate, stranger.private_key)

    result = discover(host, port, sni=HOST, client_identity=identity, group_url_path="/ssl")
    found = diagnose(
        Evidence(
            probe_clock=dt.datetime.now(dt.UTC),
            hostname=HOST,
            anyconnect=result,
            client_certificate=identity.certificate,
        )
    )

    assert result.outcome == "cert-validation-failure", result
    assert result.tunnel_group == "SSL_PROFILE"
    [rejected] = [d for d in found if d.code == "CLIENT_CERT_REJECTED"]
    assert "CN=Stranger Root" in rejected.message
    assert rejected.fix[:2] == ("crypto ca trustpoint CLIENT-CA", " enrollment terminal")


@pytest.fixture
def certificate_group(virtual_asa: EmbeddedASA, asa_session: DeviceSession, lab_ca: LabPki) -> str:
    """A certificate-only tunnel-group reached by group-url /ssl; returns the path."""
    _, port = virtual_asa.interface_address("outside")
    configure(asa_session, ["crypto ca trustpoint CLIENT-CA", " enrollment terminal", " exit"])
    authenticate = asa_session.send(
        "crypto ca authenticate CLIENT-CA",
        mode=CONFIG_MODE,
        paste=lab_ca.issuing.identity.cert_pem.decode().strip().splitlines(),
        answers=[("accept this certificate", "yes")],
    )
    assert not authenticate.failed, authenticate.output
    configure(
        asa_session,
        [
            "tunnel-group SSL_PROFILE type remote-access",
            "tunnel-group SSL_PROFILE webvpn-attributes",
            " authentication certificate",
            f" group-url https://{HOST}:{port}/ssl enable",
            " exit",
        ],
    )
    return "/ssl"


def test_certificate_login_completes_and_logs_out(
    virtual_asa: EmbeddedASA,
    asa_session: DeviceSession,
    certificate_group: str,
    contractor: ClientIdentity,
) -> None:
    host, port = virtual_asa.interface_address("outside")

    ended = discover(
        host, port, sni=HOST, client_identity=contractor, group_url_path=certificate_group
    )
    after_logout = asa_session.exec("show vpn-sessiondb anyconnect").output
    kept = discover(
        host,
        port,
        sni=HOST,
        client_identity=contractor,
        group_url_path=certificate_group,
        logout=False,
    )
    after_kept = asa_session.exec("show vpn-sessiondb anyconnect").output

    assert ended.outcome == "complete" and ended.auth_methods == ("certificate",)
    assert ended.session_token_present is True and ended.logged_out is True
    assert "no active sessions" in after_logout
    assert kept.logged_out is None and "alice" in after_kept  # the session would have stayed


def test_certificate_group_without_a_certificate(
    virtual_asa: EmbeddedASA, certificate_group: str
) -> None:
    host, port = virtual_asa.interface_address("outside")

    result = discover(host, port, sni=HOST, group_url_path=certificate_group)

    assert result.outcome == "cert-validation-failure" and result.certificate_round is True
    assert result.tunnel_group == "SSL_PROFILE" and result.error == "Certificate Validation Failure"

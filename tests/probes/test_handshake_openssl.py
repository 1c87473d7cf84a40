"""The probe against `openssl s_server`: what it reports must be what OpenSSL served."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harness.pki import IssuedIdentity, LabCA
from probes.chain import analyse
from probes.identity import ClientIdentity
from probes.tls import handshake
from tests.conftest import LabPki
from tests.probes.conftest import StartServer

HOST = "vpn.example.lab"
NOW = dt.datetime.now(dt.UTC)
VERSIONS = [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")]


@pytest.fixture(scope="module")
def server_identity(lab_ca: LabPki) -> IssuedIdentity:
    return lab_ca.issuing.issue_server(HOST)


@pytest.fixture(scope="module")
def alice(lab_ca: LabPki) -> ClientIdentity:
    issued = lab_ca.issuing.issue_client(CN="alice", OU="Contractors")
    return ClientIdentity.from_objects(issued.certificate, issued.private_key, issued.chain)


@pytest.fixture(scope="module")
def alice_ec(lab_ca: LabPki) -> ClientIdentity:
    issued = lab_ca.issuing.issue_client(CN="alice-ec", key="ec256")
    return ClientIdentity.from_objects(issued.certificate, issued.private_key, issued.chain)


def test_leaf_and_intermediate_complete_and_trusted(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, chain=[lab_ca.issuing.certificate])

    result = handshake(server.host, server.port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST, trust_anchors=[lab_ca.root.certificate])

    assert result.ok and result.failure is None
    assert result.served_chain == (server_identity.certificate, lab_ca.issuing.certificate)
    assert result.peer == f"127.0.0.1:{server.port}"
    assert result.client_cert_requested is False and result.client_ca_names == ()
    assert (report.order_ok, report.each_signed_by_next, report.complete) == (True, True, True)
    assert report.trusted is True and report.missing_issuer is None
    assert report.ends_at == lab_ca.root.certificate.subject.rfc4514_string()
    assert report.leaf_matches_hostname is True and report.hostname_match_source == "san"


def test_leaf_only_names_the_missing_issuer(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, chain=[])

    result = handshake(server.host, server.port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST, trust_anchors=[lab_ca.root.certificate])

    assert result.served_chain == (server_identity.certificate,)
    assert report.complete is False and report.trusted is False
    assert report.missing_issuer == lab_ca.issuing.certificate.subject.rfc4514_string()
    assert report.verification_error


def test_full_chain_with_root_is_complete_without_anchors(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity)  # leaf, issuing CA, root

    report = analyse(handshake(server.host, server.port).served_chain, hostname=HOST)

    assert len(report.certificates) == 3 and report.certificates[2].self_signed
    assert report.complete is True and report.trusted is None and report.order_ok is True


def test_wrong_order_is_reported_but_the_path_is_still_found(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, chain=[lab_ca.root.certificate, lab_ca.issuing.certificate])

    result = handshake(server.host, server.port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST, trust_anchors=[lab_ca.root.certificate])

    assert [c.subject for c in report.certificates][1:] == [
        lab_ca.root.certificate.subject.rfc4514_string(),
        lab_ca.issuing.certificate.subject.rfc4514_string(),
    ]
    assert report.order_ok is False and report.each_signed_by_next is False
    assert report.complete is True


def test_missing_intermediate(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, chain=[lab_ca.root.certificate])

    result = handshake(server.host, server.port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST, trust_anchors=[lab_ca.root.certificate])

    assert report.complete is False and report.trusted is False
    assert report.missing_issuer == lab_ca.issuing.certificate.subject.rfc4514_string()


def test_expired_certificate(s_server: StartServer, lab_ca: LabPki) -> None:
    identity = lab_ca.issuing.issue_server(
        HOST, not_before=NOW - dt.timedelta(days=400), not_after=NOW - dt.timedelta(days=10)
    )
    server = s_server(identity)

    result = handshake(server.host, server.port, sni=HOST)
    report = analyse(result.served_chain, hostname=HOST, trust_anchors=[lab_ca.root.certificate])

    assert result.ok  # the probe observes; judging is analyse's job
    assert report.expired is True and report.valid_at is False and report.not_yet_valid is False
    assert report.days_left in (-10, -11)
    assert report.trusted is False


def test_not_yet_valid_certificate(s_server: StartServer, lab_ca: LabPki) -> None:
    identity = lab_ca.issuing.issue_server(
        HOST, not_before=NOW + dt.timedelta(days=3), not_after=NOW + dt.timedelta(days=300)
    )
    server = s_server(identity)

    report = analyse(handshake(server.host, server.port).served_chain, hostname=HOST)

    assert report.not_yet_valid is True and report.valid_at is False and report.expired is False


def test_hostname_mismatch(s_server: StartServer, server_identity: IssuedIdentity) -> None:
    server = s_server(server_identity)

    report = analyse(handshake(server.host, server.port).served_chain, hostname="other.example.lab")

    assert report.leaf_matches_hostname is False
    assert report.hostname_match_source is None and report.cn_fallback_match is None


@pytest.mark.parametrize(
    ("hostname", "matches"),
    [
        ("vpn.example.lab", True),
        ("partner.example.lab", True),
        ("example.lab", False),
        ("a.b.example.lab", False),
    ],
)
def test_wildcard_certificate(
    s_server: StartServer, lab_ca: LabPki, hostname: str, matches: bool
) -> None:
    server = s_server(lab_ca.issuing.issue_server("*.example.lab"))

    report = analyse(handshake(server.host, server.port).served_chain, hostname=hostname)

    assert report.leaf_matches_hostname is matches


def test_san_only_certificate_matches_by_san(s_server: StartServer, lab_ca: LabPki) -> None:
    server = s_server(lab_ca.issuing.issue("O=PingLabz", sans=[HOST]))

    report = analyse(handshake(server.host, server.port).served_chain, hostname=HOST)

    assert report.leaf is not None
    assert report.leaf.common_names == ()
    assert report.leaf_matches_hostname is True and report.hostname_match_source == "san"


def test_cn_only_certificate_is_a_separate_fallback(s_server: StartServer, lab_ca: LabPki) -> None:
    server = s_server(lab_ca.issuing.issue(f"CN={HOST}", sans=[]))

    report = analyse(handshake(server.host, server.port).served_chain, hostname=HOST)

    assert report.leaf_matches_hostname is False
    assert report.cn_fallback_match is True and report.hostname_match_source == "cn"


@pytest.mark.parametrize(
    ("key", "key_type", "size"),
    [("ec256", "EC", 256), ("ec384", "EC", 384), ("rsa3072", "RSA", 3072)],
)
def test_key_types(
    s_server: StartServer, lab_ca: LabPki, key: str, key_type: str, size: int
) -> None:
    server = s_server(lab_ca.issuing.issue_server(HOST, key=key))

    result = handshake(server.host, server.port)
    report = analyse(result.served_chain, hostname=HOST)

    assert result.ok
    assert (report.key_type, report.key_size) == (key_type, size)


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_negotiated_version_and_cipher(
    s_server: StartServer, server_identity: IssuedIdentity, flag: str, version: str
) -> None:
    server = s_server(server_identity, flag)

    result = handshake(server.host, server.port)

    assert result.tls_version == version and result.cipher
    assert result.timings.handshake_ms is not None
    assert result.timings.total_ms >= result.timings.handshake_ms > 0


def test_version_the_server_does_not_speak_is_an_alert(
    s_server: StartServer, server_identity: IssuedIdentity
) -> None:
    server = s_server(server_identity, "-tls1_3")

    result = handshake(server.host, server.port, tls_versions=("TLSv1.2",))

    assert not result.ok
    assert result.failure is not None
    assert result.failure.kind == "alert" and result.failure.alert == "protocol_version"


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_required_client_certificate_without_one(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity, flag: str, version: str
) -> None:
    server = s_server(
        server_identity, flag, "-Verify", "2", client_cas=[lab_ca.issuing.certificate]
    )

    result = handshake(server.host, server.port, sni=HOST)

    assert not result.ok and result.tls_version == version
    assert result.failure is not None
    assert result.failure.kind == "client_cert_required"
    assert result.failure.alert == (
        "certificate_required" if version == "TLSv1.3" else "handshake_failure"
    )
    assert result.client_cert_requested is True and result.client_cert_sent is False
    assert result.client_ca_names == (lab_ca.issuing.certificate.subject.rfc4514_string(),)
    assert result.served_chain[0] == server_identity.certificate


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_required_client_certificate_presented(
    s_server: StartServer,
    lab_ca: LabPki,
    server_identity: IssuedIdentity,
    alice: ClientIdentity,
    flag: str,
    version: str,
) -> None:
    server = s_server(
        server_identity, flag, "-Verify", "2", "-verify_return_error",
        client_cas=[lab_ca.issuing.certificate, lab_ca.root.certificate],
    )  # fmt: skip

    result = handshake(server.host, server.port, client_identity=alice)

    assert result.ok, result.failure
    assert result.client_cert_requested is True and result.client_cert_sent is True
    assert result.client_ca_names == (
        lab_ca.issuing.certificate.subject.rfc4514_string(),
        lab_ca.root.certificate.subject.rfc4514_string(),
    )


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_optional_client_certificate(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity, flag: str, version: str
) -> None:
    server = s_server(
        server_identity, flag, "-verify", "2", client_cas=[lab_ca.issuing.certificate]
    )

    result = handshake(server.host, server.port)

    assert result.ok
    assert result.client_cert_requested is True and result.client_cert_sent is False
    assert result.client_ca_names == (lab_ca.issuing.certificate.subject.rfc4514_string(),)


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_client_certificate_from_an_untrusted_ca_is_rejected(
    s_server: StartServer,
    server_identity: IssuedIdentity,
    alice: ClientIdentity,
    flag: str,
    version: str,
) -> None:
    other = LabCA("Some Other Root")
    server = s_server(
        server_identity,
        flag,
        "-Verify",
        "2",
        "-verify_return_error",
        client_cas=[other.certificate],
    )

    result = handshake(server.host, server.port, client_identity=alice)

    # TLS 1.3: the alert arrives after the client's Finished; the probe must still see it.
    assert not result.ok and result.tls_version == version
    assert result.failure is not None
    assert result.failure.kind == "unknown_ca" and result.failure.alert == "unknown_ca"
    assert result.client_cert_sent is True
    assert result.client_ca_names == (other.certificate.subject.rfc4514_string(),)


@pytest.mark.parametrize(("flag", "version"), VERSIONS)
def test_client_sigalgs_decide_whether_the_certificate_can_be_sent(
    s_server: StartServer,
    lab_ca: LabPki,
    server_identity: IssuedIdentity,
    alice: ClientIdentity,
    alice_ec: ClientIdentity,
    flag: str,
    version: str,
) -> None:
    server = s_server(
        server_identity, flag, "-Verify", "2", "-client_sigalgs", "ECDSA+SHA256",
        client_cas=[lab_ca.issuing.certificate],
    )  # fmt: skip

    with_rsa = handshake(server.host, server.port, client_identity=alice)
    with_ec = handshake(server.host, server.port, client_identity=alice_ec)

    assert with_rsa.client_cert_requested is True and with_rsa.client_cert_sent is False
    assert with_rsa.failure is not None and with_rsa.failure.kind == "client_cert_required"
    assert with_ec.ok and with_ec.client_cert_sent is True


def test_sni_selects_the_certificate(
    s_server: StartServer, lab_ca: LabPki, server_identity: IssuedIdentity, tmp_path: Path
) -> None:
    partner = lab_ca.issuing.issue_server("partner.example.lab")
    (tmp_path / "partner.pem").write_bytes(partner.cert_pem)
    (tmp_path / "partner.key").write_bytes(partner.key_pem())
    server = s_server(
        server_identity, "-servername", "partner.example.lab",
        "-cert2", str(tmp_path / "partner.pem"), "-key2", str(tmp_path / "partner.key"),
    )  # fmt: skip

    default = handshake(server.host, server.port, sni=HOST)
    by_sni = handshake(server.host, server.port, sni="partner.example.lab")

    assert default.served_chain[0] == server_identity.certificate
    assert by_sni.served_chain[0] == partner.certificate and by_sni.sni == "partner.example.lab"

"""probes.chain.analyse on certificates built in memory (no network)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from probes.chain import analyse

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def pki() -> tuple[LabCA, CertificateAuthority]:
    root = LabCA("Chain Root", not_before=NOW - dt.timedelta(days=30))
    issuing = root.intermediate("Chain Issuing", not_before=NOW - dt.timedelta(days=20))
    return root, issuing


def _leaf(issuing: CertificateAuthority, **options: object) -> IssuedIdentity:
    options.setdefault("not_before", NOW - dt.timedelta(days=1))
    return issuing.issue_server("vpn.example.lab", **options)


def test_empty_chain_determines_nothing() -> None:
    report = analyse((), hostname="vpn.example.lab", at=NOW)

    assert report.leaf is None
    assert (
        report.complete is None and report.trusted is None and report.leaf_matches_hostname is None
    )


def test_dates_are_judged_at_the_time_given(pki: tuple[LabCA, CertificateAuthority]) -> None:
    root, issuing = pki
    leaf = _leaf(issuing, not_after=NOW + dt.timedelta(days=10, hours=12))
    chain = [leaf.certificate, issuing.certificate]

    now = analyse(chain, hostname=None, trust_anchors=[root.certificate], at=NOW)
    later = analyse(
        chain, hostname=None, trust_anchors=[root.certificate], at=NOW + dt.timedelta(days=11)
    )

    assert (now.days_left, now.valid_at, now.trusted) == (10, True, True)
    assert (later.days_left, later.expired, later.trusted) == (-1, True, False)
    assert later.verification_error is not None
    assert "not valid at validation time" in later.verification_error


def test_naive_time_is_taken_as_utc(pki: tuple[LabCA, CertificateAuthority]) -> None:
    _, issuing = pki
    leaf = _leaf(issuing, not_after=NOW + dt.timedelta(days=5))

    report = analyse([leaf.certificate], hostname=None, at=NOW.replace(tzinfo=None))

    assert report.at == NOW and report.days_left == 5


def test_anchor_other_than_the_root_the_chain_ends_in(
    pki: tuple[LabCA, CertificateAuthority],
) -> None:
    root, issuing = pki
    other = LabCA("Unrelated Root")
    chain = [_leaf(issuing).certificate, issuing.certificate, root.certificate]

    report = analyse(chain, hostname=None, trust_anchors=[other.certificate], at=NOW)

    assert report.complete is True and report.ends_at == root.certificate.subject.rfc4514_string()
    assert report.trusted is False and report.verification_error


def test_self_signed_leaf_pinned_as_anchor_is_trusted() -> None:
    pinned = LabCA("vpn.example.lab", not_before=NOW - dt.timedelta(days=1))

    report = analyse(
        [pinned.certificate], hostname=None, trust_anchors=[pinned.certificate], at=NOW
    )

    assert report.self_signed is True and report.complete is True and report.trusted is True


def test_self_issued_but_not_self_signed_is_not_self_signed(
    pki: tuple[LabCA, CertificateAuthority],
) -> None:
    _, issuing = pki
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name.from_rfc4514_string("CN=Same Name")
    forged = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=1))
        .sign(issuing.private_key, hashes.SHA256())  # signed by someone else
    )

    report = analyse([forged], hostname=None, at=NOW)

    assert report.self_signed is False and report.complete is False
    assert report.missing_issuer == "CN=Same Name"


def test_eku(pki: tuple[LabCA, CertificateAuthority]) -> None:
    _, issuing = pki
    server = _leaf(issuing)
    client_only = issuing.issue("CN=x", eku=("clientAuth",), not_before=NOW - dt.timedelta(days=1))
    no_eku = issuing.issue("CN=x", eku=(), not_before=NOW - dt.timedelta(days=1))

    assert analyse([server.certificate], hostname=None, at=NOW).eku_server_auth is True
    assert analyse([client_only.certificate], hostname=None, at=NOW).eku_server_auth is False
    absent = analyse([no_eku.certificate], hostname=None, at=NOW)
    assert absent.leaf is not None
    assert absent.eku_server_auth is None and absent.leaf.has_eku is False


def test_ip_hostname_matches_ip_san_only(pki: tuple[LabCA, CertificateAuthority]) -> None:
    _, issuing = pki
    by_ip = issuing.issue(
        "CN=192.0.2.10", sans=["192.0.2.10"], not_before=NOW - dt.timedelta(days=1)
    )
    cn_only = issuing.issue("CN=192.0.2.10", sans=[], not_before=NOW - dt.timedelta(days=1))

    assert analyse([by_ip.certificate], hostname="192.0.2.10", at=NOW).leaf_matches_hostname is True
    assert (
        analyse([by_ip.certificate], hostname="192.0.2.11", at=NOW).leaf_matches_hostname is False
    )
    report = analyse([cn_only.certificate], hostname="192.0.2.10", at=NOW)
    assert report.leaf_matches_hostname is False and report.cn_fallback_match is None


def test_summary_fields(pki: tuple[LabCA, CertificateAuthority]) -> None:
    _, issuing = pki
    leaf = _leaf(issuing, key="ec256", sans=["vpn.example.lab", "192.0.2.10"])

    summary = analyse([leaf.certificate], hostname=None, at=NOW).leaf

    assert summary is not None
    assert summary.sans == ("DNS:vpn.example.lab", "IP:192.0.2.10")
    assert summary.key_type == "EC" and summary.key_size == 256
    assert summary.signature_algorithm == "sha256WithRSAEncryption"  # signed by the RSA CA
    assert summary.is_ca is False and summary.eku == ("serverAuth",)
    assert len(summary.sha256) == 64 and int(summary.serial, 16) == leaf.certificate.serial_number

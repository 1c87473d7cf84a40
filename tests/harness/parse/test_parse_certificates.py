"""show crypto ca certificates: both profiles, every documented variant, and garbage."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from harness.parse import (
    CertificateRecord,
    DeviceTime,
    ParseError,
    ZoneOffsets,
    parse_certificates,
)
from harness.parse.certificates import normalise_signature
from tests.harness.parse.parse_fixtures import golden, golden_names, with_terminal_noise

UTC = dt.UTC
PL = golden("show_crypto_ca_certificates__9.23.txt").text


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_certificates(text)
    assert caught.value.command == "show crypto ca certificates"
    return caught.value


def certificates(name: str, zones: ZoneOffsets | None = None) -> list[CertificateRecord]:
    return parse_certificates(golden(name).text, zones=zones)


def test_923_self_signed_pinglabz() -> None:
    (record,) = certificates("show_crypto_ca_certificates__9.23.txt")
    assert record.kind == "identity"
    assert record.status == "Available"
    assert record.serial == "5e2b91c7"
    assert record.usage == "General Purpose"
    assert (record.public_key_type, record.public_key_bits) == ("RSA", 2048)
    assert record.signature_algorithm == "RSA-SHA256"
    assert record.signature == "rsa-sha256"
    expected_name = (
        ("unstructuredName", "vpn.example.lab"),
        ("C", "US"),
        ("O", "Example Lab"),
        ("CN", "vpn.example.lab"),
    )
    assert record.subject.printed == expected_name
    assert record.issuer.printed == expected_name
    assert dict(record.subject.normalised) == {
        "unstructuredName": ("vpn.example.lab",),
        "C": ("US",),
        "O": ("Example Lab",),
        "CN": ("vpn.example.lab",),
    }
    assert record.valid_from.moment == dt.datetime(2026, 5, 10, 0, 37, 39, tzinfo=UTC)
    assert record.valid_to.moment == dt.datetime(2036, 5, 7, 0, 37, 39, tzinfo=UTC)
    assert record.valid_from.zone == "UTC"
    assert record.validity_days == 3650
    assert record.storage == "config"
    assert record.associated_trustpoints == ("TP-SELF",)
    assert record.self_signed
    assert record.crl_distribution_points == () and record.ocsp_urls == ()


def test_legacy_identity_then_ca() -> None:
    identity, ca = certificates("show_crypto_ca_certificates__legacy.txt")
    assert (identity.kind, ca.kind) == ("identity", "ca")
    assert identity.serial == "1100000014a3c5e7f9b1d3f5a7c90000000014"
    assert identity.signature_algorithm == "SHA256 with RSA Encryption"
    assert identity.signature == "rsa-sha256"
    assert identity.subject.printed[0] == ("cn", "vpn.example.lab")
    assert identity.subject.get("CN") == "vpn.example.lab"
    assert (
        identity.subject.get("unstructuredName")
        == identity.subject.get("hostname")
        == "vpn.example.lab"
    )
    assert identity.subject.get("unstructuredAddress") == "192.0.2.10"
    assert identity.subject.get("OU") == "NetOps"
    assert identity.issuer.all_values("dc") == ("example", "lab")
    assert identity.crl_distribution_points == (
        "ldap:///CN=CORP-ROOT-CA,CN=pki01,CN=CDP,CN=Public%20Key%20Services,CN=Services,"
        "CN=Configuration,DC=example,DC=lab?certificateRevocationList?base?objectClass=cRLDistributionPoint",
    )
    assert identity.valid_from.moment == dt.datetime(2023, 11, 1, 9, 20, 43, tzinfo=UTC)
    assert identity.validity_days == 730
    assert identity.storage is None
    assert identity.associated_trustpoints == ("TP-VPN",)
    assert not identity.self_signed
    assert ca.usage == "Signature"
    assert ca.self_signed
    assert ca.associated_trustpoints == ("TP-OTHER", "TP-VPN")
    assert ca.subject.same_name(identity.issuer)


def test_caller_zone_offsets_replace_the_default() -> None:
    """ADCS's box was configured 'clock timezone GMT 8': its 'GMT' is UTC+8."""
    identity, _ = certificates(
        "show_crypto_ca_certificates__legacy.txt", zones={"GMT": dt.timedelta(hours=8)}
    )
    assert identity.valid_from.as_utc() == dt.datetime(2023, 11, 1, 1, 20, 43, tzinfo=UTC)
    assert identity.valid_from.zone == "GMT"
    naive, _ = certificates("show_crypto_ca_certificates__legacy.txt", zones={"GMT": None})
    assert naive.valid_from.moment == dt.datetime(2023, 11, 1, 9, 20, 43)
    assert not naive.valid_from.is_aware


def test_newer_9x_ca_first_with_storage_and_trailing_spaces() -> None:
    fixture = golden("show_crypto_ca_certificates__legacy__newer-9x.txt")
    assert sum(line.endswith(" ") for line in fixture.text.splitlines()) == 8, (
        "fixture lost its trailing spaces"
    )
    ca, identity = parse_certificates(fixture.text)
    legacy_identity, legacy_ca = certificates("show_crypto_ca_certificates__legacy.txt")
    assert identity == dataclasses.replace(legacy_identity, storage="config")
    assert ca == dataclasses.replace(
        legacy_ca, storage="config", associated_trustpoints=("TP-VPN",)
    )


def test_ca_only_trustpoint() -> None:
    (record,) = certificates("show_crypto_ca_certificates__legacy__ca-only.txt")
    assert record.kind == "ca"
    assert record.serial == "5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01"
    assert record.self_signed


def test_ocsp_and_crl_blocks_after_a_leading_blank_line() -> None:
    fixture = golden("show_crypto_ca_certificates__legacy__ocsp-crl.txt")
    assert "\n\nCertificate\n" in fixture.text
    (record,) = parse_certificates(fixture.text)
    assert record.serial == "008be1c2d3e4f5061728394a5b6c7d8e9f"
    assert record.ocsp_urls == ("http://ocsp.example.lab",)
    assert record.crl_distribution_points == (
        "http://crl.example.lab/a.crl",
        "http://crl2.example.lab/a.crl",
    )
    assert record.subject.get("emailAddress") == "netops@example.lab"
    assert record.subject.attributes == (
        ("CN", "vpn.example.lab"),
        ("OU", "Network Ops"),
        ("O", "Example, Lab"),
        ("L", "Springfield"),
        ("ST", "CA"),
        ("C", "US"),
        ("emailAddress", "netops@example.lab"),
    )
    assert record.subject.rfc4514().startswith(
        "cn=vpn.example.lab,ou=Network Ops,o=Example\\, Lab,"
    )
    # EDT has no default offset: the time stays naive, the validity is wall-clock.
    assert record.valid_from == DeviceTime(dt.datetime(2025, 6, 1, 12, 0), "EDT")
    assert record.validity_days == 364
    assert not record.self_signed


def test_923_chain_ca_first_ecdsa_and_openssl_key_names() -> None:
    ca, identity = certificates(
        "show_crypto_ca_certificates__9.23__chain.txt", zones={"MSK": dt.timedelta(hours=3)}
    )
    assert (ca.kind, ca.public_key_bits, ca.signature) == ("ca", 4096, "rsa-sha384")
    assert (identity.public_key_type, identity.public_key_bits) == ("ECDSA", 256)
    assert identity.signature_algorithm == "ecdsa-with-SHA256"
    assert identity.signature == "ecdsa-sha256"
    assert identity.subject.oid_attributes()[:2] == (
        ("1.2.840.113549.1.9.8", "192.0.2.10"),
        ("1.2.840.113549.1.9.2", "vpn.example.lab"),
    )
    assert identity.subject.get("ipaddress") == "192.0.2.10"
    assert identity.subject.get("ea") == "netops@example.lab"
    assert identity.valid_from.as_utc() == dt.datetime(2026, 1, 2, 5, 0, tzinfo=UTC)
    assert identity.validity_days == 365


def test_mixed_zone_knowledge_gives_no_validity() -> None:
    text = golden("show_crypto_ca_certificates__9.23.txt").text.replace(
        "00:37:39 UTC May 7 2036", "00:37:39 MSK May 7 2036"
    )
    (record,) = parse_certificates(text)
    assert record.valid_from.is_aware and not record.valid_to.is_aware
    assert record.validity is None and record.validity_days is None


@pytest.mark.parametrize("name", golden_names("show_crypto_ca_certificates"))
def test_terminal_noise_changes_nothing(name: str) -> None:
    text = golden(name).text
    assert parse_certificates(with_terminal_noise(text)) == parse_certificates(text)
    without_echo = "\n".join(text.split("\n")[1:])
    assert parse_certificates(without_echo) == parse_certificates(text)


def test_no_certificates_is_an_empty_list() -> None:
    assert parse_certificates("") == []
    assert parse_certificates("asa-lab# show crypto ca certificates TP-NONE\nasa-lab# ") == []


def test_pending_request_block_is_read_with_the_same_fields() -> None:
    """The 'Certificate Request' layout is RECONSTRUCTED: it is read like the other blocks."""
    (record,) = parse_certificates(PL.replace("\nCertificate\n", "\nCertificate Request\n"))
    assert record.kind == "request"
    short = PL.replace("\nCertificate\n", "\nCertificate Request\n").split("  Issuer Name:")[0]
    error = _error(short)
    assert error.line == "Certificate Request"
    assert "'Issuer Name:'" in error.expected


def test_unknown_field_is_kept_not_dropped() -> None:
    text = golden("show_crypto_ca_certificates__9.23.txt").text.replace(
        "  Storage: config\n", "  Storage: config\n  Fingerprint: 0a1b2c3d\n    more\n"
    )
    (record,) = parse_certificates(text)
    assert record.other_fields == (("Fingerprint", ("0a1b2c3d", "more")),)
    assert record.storage == "config"


@pytest.mark.parametrize(
    ("printed", "normalised"),
    [
        ("RSA-SHA256", "rsa-sha256"),
        ("RSA-SHA1", "rsa-sha1"),
        ("ecdsa-with-SHA384", "ecdsa-sha384"),
        ("SHA256 with RSA Encryption", "rsa-sha256"),
        ("SHA384 with RSA Encryption", "rsa-sha384"),
        ("SHA256 with ECDSA Encryption", "ecdsa-sha256"),
        ("SHA1 with RSA Encryption", "rsa-sha1"),
        ("MD5 with RSA Encryption", "rsa-md5"),
        ("sha256WithRSAEncryption", "rsa-sha256"),
        ("rsassaPss", None),
    ],
)
def test_signature_normalisation(printed: str, normalised: str | None) -> None:
    assert normalise_signature(printed) == normalised


def test_invalid_input_answer_is_an_error() -> None:
    error = _error(
        "show crypto ca certficates\n"
        "                   ^\n"
        "ERROR: % Invalid input detected at '^' marker."
    )
    assert error.line_number == 3
    assert error.line.startswith("ERROR: % Invalid input")


def test_foreign_text_is_an_error() -> None:
    error = _error("Cisco Adaptive Security Appliance Software Version 9.23(1)\n")
    assert error.line_number == 1
    assert "certificate block header" in error.expected


def test_truncated_block_names_the_missing_field() -> None:
    truncated = PL.split("  Validity Date:")[0]
    error = _error(truncated)
    assert error.line == "Certificate"
    assert error.line_number == 3
    assert "Validity Date" in error.expected


@pytest.mark.parametrize(
    ("old", "new", "bad_line", "expected"),
    [
        (
            "Serial Number: 5e2b91c7",
            "Serial Number: 5e2b91zz",
            "  Certificate Serial Number: 5e2b91zz",
            "hexadecimal",
        ),
        ("RSA (2048 bits)", "RSA 2048", "  Public Key Type: RSA 2048", "RSA (2048 bits)"),
        (
            "May 10 2026",
            "May 32 2026",
            "    start date: 00:37:39 UTC May 32 2026",
            "not a valid date",
        ),
        (
            "    C=US\n    O=Example Lab\n    CN=vpn.example.lab\n  Subject",
            "    C US\n    O=Example Lab\n    CN=vpn.example.lab\n  Subject",
            "    C US",
            "key=value",
        ),
        (
            "    end   date",
            "    stop  date",
            "    stop  date: 00:37:39 UTC May 7 2036",
            "start date",
        ),
        (
            "  Storage: config\n",
            "  Storage: config\nStatus Available\n",
            "Status Available",
            "indented",
        ),
    ],
)
def test_garbled_line_is_an_error(old: str, new: str, bad_line: str, expected: str) -> None:
    assert old in PL
    error = _error(PL.replace(old, new, 1))
    assert error.line == bad_line
    assert error.line_number == PL.replace(old, new, 1).split("\n").index(bad_line) + 1
    assert expected in error.expected


def test_missing_block_header_between_two_certificates_is_an_error() -> None:
    body = PL.split("Certificate\n", 1)[1]
    error = _error(PL + body)
    assert error.line == "  Status: Available"
    assert "second 'Status:'" in error.expected


def test_error_message_names_line_and_expectation() -> None:
    error = _error("garbage")
    assert str(error) == (
        "show crypto ca certificates: line 1: 'garbage': expected a certificate block header "
        "('Certificate', 'CA Certificate' or 'Certificate Request')"
    )

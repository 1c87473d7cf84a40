"""show ssl certificate (no capture exists: the reconstructed layout, certificate blocks reused)."""

from __future__ import annotations

import pytest

from harness.parse import ParseError, parse_certificates, parse_ssl_certificate
from tests.harness.parse.parse_fixtures import golden


def test_923_interface_and_domain_sections() -> None:
    outside, partner = parse_ssl_certificate(
        golden("show_ssl_certificate__9.23__reconstructed.txt").text
    )
    assert outside.binding is not None and outside.binding.scope == "interface"
    assert (outside.binding.target, outside.trustpoint) == ("outside", "TP-SELF")
    pinglabz = parse_certificates(golden("show_crypto_ca_certificates__9.23.txt").text)
    assert outside.certificates == tuple(pinglabz)
    assert outside.identity == pinglabz[0]
    assert partner.binding is not None and partner.binding.scope == "domain"
    assert partner.trustpoint == "TP-PARTNER"
    assert (
        partner.identity is not None and partner.identity.subject.get("CN") == "partner.example.lab"
    )


def test_legacy_block_is_the_certificates_block() -> None:
    (served,) = parse_ssl_certificate(
        golden("show_ssl_certificate__legacy__reconstructed.txt").text
    )
    identity = parse_certificates(golden("show_crypto_ca_certificates__legacy.txt").text)[0]
    assert served.certificates == (identity,)
    assert served.binding is not None and served.binding.key is not None
    assert served.binding.key.signature_algorithm == "SHA256 with RSA Encryption"


def test_trustpoint_header_and_headerless_blocks() -> None:
    block = golden("show_crypto_ca_certificates__9.23.txt").text.split("\n", 2)[2]
    (headerless,) = parse_ssl_certificate(block)
    assert headerless.binding is None and headerless.trustpoint is None
    (named,) = parse_ssl_certificate("Trustpoint TP-SELF:\n" + block)
    assert named.trustpoint == "TP-SELF" and named.binding is None
    assert named.certificates == headerless.certificates


def test_nothing_bound() -> None:
    assert parse_ssl_certificate("") == []


def test_garbage_inside_a_section_names_the_command() -> None:
    text = "Interface outside: TP-SELF\nnot a certificate\n"
    with pytest.raises(ParseError) as caught:
        parse_ssl_certificate(text)
    assert caught.value.command == "show ssl certificate"
    assert caught.value.line_number == 2
    assert "certificate block header" in caught.value.expected

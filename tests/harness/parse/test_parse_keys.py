"""show crypto key mypubkey rsa|ecdsa."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from harness.parse import ParseError, parse_keypairs
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise

MULTI = golden("show_crypto_key_mypubkey_rsa__9.23__multi-key.txt").text


def test_legacy_f5508_with_elided_key_data() -> None:
    (key,) = parse_keypairs(golden("show_crypto_key_mypubkey_rsa__legacy.txt").text)
    assert key.name == "<Default-RSA-Key>"
    assert key.generated_at.moment == dt.datetime(2018, 6, 27, 21, 24, 3, tzinfo=dt.UTC)
    assert key.usage == "General Purpose Key"
    assert (key.size_label, key.size_bits) == ("Modulus", 2048)
    assert key.storage is None
    assert len(key.key_data) == 64
    assert key.key_data.startswith(bytes.fromhex("30820122300d06092a864886f70d0101"))
    assert not key.complete
    with pytest.raises(ValueError, match="not a complete SubjectPublicKeyInfo"):
        key.public_key()


def test_several_rsa_keys_load_as_keys() -> None:
    default, labelled = parse_keypairs(MULTI)
    assert (default.name, labelled.name) == ("<Default-RSA-Key>", "VPN-RSA")
    for key in (default, labelled):
        assert key.complete
        assert (key.key_type, key.key_bits) == ("RSA", 2048)
        assert key.storage == "config"
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert spki == key.key_data
    assert default.key_data != labelled.key_data
    assert parse_keypairs(with_terminal_noise(MULTI)) == [default, labelled]


def test_ecdsa_keys() -> None:
    p256, p384 = parse_keypairs(golden("show_crypto_key_mypubkey_ecdsa__any.txt").text)
    assert (p256.size_label, p256.size_bits, p256.key_type, p256.key_bits) == (
        "Key",
        256,
        "ECDSA",
        256,
    )
    assert (p384.size_bits, p384.key_bits) == (384, 384)
    assert p256.generated_at.zone == "MSK" and not p256.generated_at.is_aware


def test_no_keys() -> None:
    assert parse_keypairs("") == []


def _error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_keypairs(text)
    return caught.value


def test_printed_size_must_match_the_key_data() -> None:
    error = _error(MULTI.replace("Modulus Size (bits): 2048", "Modulus Size (bits): 4096", 1))
    assert error.line == " Modulus Size (bits): 4096"
    assert "2048 bits" in error.expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Key name: VPN-RSA\n", "", "'Key name: <label>'"),
        (" Usage: General Purpose Key\n Modulus", " Modulus", "Usage"),
        (" Key Data:\n", "", "' Key Data:'"),
        (
            "Key pair was generated at: 00:30:12 UTC May 10 2026",
            "Key pair was generated at: yesterday",
            "a time like",
        ),
    ],
)
def test_missing_or_garbled_fields_are_errors(old: str, new: str, expected: str) -> None:
    assert old in MULTI
    assert expected in _error(MULTI.replace(old, new, 1)).expected


def test_non_hex_key_data_is_an_error() -> None:
    lines = MULTI.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("  30820122"))
    lines[index] = "  30820122 zz"
    error = _error("\n".join(lines))
    assert (error.line_number, error.line) == (index + 1, "  30820122 zz")


def test_odd_number_of_hex_digits_is_an_error() -> None:
    text = (
        "Key pair was generated at: 00:30:12 UTC May 10 2026\nKey name: K\n"
        " Usage: General Purpose Key\n Modulus Size (bits): 2048\n Key Data:\n\n  30820\n"
    )
    assert "whole number of bytes" in _error(text).expected


def test_text_before_the_first_key_is_an_error() -> None:
    error = _error("Key name: <Default-RSA-Key>\n")
    assert error.line_number == 1 and "Key pair was generated at" in error.expected

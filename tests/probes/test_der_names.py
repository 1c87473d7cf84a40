"""DER Name decoding gives the same RFC 4514 text as cryptography's own rendering."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from probes.der_names import NameDecodeError, decode_name


@pytest.mark.parametrize(
    "text",
    [
        "CN=PingLabz Test Issuing CA,O=PingLabz,C=US",
        "CN=a\\,b,OU=x+OU=y,DC=lab",
        "CN=Ünïcödé,1.2.840.113549.1.9.1=ops@example.lab",
    ],
)
def test_round_trip(text: str) -> None:
    name = x509.Name.from_rfc4514_string(text)

    assert decode_name(name.public_bytes()) == name


def test_string_types_are_kept() -> None:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US", _ASN1Type.PrintableString),
            x509.NameAttribute(NameOID.COMMON_NAME, "bmp", _ASN1Type.BMPString),
        ]
    )

    decoded = decode_name(name.public_bytes())

    assert decoded.public_bytes() == name.public_bytes()


@pytest.mark.parametrize(
    "data", [b"", b"\x30", b"\x30\x05\x31\x03", b"\x04\x00", b"\x30\x84\xff\xff\xff\xff"]
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(NameDecodeError):
        decode_name(data)

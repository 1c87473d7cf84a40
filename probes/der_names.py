"""Decode a DER X.501 Name (as found in a TLS CertificateRequest) into a cryptography Name.

pyOpenSSL hands out the CertificateRequest's CA list as DER only and cryptography has no
DER loader for a bare Name; decoding it here keeps the RFC 4514 rendering identical to
the subjects and issuers of the certificates the same report shows.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.name import _ASN1Type

_SEQUENCE, _SET, _OID = 0x30, 0x31, 0x06

_STRING_TAGS: dict[int, tuple[_ASN1Type, str]] = {
    0x0C: (_ASN1Type.UTF8String, "utf-8"),
    0x13: (_ASN1Type.PrintableString, "ascii"),
    0x14: (_ASN1Type.T61String, "latin-1"),
    0x16: (_ASN1Type.IA5String, "ascii"),
    0x1C: (_ASN1Type.UniversalString, "utf-32-be"),
    0x1E: (_ASN1Type.BMPString, "utf-16-be"),
}


class NameDecodeError(ValueError):
    pass


def _read_tlv(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """(tag, value, offset after the element)."""
    if offset + 2 > len(data):
        raise NameDecodeError("truncated element")
    tag, first = data[offset], data[offset + 1]
    offset += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise NameDecodeError("bad length")
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    end = offset + length
    if end > len(data):
        raise NameDecodeError("element longer than its container")
    return tag, data[offset:end], end


def _elements(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """(tag, value, whole encoding) of each element in ``data``."""
    found: list[tuple[int, bytes, bytes]] = []
    offset = 0
    while offset < len(data):
        tag, value, end = _read_tlv(data, offset)
        found.append((tag, value, data[offset:end]))
        offset = end
    return found


def _oid(value: bytes) -> x509.ObjectIdentifier:
    if not value:
        raise NameDecodeError("empty OID")
    arcs: list[int] = []
    current = 0
    for byte in value:
        current = (current << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(current)
            current = 0
    first = min(arcs[0] // 40, 2)
    dotted = [first, arcs[0] - 40 * first, *arcs[1:]]
    return x509.ObjectIdentifier(".".join(str(arc) for arc in dotted))


def _attribute(tag: int, value: bytes) -> x509.NameAttribute[str]:
    if tag != _SEQUENCE:
        raise NameDecodeError("attribute is not a SEQUENCE")
    parts = _elements(value)
    if len(parts) != 2 or parts[0][0] != _OID:
        raise NameDecodeError("attribute is not (OID, value)")
    oid = _oid(parts[0][1])
    value_tag, raw, encoding_of_value = parts[1]
    if value_tag in _STRING_TAGS:
        kind, encoding = _STRING_TAGS[value_tag]
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise NameDecodeError(f"undecodable {kind.name}") from error
        return x509.NameAttribute(oid, text, kind)
    # RFC 4514 section 2.4: a value that is not a string is written as # + its BER hex.
    return x509.NameAttribute(oid, "#" + encoding_of_value.hex())


def decode_name(der: bytes) -> x509.Name:
    tag, body, end = _read_tlv(der, 0)
    if tag != _SEQUENCE or end != len(der):
        raise NameDecodeError("a Name is one SEQUENCE")
    rdns: list[x509.RelativeDistinguishedName] = []
    for set_tag, set_body, _ in _elements(body):
        if set_tag != _SET:
            raise NameDecodeError("an RDN is a SET")
        attributes = [_attribute(t, v) for t, v, _ in _elements(set_body)]
        if not attributes:
            raise NameDecodeError("empty RDN")
        rdns.append(x509.RelativeDistinguishedName(attributes))
    return x509.Name(rdns)

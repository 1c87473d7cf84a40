"""X.509 work the virtual ASA does itself: subjects from trustpoint settings, self-signed
enrollment, CSRs, and the small formatting rules shared by show output and the config."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from lab.emulator.device import Device, PrivateKey, Trustpoint

UNSTRUCTURED_NAME = ObjectIdentifier("1.2.840.113549.1.9.2")
UNSTRUCTURED_ADDRESS = ObjectIdentifier("1.2.840.113549.1.9.8")

# Keys an operator may write in ``subject-name`` (case-insensitive).
_DN_KEYS: dict[str, ObjectIdentifier] = {
    "cn": NameOID.COMMON_NAME,
    "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "o": NameOID.ORGANIZATION_NAME,
    "l": NameOID.LOCALITY_NAME,
    "st": NameOID.STATE_OR_PROVINCE_NAME,
    "sp": NameOID.STATE_OR_PROVINCE_NAME,
    "c": NameOID.COUNTRY_NAME,
    "dc": NameOID.DOMAIN_COMPONENT,
    "ea": NameOID.EMAIL_ADDRESS,
    "e": NameOID.EMAIL_ADDRESS,
    "emailaddress": NameOID.EMAIL_ADDRESS,
    "serialnumber": NameOID.SERIAL_NUMBER,
    "sn": NameOID.SURNAME,
    "uid": NameOID.USER_ID,
    "t": NameOID.TITLE,
    "gn": NameOID.GIVEN_NAME,
    "unstructuredname": UNSTRUCTURED_NAME,
    "hostname": UNSTRUCTURED_NAME,
}

#: Display names per output profile (9.23 = OpenSSL short names; legacy = lower-case keys).
_DISPLAY_923: dict[ObjectIdentifier, str] = {
    NameOID.COMMON_NAME: "CN",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.COUNTRY_NAME: "C",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.EMAIL_ADDRESS: "emailAddress",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.USER_ID: "UID",
    NameOID.SURNAME: "SN",
    NameOID.GIVEN_NAME: "GN",
    NameOID.TITLE: "title",
    UNSTRUCTURED_NAME: "unstructuredName",
    UNSTRUCTURED_ADDRESS: "unstructuredAddress",
}
_DISPLAY_LEGACY: dict[ObjectIdentifier, str] = {
    NameOID.COMMON_NAME: "cn",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "ou",
    NameOID.ORGANIZATION_NAME: "o",
    NameOID.LOCALITY_NAME: "l",
    NameOID.STATE_OR_PROVINCE_NAME: "st",
    NameOID.COUNTRY_NAME: "c",
    NameOID.DOMAIN_COMPONENT: "dc",
    NameOID.EMAIL_ADDRESS: "ea",
    NameOID.SERIAL_NUMBER: "serialnumber",
    NameOID.USER_ID: "uid",
    NameOID.SURNAME: "sn",
    NameOID.GIVEN_NAME: "gn",
    NameOID.TITLE: "t",
    UNSTRUCTURED_NAME: "hostname",
    UNSTRUCTURED_ADDRESS: "ipaddress",
}

SELF_SIGNED_VALIDITY = dt.timedelta(days=3650)


class SubjectError(ValueError):
    """A ``subject-name`` string the ASA would not accept."""


def parse_subject_string(text: str) -> list[tuple[ObjectIdentifier, str]]:
    """Parse ``CN=a,OU=Network Ops,O="Example, Lab",C=US`` into (oid, value) in written order."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            continue
        if char == "," and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    attributes: list[tuple[ObjectIdentifier, str]] = []
    for part in parts:
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in _DN_KEYS or not value.strip():
            raise SubjectError(f"invalid subject name component {part.strip()!r}")
        attributes.append((_DN_KEYS[key], value.strip()))
    return attributes


def device_fqdn(device: Device) -> str:
    return f"{device.hostname}.{device.domain_name}" if device.domain_name else device.hostname


def trustpoint_fqdn(device: Device, trustpoint: Trustpoint) -> str | None:
    """The FQDN the ASA puts in the certificate (``fqdn none`` suppresses it)."""
    if trustpoint.fqdn == "none":
        return None
    return trustpoint.fqdn or device_fqdn(device)


def build_subject(device: Device, trustpoint: Trustpoint) -> x509.Name:
    """Configured subject-name in written order, then unstructuredName (fqdn), then
    unstructuredAddress (ip-address): displayed in reverse, this gives the ASA's layout."""
    if trustpoint.subject_name:
        written = parse_subject_string(trustpoint.subject_name)
    else:
        written = [(NameOID.COMMON_NAME, device.hostname)]
    attributes = [x509.NameAttribute(oid, value) for oid, value in written]
    fqdn = trustpoint_fqdn(device, trustpoint)
    if fqdn:
        attributes.append(x509.NameAttribute(UNSTRUCTURED_NAME, fqdn))
    if trustpoint.ip_address:
        attributes.append(x509.NameAttribute(UNSTRUCTURED_ADDRESS, trustpoint.ip_address))
    return x509.Name(attributes)


def _signature_hash(key: PrivateKey) -> hashes.HashAlgorithm:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


def _general_purpose_usage(key: PrivateKey) -> x509.KeyUsage:
    is_ec = isinstance(key, ec.EllipticCurvePrivateKey)
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=not is_ec,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )


def _fqdn_san(fqdn: str | None) -> x509.SubjectAlternativeName | None:
    return x509.SubjectAlternativeName([x509.DNSName(fqdn)]) if fqdn else None


def random_serial() -> int:
    """Four random bytes with the top bit clear (8 hex digits, as PL shows)."""
    return int.from_bytes(secrets.token_bytes(4), "big") & 0x7FFFFFFF | 0x01000000


def self_signed_certificate(
    device: Device, trustpoint: Trustpoint, key: PrivateKey
) -> x509.Certificate:
    subject = build_subject(device, trustpoint)
    start = device.clock.now_utc().replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(random_serial())
        .not_valid_before(start)
        .not_valid_after(start + SELF_SIGNED_VALIDITY)
        .add_extension(_general_purpose_usage(key), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    san = _fqdn_san(trustpoint_fqdn(device, trustpoint))
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    return builder.sign(key, _signature_hash(key))


def certificate_request(
    device: Device, trustpoint: Trustpoint, key: PrivateKey
) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(build_subject(device, trustpoint))
    san = _fqdn_san(trustpoint_fqdn(device, trustpoint))
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    return builder.sign(key, _signature_hash(key))


def temporary_certificate(device: Device, key: PrivateKey) -> x509.Certificate:
    """The 'ASA Temporary Self Signed Certificate' served when no trustpoint is bound."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "ASA Temporary Self Signed Certificate"),
            x509.NameAttribute(UNSTRUCTURED_NAME, device_fqdn(device)),
        ]
    )
    start = device.clock.now_utc().replace(microsecond=0)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(random_serial())
        .not_valid_before(start)
        .not_valid_after(start + SELF_SIGNED_VALIDITY)
        .sign(key, _signature_hash(key))
    )


# ---------------------------------------------------------------- formatting


def serial_hex(certificate: x509.Certificate) -> str:
    """Lower-case hex of the DER INTEGER content (a leading 00 kept when the top bit is set)."""
    number = certificate.serial_number
    length = max(1, (number.bit_length() + 8) // 8)
    return number.to_bytes(length, "big", signed=True).hex()


def dn_lines(name: x509.Name, profile: str) -> list[str]:
    """One ``key=value`` per RDN, in reverse DER order (RFC 4514 order)."""
    display = _DISPLAY_923 if profile == "9.23" else _DISPLAY_LEGACY
    lines: list[str] = []
    for rdn in reversed(list(name.rdns)):
        for attribute in rdn:
            key = display.get(attribute.oid, attribute.oid.dotted_string)
            lines.append(f"{key}={attribute.value!s}")
    return lines


def md5_fingerprint(certificate: x509.Certificate) -> str:
    digest = hashlib.md5(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    return " ".join(digest[i : i + 8] for i in range(0, 32, 8))


def is_self_signed(certificate: x509.Certificate) -> bool:
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, Exception):
        return False
    return True


def hex_block(der: bytes, indent: str = "    ") -> list[str]:
    """DER as the config's certificate chain shows it: 8 groups of 8 hex digits per line."""
    text = der.hex()
    groups = [text[i : i + 8] for i in range(0, len(text), 8)]
    return [indent + " ".join(groups[i : i + 8]) for i in range(0, len(groups), 8)]


def parse_hex_block(lines: list[str]) -> bytes:
    text = re.sub(r"\s+", "", "".join(lines))
    if not re.fullmatch(r"[0-9a-fA-F]*", text) or len(text) % 2:
        raise ValueError("certificate data is not hexadecimal")
    return bytes.fromhex(text)


def load_pem_lines(lines: list[str]) -> list[x509.Certificate]:
    """Certificates from pasted lines (PEM blocks, or bare base64 without BEGIN/END)."""
    text = "\n".join(line.strip() for line in lines if line.strip())
    if "-----BEGIN" in text:
        return x509.load_pem_x509_certificates(text.encode())
    import base64

    return [x509.load_der_x509_certificate(base64.b64decode(text, validate=False))]

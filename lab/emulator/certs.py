"""X.509 work the virtual ASA does itself: subjects from trustpoint settings, self-signed
enrollment, CSRs, and the small formatting rules shared by show output and the config."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import secrets

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
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
    """The subject the ASA puts in a self-signed certificate or a request.

    9.23: the configured subject-name in written order, then unstructuredName (fqdn), then
    unstructuredAddress (ip-address); shown in reverse DER order this is PL's layout
    (unstructuredName=, C=, O=, CN=). Legacy: unstructuredAddress, unstructuredName, then
    the configured subject-name reversed ([DERIVED] ADCS: its request decodes that way and
    shows as cn=, ou=, o=, hostname=, ipaddress=).
    """
    if trustpoint.subject_name:
        written = parse_subject_string(trustpoint.subject_name)
    else:
        written = [(NameOID.COMMON_NAME, device.hostname)]
    configured = [x509.NameAttribute(oid, value) for oid, value in written]
    extra: list[x509.NameAttribute[str]] = []
    fqdn = trustpoint_fqdn(device, trustpoint)
    if fqdn:
        extra.append(x509.NameAttribute(UNSTRUCTURED_NAME, fqdn))
    if trustpoint.ip_address:
        extra.append(x509.NameAttribute(UNSTRUCTURED_ADDRESS, trustpoint.ip_address))
    if device.profile == "legacy":
        return x509.Name([*reversed(extra), *reversed(configured)])
    return x509.Name([*configured, *extra])


def _signature_hash(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


def _general_purpose_usage(key: PrivateKey) -> x509.KeyUsage:
    is_ec = isinstance(key, ec.EllipticCurvePrivateKey)
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not is_ec,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
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
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        build_subject(device, trustpoint)
    )
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


def temporary_identity(device: Device) -> tuple[x509.Certificate, PrivateKey]:
    """The device's temporary self-signed certificate, created on first use after a boot."""
    if device.temporary_certificate is None or device.temporary_key is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        device.temporary_key = key
        device.temporary_certificate = temporary_certificate(device, key)
    return device.temporary_certificate, device.temporary_key


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


def key_kind(certificate: x509.Certificate) -> str:
    return "ecdsa" if isinstance(certificate.public_key(), ec.EllipticCurvePublicKey) else "rsa"


def key_bits(certificate: x509.Certificate) -> int:
    key = certificate.public_key()
    return (
        key.curve.key_size
        if isinstance(key, ec.EllipticCurvePublicKey)
        else getattr(key, "key_size", 0)
    )


def md5_fingerprint(certificate: x509.Certificate) -> str:
    digest = hashlib.md5(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
    return " ".join(digest[i : i + 8] for i in range(0, 32, 8))


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject and issued_by(certificate, certificate)


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


class PasteError(ValueError):
    """Pasted text that is not what the command asked for."""


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)


def _b64decode(text: str) -> bytes:
    compact = re.sub(r"\s+", "", text)
    if not compact or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", compact):
        raise PasteError("not base64")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as error:
        raise PasteError("not base64") from error


def pasted_certificates(lines: list[str]) -> list[x509.Certificate]:
    """Certificates from pasted lines: PEM ``CERTIFICATE`` blocks in order, or bare base64 DER.

    Anything else (a request, a key, junk, a half-pasted block) raises PasteError.
    """
    text = "\n".join(line.strip() for line in lines if line.strip())
    if "-----BEGIN" in text or "-----END" in text:
        blocks = _PEM_BLOCK.findall(text)
        if not blocks or any(kind != "CERTIFICATE" for kind, _ in blocks):
            raise PasteError("not a certificate")
        ders = [_b64decode(body) for _, body in blocks]
    else:
        ders = [_b64decode(text)]
    try:
        certificates = [x509.load_der_x509_certificate(der) for der in ders]
        for certificate in certificates:
            # cryptography decodes names and extensions lazily: decode them now, so a
            # certificate the device cannot read is refused here, before any question.
            certificate.subject.rfc4514_string()
            certificate.issuer.rfc4514_string()
            _ = certificate.extensions
    except (ValueError, TypeError) as error:
        raise PasteError("not a certificate") from error
    return certificates


def pasted_blob(lines: list[str], kind: str) -> bytes:
    """The DER inside ``-----BEGIN <kind>-----`` framing, or bare base64."""
    text = "\n".join(line.strip() for line in lines if line.strip())
    if "-----" in text:
        blocks = _PEM_BLOCK.findall(text)
        if len(blocks) != 1 or blocks[0][0] != kind:
            raise PasteError(f"not a {kind} block")
        text = blocks[0][1]
    return _b64decode(text)


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    """``issuer`` signed ``certificate`` (names chain and the signature verifies)."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def same_public_key(certificate: x509.Certificate, key: PrivateKey) -> bool:
    return certificate.public_key() == key.public_key()


def pem_lines(der: bytes, label: str) -> list[str]:
    body = base64.b64encode(der).decode()
    return [
        f"-----BEGIN {label}-----",
        *(body[i : i + 64] for i in range(0, len(body), 64)),
        f"-----END {label}-----",
    ]

"""Facts about one certificate, as plain values: names, dates, key, SANs, usages."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from probes.names import display_name

_EKU_NAMES: dict[x509.ObjectIdentifier, str] = {
    ExtendedKeyUsageOID.SERVER_AUTH: "serverAuth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "clientAuth",
    ExtendedKeyUsageOID.CODE_SIGNING: "codeSigning",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "emailProtection",
    ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
    ExtendedKeyUsageOID.IPSEC_IKE: "ipsecIKE",
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE: "anyExtendedKeyUsage",
}


@dataclass(frozen=True)
class CertificateSummary:
    subject: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str
    self_signed: bool
    key_type: str
    key_size: int | None
    signature_algorithm: str
    sans: tuple[str, ...]
    is_ca: bool
    #: EKU names; empty when the certificate has no EKU extension (see ``has_eku``).
    eku: tuple[str, ...]
    has_eku: bool
    common_names: tuple[str, ...]

    def valid_at(self, at: dt.datetime) -> bool:
        return self.not_before <= at <= self.not_after


def serial_hex(certificate: x509.Certificate) -> str:
    """Lower-case hex of the serial's DER INTEGER content (as OpenSSL and the ASA print it:
    a leading 00 stays when the top bit is set)."""
    number = certificate.serial_number
    length = max(1, (number.bit_length() + 8) // 8)
    return number.to_bytes(length, "big", signed=True).hex()


def sha256_hex(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool | None:
    """Whether ``issuer`` signed ``certificate`` (names and signature); None if unknowable."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    except UnsupportedAlgorithm:
        return None
    return True


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.subject == certificate.issuer and issued_by(certificate, certificate) is True


def key_description(certificate: x509.Certificate) -> tuple[str, int | None]:
    try:
        key = certificate.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(key).__name__, None


def _extension(certificate: x509.Certificate, kind: type[x509.ExtensionType]) -> object | None:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None
    except ValueError:  # a malformed extension elsewhere in the certificate
        return None


def subject_alt_names(certificate: x509.Certificate) -> tuple[str, ...]:
    value = _extension(certificate, x509.SubjectAlternativeName)
    if not isinstance(value, x509.SubjectAlternativeName):
        return ()
    names: list[str] = []
    for entry in value:
        if isinstance(entry, x509.DNSName):
            names.append(f"DNS:{entry.value}")
        elif isinstance(entry, x509.IPAddress):
            names.append(f"IP:{entry.value}")
        elif isinstance(entry, x509.RFC822Name):
            names.append(f"email:{entry.value}")
        elif isinstance(entry, x509.UniformResourceIdentifier):
            names.append(f"URI:{entry.value}")
        elif isinstance(entry, x509.DirectoryName):
            names.append(f"DirName:{display_name(entry.value)}")
        else:
            names.append(f"{type(entry).__name__}")
    return tuple(names)


def dns_names(certificate: x509.Certificate) -> tuple[str, ...]:
    return tuple(n[4:] for n in subject_alt_names(certificate) if n.startswith("DNS:"))


def ip_names(certificate: x509.Certificate) -> tuple[str, ...]:
    return tuple(n[3:] for n in subject_alt_names(certificate) if n.startswith("IP:"))


def common_names(certificate: x509.Certificate) -> tuple[str, ...]:
    attributes = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return tuple(str(a.value) for a in attributes)


def extended_key_usage(certificate: x509.Certificate) -> tuple[str, ...] | None:
    """EKU names, or None when the certificate has no EKU extension (any purpose)."""
    value = _extension(certificate, x509.ExtendedKeyUsage)
    if not isinstance(value, x509.ExtendedKeyUsage):
        return None
    return tuple(_EKU_NAMES.get(oid, oid.dotted_string) for oid in value)


def is_ca(certificate: x509.Certificate) -> bool:
    value = _extension(certificate, x509.BasicConstraints)
    return isinstance(value, x509.BasicConstraints) and value.ca


def signature_algorithm(certificate: x509.Certificate) -> str:
    oid = certificate.signature_algorithm_oid
    name = getattr(oid, "_name", None)
    return str(name) if name and name != "Unknown OID" else oid.dotted_string


def summarise(certificate: x509.Certificate) -> CertificateSummary:
    key_type, key_size = key_description(certificate)
    eku = extended_key_usage(certificate)
    return CertificateSummary(
        subject=display_name(certificate.subject),
        issuer=display_name(certificate.issuer),
        serial=serial_hex(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256=sha256_hex(certificate),
        self_signed=is_self_signed(certificate),
        key_type=key_type,
        key_size=key_size,
        signature_algorithm=signature_algorithm(certificate),
        sans=subject_alt_names(certificate),
        is_ca=is_ca(certificate),
        eku=eku or (),
        has_eku=eku is not None,
        common_names=common_names(certificate),
    )

"""Facts about one certificate, as plain values: names, dates, key, SANs, usages."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from probes.names import display_name

_Extension = TypeVar("_Extension", bound=x509.ExtensionType)

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


def _extension_values(certificate: x509.Certificate) -> list[x509.ExtensionType]:
    """The values of the certificate's extensions, in order; none when they cannot be parsed."""
    try:
        return [extension.value for extension in certificate.extensions]
    except ValueError:  # a malformed extension somewhere in the certificate
        return []


def _first(values: Sequence[x509.ExtensionType], kind: type[_Extension]) -> _Extension | None:
    """The first value of that kind (as ``Extensions.get_extension_for_class`` finds it)."""
    return next((value for value in values if isinstance(value, kind)), None)


def _extension(certificate: x509.Certificate, kind: type[_Extension]) -> _Extension | None:
    return _first(_extension_values(certificate), kind)


def _san_names(value: x509.SubjectAlternativeName | None) -> tuple[str, ...]:
    if value is None:
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


def subject_alt_names(certificate: x509.Certificate) -> tuple[str, ...]:
    return _san_names(_extension(certificate, x509.SubjectAlternativeName))


def dns_names(certificate: x509.Certificate) -> tuple[str, ...]:
    return tuple(n[4:] for n in subject_alt_names(certificate) if n.startswith("DNS:"))


def ip_names(certificate: x509.Certificate) -> tuple[str, ...]:
    return tuple(n[3:] for n in subject_alt_names(certificate) if n.startswith("IP:"))


def common_names(certificate: x509.Certificate) -> tuple[str, ...]:
    attributes = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return tuple(str(a.value) for a in attributes)


def _eku_names(value: x509.ExtendedKeyUsage | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(_EKU_NAMES.get(oid, oid.dotted_string) for oid in value)


def extended_key_usage(certificate: x509.Certificate) -> tuple[str, ...] | None:
    """EKU names, or None when the certificate has no EKU extension (any purpose)."""
    return _eku_names(_extension(certificate, x509.ExtendedKeyUsage))


def _ca(value: x509.BasicConstraints | None) -> bool:
    return value is not None and value.ca


def is_ca(certificate: x509.Certificate) -> bool:
    return _ca(_extension(certificate, x509.BasicConstraints))


def signature_algorithm(certificate: x509.Certificate) -> str:
    oid = certificate.signature_algorithm_oid
    name = getattr(oid, "_name", None)
    return str(name) if name and name != "Unknown OID" else oid.dotted_string


def summarise(
    certificate: x509.Certificate,
    *,
    der: bytes | None = None,
    self_signed: Callable[[x509.Certificate], bool] = is_self_signed,
) -> CertificateSummary:
    """``der``: the certificate's DER encoding, if the caller has it already; ``self_signed``:
    :func:`is_self_signed`, or the caller's memoised equivalent."""
    key_type, key_size = key_description(certificate)
    extensions = _extension_values(certificate)  # once, for the three below
    eku = _eku_names(_first(extensions, x509.ExtendedKeyUsage))
    return CertificateSummary(
        subject=display_name(certificate.subject),
        issuer=display_name(certificate.issuer),
        serial=serial_hex(certificate),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256=sha256_hex(certificate) if der is None else hashlib.sha256(der).hexdigest(),
        self_signed=self_signed(certificate),
        key_type=key_type,
        key_size=key_size,
        signature_algorithm=signature_algorithm(certificate),
        sans=_san_names(_first(extensions, x509.SubjectAlternativeName)),
        is_ca=_ca(_first(extensions, x509.BasicConstraints)),
        eku=eku or (),
        has_eku=eku is not None,
        common_names=common_names(certificate),
    )

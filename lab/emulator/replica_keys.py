"""The private keys of a replica: from PKCS#12 files per trustpoint, or generated.

A configuration holds certificates but never keys. A PKCS#12 file given for a trustpoint
must hold exactly the configured identity certificate and its key; anything else is an
error that says which file and which trustpoint, and never contains the passphrase. A
trustpoint without one gets a generated key of the same kind under its keypair label, so
the replica is consistent (``show crypto key mypubkey``) and serves a REPLICA STAND-IN.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from lab.emulator.device import Device, Keypair, PrivateKey
from lab.emulator.replica_standin import key_like


class ReplicaKeyError(ValueError):
    """A PKCS#12 file does not fit the configuration; the message says why."""


@dataclass(frozen=True)
class Pkcs12Source:
    trustpoint: str
    path: Path


def sha256_hex(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


#: Names for the PKCS#9 attributes an ASA puts in the subjects it builds.
_ATTRIBUTE_NAMES = {
    x509.ObjectIdentifier("1.2.840.113549.1.9.2"): "unstructuredName",
    x509.ObjectIdentifier("1.2.840.113549.1.9.8"): "unstructuredAddress",
    x509.ObjectIdentifier("1.2.840.113549.1.9.1"): "emailAddress",
}


def display_name(name: x509.Name) -> str:
    return name.rfc4514_string(_ATTRIBUTE_NAMES)


def describe(certificate: x509.Certificate) -> str:
    return (
        f"subject {display_name(certificate.subject)}, serial {certificate.serial_number:x}, "
        f"SHA-256 {sha256_hex(certificate)[:16]}..."
    )


def _public_der(key: object) -> bytes:
    assert isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


_ASA_EXPORT_HEADER = b"-----BEGIN PKCS12-----"
_ASA_EXPORT_FOOTER = b"-----END PKCS12-----"


def pkcs12_bytes(data: bytes) -> bytes:
    """DER PKCS#12, also from the text ``crypto ca export TP pkcs12 PASS`` prints (the base64
    block between ``-----BEGIN PKCS12-----`` and ``-----END PKCS12-----``)."""
    start = data.find(_ASA_EXPORT_HEADER)
    if start < 0:
        return data
    end = data.find(_ASA_EXPORT_FOOTER, start)
    body = data[start + len(_ASA_EXPORT_HEADER) : end if end >= 0 else len(data)]
    try:
        return base64.b64decode(b"".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return data


def load_pkcs12_key(
    source: Pkcs12Source, configured: x509.Certificate, passphrase: bytes | None
) -> PrivateKey:
    """The key of ``source``, checked against the configured identity certificate."""
    where = f"PKCS#12 file {source.path} (trustpoint {source.trustpoint})"
    try:
        data = source.path.read_bytes()
    except OSError as error:
        raise ReplicaKeyError(f"cannot read {where}: {error.strerror}") from None
    try:
        key, certificate, _extra = pkcs12.load_key_and_certificates(pkcs12_bytes(data), passphrase)
    except ValueError:
        hint = (
            "no passphrase was given (--passphrase-env)"
            if passphrase is None
            else ("wrong passphrase")
        )
        raise ReplicaKeyError(f"cannot open {where}: {hint}, or not a PKCS#12 file") from None
    if key is None or certificate is None:
        raise ReplicaKeyError(f"{where} does not hold both a certificate and its private key")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ReplicaKeyError(f"{where} holds a {type(key).__name__}; only RSA and EC keys serve")
    if certificate != configured:
        raise ReplicaKeyError(
            f"{where} holds the certificate {describe(certificate)}, but the configuration's "
            f"identity certificate of {source.trustpoint} is {describe(configured)}"
        )
    if _public_der(key.public_key()) != _public_der(configured.public_key()):
        raise ReplicaKeyError(
            f"the private key in {where} does not belong to the configured identity "
            f"certificate of {source.trustpoint} ({describe(configured)})"
        )
    return key


@dataclass(frozen=True)
class TrustpointKey:
    """How a replica serves one trustpoint's identity certificate."""

    trustpoint: str
    keypair: str
    certificate: x509.Certificate
    pkcs12: Path | None  # None: no key given, a REPLICA STAND-IN is served

    @property
    def can_serve(self) -> bool:
        return self.pkcs12 is not None


def replica_keys(
    device: Device, sources: Mapping[str, Path], passphrase: bytes | None
) -> tuple[tuple[Keypair, ...], tuple[TrustpointKey, ...]]:
    """Keypairs for a device replayed from a configuration, and how each trustpoint serves.

    ``sources`` maps trustpoint names to PKCS#12 files."""
    unknown = sorted(set(sources) - set(device.trustpoints))
    if unknown:
        known = ", ".join(device.trustpoints) or "none"
        raise ReplicaKeyError(
            f"--pkcs12 names trustpoint(s) {', '.join(unknown)} that the configuration does "
            f"not have (trustpoints: {known})"
        )
    now = dt.datetime.now(dt.UTC)
    keys: dict[str, Keypair] = {}
    given: dict[str, str] = {}  # keypair label -> trustpoint whose PKCS#12 supplied it
    served: list[TrustpointKey] = []
    for name, path in sources.items():
        tp = device.trustpoints[name]
        if tp.identity_certificate is None:
            raise ReplicaKeyError(
                f"trustpoint {name} has no identity certificate in the configuration (only CA "
                f"certificates), so PKCS#12 file {path} is not needed"
            )
        key = load_pkcs12_key(Pkcs12Source(name, path), tp.identity_certificate, passphrase)
        label = tp.keypair_label
        if label in keys and _public_der(keys[label].private_key.public_key()) != _public_der(
            key.public_key()
        ):
            raise ReplicaKeyError(
                f"trustpoints {given[label]} and {name} share keypair {label}, but their "
                "PKCS#12 files hold different keys"
            )
        keys[label] = Keypair(label, key, now)
        given[label] = name
        served.append(TrustpointKey(name, label, tp.identity_certificate, path))
    for tp in device.trustpoints.values():
        if tp.identity_certificate is None or tp.name in sources:
            continue
        label = tp.keypair_label
        if label not in keys:
            keys[label] = Keypair(label, key_like(tp.identity_certificate), now)
        matches = _public_der(keys[label].private_key.public_key()) == _public_der(
            tp.identity_certificate.public_key()
        )
        served.append(
            TrustpointKey(
                tp.name,
                label,
                tp.identity_certificate,
                sources.get(given.get(label, "")) if matches else None,
            )
        )
    order = list(device.trustpoints)
    served.sort(key=lambda s: order.index(s.trustpoint))
    return tuple(keys.values()), tuple(served)

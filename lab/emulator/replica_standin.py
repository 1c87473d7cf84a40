"""REPLICA STAND-IN certificates: what a replica serves for a trustpoint whose private key
it does not have (docs/replica.md).

A stand-in has the configured certificate's subject, SANs, EKU and validity, and the key
of the trustpoint's keypair on the replica; it is issued by a CA whose name says what it is,
so nobody mistakes it for the production certificate. Which trustpoint serves a stand-in is
decided by ``lab.rules.server_identity`` (``stand_in=True``, with the reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from lab.emulator.device import Device, PrivateKey, Trustpoint
from lab.rules.server_identity import StandIn, device_key_lookup

STAND_IN_CA_COMMON_NAME = "REPLICA STAND-IN CA - NOT A PRODUCTION CERTIFICATE"
STAND_IN_CA_ORGANISATION = "asa-cert-harness replica"
STAND_IN_CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, STAND_IN_CA_ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, STAND_IN_CA_COMMON_NAME),
    ]
)
_CA_VALIDITY = (
    dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2099, 12, 31, tzinfo=dt.UTC),
)


def is_stand_in_certificate(certificate: x509.Certificate) -> bool:
    """Whether ``certificate`` was issued by a REPLICA STAND-IN CA."""
    return certificate.issuer == STAND_IN_CA_NAME


def stands_in_for(certificate: x509.Certificate, configured: x509.Certificate) -> bool:
    """Whether ``certificate`` is a stand-in for the configured identity certificate."""
    return is_stand_in_certificate(certificate) and certificate.subject == configured.subject


def key_like(certificate: x509.Certificate) -> PrivateKey:
    """A fresh key of the same kind and size as the certificate's (RSA or EC)."""
    public_key = certificate.public_key()
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return ec.generate_private_key(public_key.curve)
    size = public_key.key_size if isinstance(public_key, rsa.RSAPublicKey) else 2048
    return rsa.generate_private_key(public_exponent=65537, key_size=size)


def _fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _copied_extensions(
    builder: x509.CertificateBuilder, configured: x509.Certificate
) -> x509.CertificateBuilder:
    for extension_type in (x509.SubjectAlternativeName, x509.ExtendedKeyUsage):
        try:
            extension = configured.extensions.get_extension_for_class(extension_type)
        except x509.ExtensionNotFound:
            continue
        builder = builder.add_extension(extension.value, critical=extension.critical)
    return builder


class StandInAuthority:
    """Issues (once per configured certificate) and hands out the stand-ins of a replica."""

    def __init__(self) -> None:
        self._ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca_certificate = (
            x509.CertificateBuilder()
            .subject_name(STAND_IN_CA_NAME)
            .issuer_name(STAND_IN_CA_NAME)
            .public_key(self._ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_CA_VALIDITY[0])
            .not_valid_after(_CA_VALIDITY[1])
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self._ca_key.public_key()),
                critical=False,
            )
            .sign(self._ca_key, hashes.SHA256())
        )
        self._issued: dict[tuple[str, str], StandIn] = {}
        self._spare_keys: dict[str, PrivateKey] = {}

    def stand_ins(self, device: Device) -> Mapping[str, StandIn]:
        """A stand-in for every trustpoint whose identity certificate the device's own
        keypair cannot serve (keypair missing or not matching)."""
        keys = device_key_lookup(device)
        found: dict[str, StandIn] = {}
        for tp in device.trustpoints.values():
            configured = tp.identity_certificate
            if configured is None:
                continue
            public_key = keys(tp.keypair_label)
            if public_key is not None and public_key == configured.public_key():
                continue
            found[tp.name] = self._stand_in(device, tp, configured)
        return found

    def _stand_in(self, device: Device, tp: Trustpoint, configured: x509.Certificate) -> StandIn:
        key = self._key_for(device, tp, configured)
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        cache_key = (tp.name, _fingerprint(configured) + hashlib.sha256(public).hexdigest())
        stand_in = self._issued.get(cache_key)
        if stand_in is None:
            stand_in = StandIn(
                tp.name, configured, self._issue(configured, key), (self.ca_certificate,), key
            )
            self._issued[cache_key] = stand_in
        return stand_in

    def _key_for(self, device: Device, tp: Trustpoint, configured: x509.Certificate) -> PrivateKey:
        """The trustpoint's keypair on the replica; a spare key when it has none."""
        keypair = device.keypairs.get(tp.keypair_label)
        if keypair is not None:
            return keypair.private_key
        fingerprint = _fingerprint(configured)
        if fingerprint not in self._spare_keys:
            self._spare_keys[fingerprint] = key_like(configured)
        return self._spare_keys[fingerprint]

    def _issue(self, configured: x509.Certificate, key: PrivateKey) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(configured.subject)
            .issuer_name(STAND_IN_CA_NAME)
            .public_key(key.public_key())
            .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
            .not_valid_before(max(configured.not_valid_before_utc, _CA_VALIDITY[0]))
            .not_valid_after(min(configured.not_valid_after_utc, _CA_VALIDITY[1]))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._ca_key.public_key()),
                critical=False,
            )
        )
        builder = _copied_extensions(builder, configured)
        return builder.sign(self._ca_key, hashes.SHA256())

"""The client certificate a probe presents: certificate, private key and CA chain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from probes.names import display_name

ClientKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class ClientIdentityError(ValueError):
    """A client identity could not be loaded; the message says which file and why."""


def _read(path: str | Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ClientIdentityError(f"{what} file {path} does not exist") from None
    except OSError as error:
        raise ClientIdentityError(f"cannot read {what} file {path}: {error.strerror}") from None


def _public_der(key: object) -> bytes:
    assert isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _supported_key(key: object, source: str) -> ClientKey:
    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return key
    raise ClientIdentityError(
        f"{source} holds a {type(key).__name__} key; only RSA and EC keys are supported"
    )


@dataclass(frozen=True)
class ClientIdentity:
    certificate: x509.Certificate
    private_key: ClientKey
    chain: tuple[x509.Certificate, ...] = ()

    def __post_init__(self) -> None:
        if _public_der(self.private_key.public_key()) != _public_der(self.certificate.public_key()):
            raise ClientIdentityError(
                f"the private key does not belong to the certificate {self.subject}"
            )

    @property
    def subject(self) -> str:
        return display_name(self.certificate.subject)

    @classmethod
    def from_objects(
        cls,
        certificate: x509.Certificate,
        private_key: object,
        chain: Sequence[x509.Certificate] = (),
    ) -> ClientIdentity:
        return cls(certificate, _supported_key(private_key, "the key given"), tuple(chain))

    @classmethod
    def from_pem_files(
        cls, cert_path: str | Path, key_path: str | Path, passphrase: bytes | None = None
    ) -> ClientIdentity:
        """The certificate file may hold the CA chain too; the key's certificate is the identity."""
        cert_data = _read(cert_path, "certificate")
        key_data = _read(key_path, "key")
        try:
            certificates = x509.load_pem_x509_certificates(cert_data)
        except ValueError:
            raise ClientIdentityError(f"{cert_path} holds no PEM certificate") from None
        try:
            key = serialization.load_pem_private_key(key_data, passphrase)
        except TypeError:
            if passphrase is None:
                raise ClientIdentityError(
                    f"the key in {key_path} is encrypted: give its passphrase"
                ) from None
            raise ClientIdentityError(f"the key in {key_path} is not encrypted") from None
        except ValueError:
            if passphrase is not None and b"ENCRYPTED" in key_data:
                raise ClientIdentityError(f"wrong passphrase for the key in {key_path}") from None
            raise ClientIdentityError(f"{key_path} holds no readable PEM private key") from None
        private_key = _supported_key(key, str(key_path))
        wanted = _public_der(private_key.public_key())
        for index, certificate in enumerate(certificates):
            if _public_der(certificate.public_key()) == wanted:
                rest = certificates[:index] + certificates[index + 1 :]
                return cls(certificate, private_key, tuple(rest))
        raise ClientIdentityError(
            f"no certificate in {cert_path} belongs to the private key in {key_path}"
        )

    @classmethod
    def from_pkcs12(cls, path: str | Path, passphrase: bytes) -> ClientIdentity:
        data = _read(path, "PKCS#12")
        try:
            key, certificate, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except ValueError:
            raise ClientIdentityError(
                f"cannot open {path}: wrong passphrase, or not a PKCS#12 file"
            ) from None
        if certificate is None or key is None:
            raise ClientIdentityError(f"{path} does not hold both a certificate and its key")
        return cls(certificate, _supported_key(key, str(path)), tuple(extra))

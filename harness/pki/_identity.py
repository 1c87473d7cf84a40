"""An issued certificate with its key and chain, and the files and bundles made from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from harness.pki._keys import PrivateKey


@dataclass(frozen=True)
class IssuedIdentity:
    """A certificate, its private key and the CA certificates above it (issuer first)."""

    certificate: x509.Certificate
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def chain_pem(self) -> bytes:
        """The certificate followed by its CA certificates, as a server would send them."""
        return self.cert_pem + b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in self.chain
        )

    def key_pem(self, passphrase: bytes | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def pkcs12(self, passphrase: bytes, *, name: str | None = None) -> bytes:
        """A PKCS#12 bundle: key + certificate + CA chain, encrypted with ``passphrase``."""
        label = (name or self.common_name or "identity").encode()
        return pkcs12.serialize_key_and_certificates(
            label,
            self.private_key,
            self.certificate,
            list(self.chain) or None,
            serialization.BestAvailableEncryption(passphrase),
        )

    @property
    def common_name(self) -> str | None:
        attrs = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else None

    def write(self, folder: Path, stem: str) -> tuple[Path, Path]:
        """Write ``stem.pem`` (certificate + chain) and ``stem.key`` (mode 0600); return both."""
        folder.mkdir(parents=True, exist_ok=True)
        cert_path = folder / f"{stem}.pem"
        key_path = folder / f"{stem}.key"
        cert_path.write_bytes(self.chain_pem)
        key_path.touch(mode=0o600)
        key_path.chmod(0o600)
        key_path.write_bytes(self.key_pem())
        return cert_path, key_path

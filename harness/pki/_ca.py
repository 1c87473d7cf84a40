"""Certificate authorities of the lab: a root, intermediates below it, and what they issue."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from collections.abc import Iterable, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID

from harness.pki._identity import IssuedIdentity
from harness.pki._keys import PrivateKey, generate_key
from harness.pki._names import NameSpec, build_name

EKU_NAMES: dict[str, x509.ObjectIdentifier] = {
    "serverAuth": ExtendedKeyUsageOID.SERVER_AUTH,
    "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING,
    "emailProtection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "ipsecIKE": ExtendedKeyUsageOID.IPSEC_IKE,
}

_SLACK = dt.timedelta(minutes=5)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _eku_oid(name: str) -> x509.ObjectIdentifier:
    if name in EKU_NAMES:
        return EKU_NAMES[name]
    if name.replace(".", "").isdigit():
        return x509.ObjectIdentifier(name)
    raise ValueError(f"unknown extended key usage {name!r}: use {', '.join(EKU_NAMES)} or an OID")


def _san_entries(names: Iterable[str]) -> list[x509.GeneralName]:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            if "@" in name:
                entries.append(x509.RFC822Name(name))
            else:
                entries.append(x509.DNSName(name))
    return entries


def _hash_for(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


class CertificateAuthority:
    """A CA that can issue certificates and sign CSRs. Create roots with :class:`LabCA`."""

    def __init__(
        self,
        certificate: x509.Certificate,
        private_key: PrivateKey,
        parents: tuple[x509.Certificate, ...] = (),
    ) -> None:
        self.certificate = certificate
        self.private_key = private_key
        self.parents = parents

    @property
    def identity(self) -> IssuedIdentity:
        return IssuedIdentity(self.certificate, self.private_key, self.parents)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """This CA's certificate followed by its parents (what a leaf's chain continues with)."""
        return (self.certificate, *self.parents)

    def intermediate(
        self,
        name: NameSpec,
        *,
        key: str = "rsa2048",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        path_length: int | None = 0,
    ) -> CertificateAuthority:
        """Create a subordinate CA signed by this one."""
        subject = build_name({"CN": name} if isinstance(name, str) and "=" not in name else name)
        private_key = generate_key(key)
        start = not_before or (_now() - _SLACK)
        end = not_after or min(
            start + dt.timedelta(days=5 * 365), self.certificate.not_valid_after_utc
        )
        certificate = self._sign(
            subject,
            private_key.public_key(),
            start,
            end,
            ca=True,
            path_length=path_length,
        )
        return CertificateAuthority(certificate, private_key, self.chain)

    def issue(
        self,
        subject: NameSpec,
        *,
        sans: Sequence[str] = (),
        eku: Sequence[str] = ("serverAuth",),
        key: str | PrivateKey = "rsa2048",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        valid_days: int = 365,
    ) -> IssuedIdentity:
        """Issue an end-entity certificate with a fresh key (or the key given)."""
        private_key = generate_key(key) if isinstance(key, str) else key
        start = not_before or (_now() - _SLACK)
        end = not_after or (start + dt.timedelta(days=valid_days))
        certificate = self._sign(
            build_name(subject), private_key.public_key(), start, end, sans=sans, eku=eku
        )
        return IssuedIdentity(certificate, private_key, self.chain)

    def issue_server(self, hostname: str, **options: object) -> IssuedIdentity:
        """A TLS server certificate: CN and SAN ``hostname`` (plus any ``sans``), EKU serverAuth."""
        sans = list(options.pop("sans", ()))  # type: ignore[call-overload]
        if hostname not in sans:
            sans.insert(0, hostname)
        subject = options.pop("subject", {"CN": hostname})
        return self.issue(subject, sans=sans, **options)  # type: ignore[arg-type]

    def issue_client(
        self, **attributes: str | Sequence[str] | PrivateKey | dt.datetime | int
    ) -> IssuedIdentity:
        """A TLS client certificate with the given subject attributes (``CN=``, ``OU=`` ...).

        Options ``key``, ``eku``, ``not_before``, ``not_after``, ``valid_days`` and ``sans``
        are taken out of the keyword arguments; the rest form the subject.
        """
        options: dict[str, object] = {
            k: attributes.pop(k) for k in list(attributes) if k in _ISSUE_OPTIONS
        }
        options.setdefault("eku", ("clientAuth",))
        return self.issue(attributes, **options)  # type: ignore[arg-type]

    def sign_csr(
        self,
        csr_pem: bytes | str,
        *,
        sans: Sequence[str] | None = None,
        eku: Sequence[str] = ("serverAuth", "clientAuth"),
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        valid_days: int = 365,
    ) -> x509.Certificate:
        """Sign a PKCS#10 request, keeping its subject; SANs default to the subject's CN."""
        data = csr_pem.encode() if isinstance(csr_pem, str) else csr_pem
        csr = x509.load_pem_x509_csr(data)
        if not csr.is_signature_valid:
            raise ValueError("the certificate request's signature does not verify")
        if sans is None:
            cns = csr.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
            sans = [str(cns[0].value)] if cns else []
        start = not_before or (_now() - _SLACK)
        end = not_after or (start + dt.timedelta(days=valid_days))
        public_key = csr.public_key()
        return self._sign(csr.subject, public_key, start, end, sans=sans, eku=eku)

    def _sign(
        self,
        subject: x509.Name,
        public_key: CertificatePublicKeyTypes,
        not_before: dt.datetime,
        not_after: dt.datetime,
        *,
        ca: bool = False,
        path_length: int | None = None,
        sans: Sequence[str] = (),
        eku: Sequence[str] = (),
    ) -> x509.Certificate:
        return _build(
            subject=subject,
            issuer=self.certificate.subject,
            public_key=public_key,
            signing_key=self.private_key,
            issuer_public_key=self.certificate.public_key(),
            not_before=not_before,
            not_after=not_after,
            ca=ca,
            path_length=path_length,
            sans=sans,
            eku=eku,
        )


_ISSUE_OPTIONS = {"key", "eku", "not_before", "not_after", "valid_days", "sans"}


def _build(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key: CertificatePublicKeyTypes,
    signing_key: PrivateKey,
    issuer_public_key: CertificatePublicKeyTypes,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool,
    path_length: int | None,
    sans: Sequence[str],
    eku: Sequence[str],
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public_key),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if ca:
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        )
    else:
        is_ec = isinstance(public_key, ec.EllipticCurvePublicKey)
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=not is_ec,
            data_encipherment=False,
            key_agreement=is_ec,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
    builder = builder.add_extension(usage, critical=True)
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(_san_entries(sans)), critical=False
        )
    if eku:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([_eku_oid(name) for name in eku]), critical=False
        )
    return builder.sign(signing_key, _hash_for(signing_key))


class LabCA(CertificateAuthority):
    """A self-signed root CA, fresh keys every time it is created."""

    def __init__(
        self,
        name: NameSpec = "Lab Root CA",
        *,
        key: str = "rsa2048",
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
    ) -> None:
        subject = build_name({"CN": name} if isinstance(name, str) and "=" not in name else name)
        private_key = generate_key(key)
        start = not_before or (_now() - dt.timedelta(days=1))
        end = not_after or (start + dt.timedelta(days=10 * 365))
        certificate = _build(
            subject=subject,
            issuer=subject,
            public_key=private_key.public_key(),
            signing_key=private_key,
            issuer_public_key=private_key.public_key(),
            not_before=start,
            not_after=end,
            ca=True,
            path_length=None,
            sans=(),
            eku=(),
        )
        super().__init__(certificate, private_key)

"""``show crypto ca certificates [TP]`` in the 9.23 or legacy layout (asa-cli.md section 3)."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID

from lab.emulator import certs
from lab.emulator.device import Device

_SIG_923 = {
    ("rsa", "sha1"): "RSA-SHA1",
    ("rsa", "sha256"): "RSA-SHA256",
    ("rsa", "sha384"): "RSA-SHA384",
    ("rsa", "sha512"): "RSA-SHA512",
    ("ecdsa", "sha256"): "ecdsa-with-SHA256",
    ("ecdsa", "sha384"): "ecdsa-with-SHA384",
    ("ecdsa", "sha512"): "ecdsa-with-SHA512",
}


def signature_algorithm(certificate: x509.Certificate, profile: str) -> str:
    name = certificate.signature_algorithm_oid._name.lower()
    family = "ecdsa" if "ecdsa" in name else "rsa"
    digest = certificate.signature_hash_algorithm
    hash_name = digest.name if digest is not None else "unknown"
    if profile == "9.23":
        return _SIG_923.get((family, hash_name), name)
    label = "ECDSA" if family == "ecdsa" else "RSA"
    return f"{hash_name.upper()} with {label} Encryption"


def public_key_type(certificate: x509.Certificate) -> str:
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA ({key.key_size} bits)"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"ECDSA ({key.curve.key_size} bits)"
    return "Unknown"


def certificate_usage(certificate: x509.Certificate) -> str:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "General Purpose"
    if usage.key_cert_sign:
        return "Signature"
    encrypts = usage.key_encipherment or usage.key_agreement
    if usage.digital_signature and (
        encrypts or isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    ):
        return "General Purpose"
    if encrypts:
        return "Encryption"
    return "Signature" if usage.digital_signature else "General Purpose"


def _distribution_lines(certificate: x509.Certificate) -> list[str]:
    lines: list[str] = []
    try:
        aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp = [d for d in aia if d.access_method == AuthorityInformationAccessOID.OCSP]
        if ocsp:
            lines.append("  OCSP AIA:")
            lines.extend(f"    URL: {d.access_location.value}" for d in ocsp)
    except x509.ExtensionNotFound:
        pass
    try:
        cdp = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        urls = [n.value for point in cdp for n in (point.full_name or [])]
        if urls:
            lines.append("  CRL Distribution Points:")
            lines.extend(f"    [{i}]  {url}" for i, url in enumerate(urls, start=1))
    except x509.ExtensionNotFound:
        pass
    return lines


def certificate_block(device: Device, certificate: x509.Certificate, *, is_ca: bool) -> list[str]:
    profile = device.profile
    clock = device.clock
    lines = [
        "CA Certificate" if is_ca else "Certificate",
        "  Status: Available",
        f"  Certificate Serial Number: {certs.serial_hex(certificate)}",
        f"  Certificate Usage: {certificate_usage(certificate)}",
        f"  Public Key Type: {public_key_type(certificate)}",
        f"  Signature Algorithm: {signature_algorithm(certificate, profile)}",
        "  Issuer Name:",
        *(f"    {line}" for line in certs.dn_lines(certificate.issuer, profile)),
        "  Subject Name:",
        *(f"    {line}" for line in certs.dn_lines(certificate.subject, profile)),
        *_distribution_lines(certificate),
        "  Validity Date:",
        f"    start date: {clock.format_stamp(certificate.not_valid_before_utc)}",
        f"    end   date: {clock.format_stamp(certificate.not_valid_after_utc)}",
    ]
    if profile == "9.23":
        lines.append("  Storage: config")
    holders = " ".join(device.trustpoints_holding(certificate))
    lines.extend([f"  Associated Trustpoints: {holders}", ""])
    return lines


def show_crypto_ca_certificates(device: Device, trustpoint: str | None = None) -> list[str]:
    """Every certificate once, trustpoints in config order; 9.23 prints CA before identity."""
    names = [trustpoint] if trustpoint else list(device.trustpoints)
    printed: list[x509.Certificate] = []
    lines: list[str] = []
    for name in names:
        tp = device.trustpoints.get(name)
        if tp is None:
            continue
        entries = [(c, True) for c in tp.ca_certificates]
        if tp.identity_certificate is not None:
            identity = [(tp.identity_certificate, False)]
            entries = entries + identity if device.profile == "9.23" else identity + entries
        for certificate, is_ca in entries:
            if certificate in printed:
                continue
            printed.append(certificate)
            lines.extend(certificate_block(device, certificate, is_ca=is_ca))
    return lines

"""``show ssl`` and ``show ssl certificate`` (asa-cli.md section 5; the layout is
[RECONSTRUCTED] except the first four lines, which a public tool's tests use verbatim,
and the ``Interface <nameif>: <trustpoint> (...)`` shape a public parser relies on)."""

from __future__ import annotations

from cryptography import x509

from lab.emulator import certs
from lab.emulator.device import Device, PrivateKey
from lab.emulator.render.certificates import certificate_block, signature_algorithm
from lab.rules.server_identity import select_server_identity

_HEADER = (
    "Accept connections using SSLv3 or greater and negotiate to TLSv1.2 or greater",
    "Start connections using TLSv1.2 and negotiate to TLSv1.2 or greater",
    "SSL DH Group: group14 (2048-bit modulus, FIPS)",
    "SSL ECDH Group: group19 (256-bit EC)",
)


def describe(certificate: x509.Certificate) -> str:
    """``RSA 2048 bits RSA-SHA256`` (key, size, signature algorithm)."""
    kind = certs.key_kind(certificate).upper().replace("ECDSA", "EC")
    return f"{kind} {certs.key_bits(certificate)} bits {signature_algorithm(certificate, '9.23')}"


def _binding(device: Device, trustpoint: str) -> str:
    tp = device.trustpoints.get(trustpoint)
    if tp is None or tp.identity_certificate is None:
        return f"{trustpoint} (no certificate)"
    return f"{trustpoint} ({describe(tp.identity_certificate)})"


def show_ssl(device: Device) -> list[str]:
    temporary, _key = certs.temporary_identity(device)
    ssl = device.ssl
    lines = [
        *_HEADER,
        "",
        "SSL trust-points:",
        f"  Self-signed ({describe(temporary)}) certificate available",
    ]
    for nameif in device.nameifs():
        bound = ssl.interface_trustpoints.get(nameif) or ssl.global_trustpoint
        if bound:
            lines.append(f"  Interface {nameif}: {_binding(device, bound)}")
    for fqdn, (trustpoint, only_on) in ssl.domain_trustpoints.items():
        where = f" on {only_on}" if only_on else ""
        lines.append(f"  Domain {fqdn}{where}: {_binding(device, trustpoint)}")
    lines.extend(["", "Certificate authentication is not enabled"])
    return lines


def show_ssl_certificate(device: Device) -> list[str]:
    """What each webvpn interface serves without SNI, then each SNI domain binding."""

    def temporary() -> tuple[x509.Certificate, PrivateKey]:
        return certs.temporary_identity(device)

    lines: list[str] = []
    for nameif in device.webvpn_nameifs():
        served = select_server_identity(device, nameif, None, temporary)
        name = served.trustpoint or "ASA Temporary Self Signed Certificate"
        lines.extend(
            [
                f"Interface {nameif}: {name}",
                *certificate_block(device, served.certificate, is_ca=False),
            ]
        )
    for fqdn, (_trustpoint, only_on) in device.ssl.domain_trustpoints.items():
        for where in [only_on] if only_on else device.webvpn_nameifs()[:1]:
            served = select_server_identity(device, where, fqdn, temporary)
            if served.source == "domain":
                lines.extend(
                    [
                        f"Domain {fqdn}: {served.trustpoint}",
                        *certificate_block(device, served.certificate, is_ca=False),
                    ]
                )
    return lines

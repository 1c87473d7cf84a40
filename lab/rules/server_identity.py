"""Which certificate an interface serves for a given SNI name (asa-cli.md section 9.2).

Order: ``ssl trust-point TP [nameif] domain FQDN`` when SNI equals FQDN; else the
trustpoint bound to the interface; else the one bound without an interface; else the
ASA's temporary self-signed certificate. A bound trustpoint that cannot serve (no
identity certificate, or its keypair is gone) is skipped, and the reason is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cryptography import x509

from lab.emulator.device import Device, PrivateKey, Trustpoint

Source = Literal["domain", "interface", "global", "temporary"]


@dataclass(frozen=True)
class ServedIdentity:
    source: Source
    trustpoint: str | None
    certificate: x509.Certificate
    ca_certificates: tuple[x509.Certificate, ...]
    private_key: PrivateKey
    explanation: str

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """What goes on the wire: identity first, then the trustpoint's CA certificates."""
        return (self.certificate, *self.ca_certificates)


def _usable(device: Device, tp: Trustpoint | None) -> tuple[x509.Certificate, PrivateKey] | str:
    if tp is None:
        return "the trustpoint does not exist"
    if tp.identity_certificate is None:
        return f"trustpoint {tp.name} has no identity certificate"
    keypair = device.keypairs.get(tp.keypair or "<Default-RSA-Key>")
    if keypair is None:
        return f"trustpoint {tp.name}'s keypair {tp.keypair or '<Default-RSA-Key>'} does not exist"
    if keypair.private_key.public_key().public_numbers() != (
        tp.identity_certificate.public_key().public_numbers()  # type: ignore[union-attr]
    ):
        return f"trustpoint {tp.name}'s certificate does not match keypair {keypair.label}"
    return tp.identity_certificate, keypair.private_key


def _candidates(device: Device, nameif: str, sni: str | None) -> list[tuple[Source, str, str]]:
    ssl = device.ssl
    found: list[tuple[Source, str, str]] = []
    if sni:
        binding = ssl.domain_trustpoints.get(sni.lower().rstrip("."))
        if binding is not None and binding[1] in (None, nameif):
            found.append(
                ("domain", binding[0], f"SNI {sni} matches 'ssl trust-point {binding[0]} domain'")
            )
    if nameif in ssl.interface_trustpoints:
        tp = ssl.interface_trustpoints[nameif]
        found.append(("interface", tp, f"'ssl trust-point {tp} {nameif}' binds it to {nameif}"))
    if ssl.global_trustpoint:
        tp = ssl.global_trustpoint
        found.append(("global", tp, f"'ssl trust-point {tp}' applies to every interface"))
    return found


def select_server_identity(
    device: Device, nameif: str, sni: str | None, temporary: tuple[x509.Certificate, PrivateKey]
) -> ServedIdentity:
    skipped: list[str] = []
    for source, name, why in _candidates(device, nameif, sni):
        tp = device.trustpoints.get(name)
        usable = _usable(device, tp)
        if isinstance(usable, str):
            skipped.append(usable)
            continue
        assert tp is not None
        certificate, key = usable
        return ServedIdentity(source, name, certificate, tuple(tp.ca_certificates), key, why)
    reason = "no trustpoint is bound to " + nameif
    if skipped:
        reason = "; ".join(skipped)
    return ServedIdentity(
        "temporary",
        None,
        temporary[0],
        (),
        temporary[1],
        f"the ASA serves its temporary self-signed certificate: {reason}",
    )

"""Which certificate an interface serves for a given SNI name (asa-cli.md section 9.2).

Order: ``ssl trust-point TP [nameif] domain FQDN`` when SNI equals FQDN; else the
trustpoint bound to the interface; else the one bound without an interface; else the
ASA's temporary self-signed certificate. A bound trustpoint that cannot serve (no
identity certificate, or its keypair is gone) is skipped, and the reason is kept.

Replicas (a virtual ASA booted from a production configuration, docs/replica.md) hold the
configured certificates but not always their private keys. Such a trustpoint may have a
*stand-in*: a certificate with the same subject and SANs, issued by an obviously named
"REPLICA STAND-IN" CA. A stand-in is an explicit input here, and choosing it is an
explained decision (``stand_in=True``), never a silent swap.

:func:`choose_server_identity` is the rule itself, a pure function of the device, the
inputs and a key lookup (label -> public key): the listener's lookup reads the device's
keypairs, the oracle's reads ``show crypto key mypubkey``. :func:`select_server_identity`
is the listener's form, which also hands out the private key to serve with.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from lab.emulator.device import DEFAULT_RSA_LABEL, Device, PrivateKey, Trustpoint

Source = Literal["domain", "interface", "global", "temporary"]

#: keypair label -> its public key, or None when the device has no keypair of that label.
KeyLookup = Callable[[str], PublicKeyTypes | None]


@dataclass(frozen=True)
class StandIn:
    """A labelled replacement for trustpoint ``trustpoint``'s identity certificate
    ``replaces``, whose private key the replica does not have."""

    trustpoint: str
    replaces: x509.Certificate
    certificate: x509.Certificate
    ca_certificates: tuple[x509.Certificate, ...]
    private_key: PrivateKey


@dataclass(frozen=True)
class IdentityChoice:
    """The decision, without key material: which trustpoint serves and why.

    ``certificate`` is the trustpoint's configured identity certificate (for a stand-in:
    the one the stand-in replaces); None for the temporary self-signed certificate, which
    no configuration shows."""

    source: Source
    trustpoint: str | None
    certificate: x509.Certificate | None
    ca_certificates: tuple[x509.Certificate, ...]
    explanation: str
    stand_in: bool = False
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServedIdentity:
    source: Source
    trustpoint: str | None
    certificate: x509.Certificate
    ca_certificates: tuple[x509.Certificate, ...]
    private_key: PrivateKey
    explanation: str
    #: True when a replica serves a REPLICA STAND-IN certificate for ``trustpoint``.
    stand_in: bool = False
    #: For a stand-in: the configured identity certificate it stands in for.
    configured_certificate: x509.Certificate | None = None

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """What goes on the wire: identity first, then the trustpoint's CA certificates."""
        return (self.certificate, *self.ca_certificates)


def device_key_lookup(device: Device) -> KeyLookup:
    """The public keys of the device's own keypairs (the listener's view)."""

    def lookup(label: str) -> PublicKeyTypes | None:
        keypair = device.keypairs.get(label)
        return keypair.private_key.public_key() if keypair is not None else None

    return lookup


def _same_key(one: PublicKeyTypes, other: PublicKeyTypes) -> bool:
    return bool(one == other)


def _key_problem(tp: Trustpoint, certificate: x509.Certificate, keys: KeyLookup) -> str | None:
    """Why the trustpoint's key cannot serve ``certificate``; None when it can."""
    label = tp.keypair or DEFAULT_RSA_LABEL
    public_key = keys(label)
    if public_key is None:
        return f"trustpoint {tp.name}'s keypair {label} does not exist"
    if not _same_key(public_key, certificate.public_key()):
        return f"trustpoint {tp.name}'s certificate does not match keypair {label}"
    return None


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


def choose_server_identity(
    device: Device,
    nameif: str,
    sni: str | None,
    *,
    keys: KeyLookup,
    stand_ins: Collection[str] = (),
) -> IdentityChoice:
    """The rule: which trustpoint interface ``nameif`` serves for ``sni``.

    ``keys`` gives the public key of a keypair label; ``stand_ins`` names the trustpoints
    for which a REPLICA STAND-IN may be served when their own key is missing."""
    skipped: list[str] = []
    for source, name, why in _candidates(device, nameif, sni):
        tp = device.trustpoints.get(name)
        if tp is None:
            skipped.append("the trustpoint does not exist")
            continue
        if tp.identity_certificate is None:
            skipped.append(f"trustpoint {tp.name} has no identity certificate")
            continue
        problem = _key_problem(tp, tp.identity_certificate, keys)
        if problem is None:
            return IdentityChoice(
                source,
                name,
                tp.identity_certificate,
                tuple(tp.ca_certificates),
                why,
                skipped=tuple(skipped),
            )
        if name in stand_ins:
            return IdentityChoice(
                source,
                name,
                tp.identity_certificate,
                tuple(tp.ca_certificates),
                f"{why}; {problem}: this replica has the certificate (it is in the "
                "configuration) but not its private key, so it serves a REPLICA STAND-IN "
                "certificate with the same subject and SANs, issued by the REPLICA STAND-IN CA",
                stand_in=True,
                skipped=tuple(skipped),
            )
        skipped.append(problem)
    reason = "no trustpoint is bound to " + nameif
    if skipped:
        reason = "; ".join(skipped)
    return IdentityChoice(
        "temporary",
        None,
        None,
        (),
        f"the ASA serves its temporary self-signed certificate: {reason}",
        skipped=tuple(skipped),
    )


def select_server_identity(
    device: Device,
    nameif: str,
    sni: str | None,
    temporary: tuple[x509.Certificate, PrivateKey]
    | Callable[[], tuple[x509.Certificate, PrivateKey]],
    *,
    stand_ins: Mapping[str, StandIn] | None = None,
) -> ServedIdentity:
    """The listener's form of the rule: the choice plus the key to serve it with.

    ``temporary`` may be a function: the temporary certificate (an RSA key generation) is
    then made only when the rule falls back to it."""
    usable_stand_ins = {
        name: stand_in
        for name, stand_in in (stand_ins or {}).items()
        if name in device.trustpoints
        and device.trustpoints[name].identity_certificate == stand_in.replaces
    }
    choice = choose_server_identity(
        device, nameif, sni, keys=device_key_lookup(device), stand_ins=usable_stand_ins
    )
    if choice.source == "temporary" or choice.trustpoint is None:
        certificate, key = temporary() if callable(temporary) else temporary
        return ServedIdentity("temporary", None, certificate, (), key, choice.explanation)
    assert choice.certificate is not None
    if choice.stand_in:
        stand_in = usable_stand_ins[choice.trustpoint]
        return ServedIdentity(
            choice.source,
            choice.trustpoint,
            stand_in.certificate,
            stand_in.ca_certificates,
            stand_in.private_key,
            choice.explanation,
            stand_in=True,
            configured_certificate=choice.certificate,
        )
    keypair = device.keypairs[device.trustpoints[choice.trustpoint].keypair_label]
    return ServedIdentity(
        choice.source,
        choice.trustpoint,
        choice.certificate,
        choice.ca_certificates,
        keypair.private_key,
        choice.explanation,
    )

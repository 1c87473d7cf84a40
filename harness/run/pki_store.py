"""The lab PKI of one scenario, built from its ``pki:`` section.

Within one run the same specification gives the same CA and certificates (built once per
process and reused: key generation is the slow part); every run starts fresh.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar, cast

from cryptography import x509

from harness.errors import StepError
from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from harness.scenario.model import CaSpec, CertificateSpec, PkiSpec
from harness.timespec import parse_time

_CACHE: dict[str, object] = {}
T = TypeVar("T")


def _key(*parts: object) -> str:
    return json.dumps(parts, sort_keys=True, default=str)


def _time(text: str | None) -> dt.datetime | None:
    return parse_time(text) if text else None


@dataclass
class PkiStore:
    cas: dict[str, CertificateAuthority] = field(default_factory=dict)
    identities: dict[str, IssuedIdentity] = field(default_factory=dict)
    signed: dict[str, x509.Certificate] = field(default_factory=dict)
    csrs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, spec: PkiSpec) -> PkiStore:
        store = cls()
        recipes: dict[str, str] = {}
        for ca in spec.cas:
            recipe = _key(ca.model_dump(), recipes.get(ca.issuer or ""))
            recipes[ca.name] = recipe
            store.cas[ca.name] = _cached(recipe, partial(store._make_ca, ca))
        for certificate in spec.certificates:
            recipe = _key(certificate.model_dump(), recipes[certificate.issuer])
            store.identities[certificate.name] = _cached(
                recipe,
                lambda c=certificate: store._make_certificate(c),  # type: ignore[misc]
            )
        return store

    def _make_ca(self, spec: CaSpec) -> CertificateAuthority:
        if spec.issuer is None:
            return LabCA(
                spec.subject,
                key=spec.key,
                not_before=_time(spec.not_before),
                not_after=_time(spec.not_after),
            )
        return self.cas[spec.issuer].intermediate(
            spec.subject,
            key=spec.key,
            not_before=_time(spec.not_before),
            not_after=_time(spec.not_after),
        )

    def _make_certificate(self, spec: CertificateSpec) -> IssuedIdentity:
        issuer = self.cas[spec.issuer]
        eku = (
            spec.eku
            if spec.eku is not None
            else (["serverAuth"] if spec.kind == "server" else ["clientAuth"])
        )
        return issuer.issue(
            spec.subject,
            sans=spec.sans,
            eku=eku,
            key=spec.key,
            not_before=_time(spec.not_before),
            not_after=_time(spec.not_after),
            valid_days=spec.valid_days,
        )

    # ------------------------------------------------------------ lookups with clear errors

    def ca(self, name: str) -> CertificateAuthority:
        if name not in self.cas:
            raise StepError(f"no lab CA named {name!r} (pki.cas: {', '.join(self.cas) or 'none'})")
        return self.cas[name]

    def identity(self, name: str) -> IssuedIdentity:
        if name not in self.identities:
            raise StepError(
                f"no lab certificate named {name!r} "
                f"(pki.certificates: {', '.join(self.identities) or 'none'})"
            )
        return self.identities[name]

    def certificate(self, name: str) -> x509.Certificate:
        """A certificate by name: one signed from a device CSR, a lab certificate or a CA."""
        if name in self.signed:
            return self.signed[name]
        if name in self.identities:
            return self.identities[name].certificate
        if name in self.cas:
            return self.cas[name].certificate
        known = ", ".join([*self.signed, *self.identities, *self.cas]) or "none"
        raise StepError(f"no certificate named {name!r} (known: {known})")


def _cached(recipe: str, make: Callable[[], T]) -> T:
    if recipe not in _CACHE:
        _CACHE[recipe] = make()
    return cast(T, _CACHE[recipe])

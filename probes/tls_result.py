"""What one TLS handshake showed: the records :func:`probes.tls.handshake` returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cryptography import x509

FailureKind = Literal[
    "refused",
    "timeout",
    "reset",
    "dns",
    "alert",
    "client_cert_required",
    "unknown_ca",
    "protocol",
    "closed",
]

#: Kinds that mean the probe never got a TLS conversation going (nothing was judged).
CONNECTION_KINDS: frozenset[FailureKind] = frozenset(
    {"refused", "timeout", "reset", "dns", "protocol", "closed"}
)


@dataclass(frozen=True)
class HandshakeFailure:
    kind: FailureKind
    message: str
    alert: str | None = None


@dataclass(frozen=True)
class Timings:
    connect_ms: float | None
    handshake_ms: float | None
    total_ms: float


@dataclass(frozen=True)
class HandshakeResult:
    ok: bool
    peer: str
    sni: str | None
    served_chain: tuple[x509.Certificate, ...]
    tls_version: str | None
    cipher: str | None
    #: None when the handshake stopped before the server could have asked.
    client_cert_requested: bool | None
    client_ca_names: tuple[str, ...]
    client_cert_sent: bool
    failure: HandshakeFailure | None
    timings: Timings

    @property
    def leaf(self) -> x509.Certificate | None:
        return self.served_chain[0] if self.served_chain else None

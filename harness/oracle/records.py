"""What the oracle computes and finds, as frozen records (docs/oracle.md).

The matrix: one row per client class, one column per (interface, SNI); each cell holds
what the rules expect, what the probe observed, and the deviations between the two.
``None`` always means "could not be determined", never "no".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cryptography import x509

from harness.scenario.model import DeviationAspect
from lab.emulator.device import PrivateKey

ClassKind = Literal["no-certificate", "unknown-ca", "trusted", "map"]
CellStatus = Literal["pass", "fail", "not-probed"]
#: The aspects of a cell the oracle compares; a scenario's expected deviations name them.
Aspect = DeviationAspect

#: Words of the served-certificate vocabulary shared by expectation and observation.
TEMPORARY = "temporary self-signed certificate"


def trustpoint_label(name: str) -> str:
    return f"trustpoint {name}"


def stand_in_label(name: str) -> str:
    return f"REPLICA STAND-IN for trustpoint {name}"


@dataclass(frozen=True)
class Column:
    """Where a client connects: an interface with ``webvpn`` / ``enable``, and an SNI name
    (None: a ClientHello without SNI)."""

    interface: str
    sni: str | None

    @property
    def id(self) -> str:
        return f"{self.interface}/{self.sni or '-'}"

    @property
    def label(self) -> str:
        return f"{self.interface}, " + (f"SNI {self.sni}" if self.sni else "no SNI")


@dataclass(frozen=True)
class ClientMaterial:
    """A certificate the probe can present: with its key and the CA certificates above it."""

    certificate: x509.Certificate
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class ClientClass:
    """A class of client the certificate maps tell apart.

    ``certificate`` is what the expectation is computed with; ``material`` is what the
    probe presents (None: no certificate, or a described class that cannot be probed)."""

    id: str
    label: str
    kind: ClassKind
    needs: tuple[str, ...]
    origin: str
    certificate: x509.Certificate | None = None
    material: ClientMaterial | None = None
    described: bool = False  # the certificate is described, not held: cells are not probed
    map_entry: str | None = None


@dataclass(frozen=True)
class ExpectedIdentity:
    served: str  # "trustpoint X", "REPLICA STAND-IN for trustpoint X" or TEMPORARY
    trustpoint: str | None
    source: str  # domain, interface, global, temporary
    stand_in: bool
    chain_sha256: tuple[str, ...]  # empty when the certificate is not in the configuration
    chain_subjects: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ExpectedRequest:
    requested: bool
    ca_names: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class ExpectedLogin:
    certificate_presented: bool
    certificate_valid: bool  # the rules' verdict (assumed for a described class: see the reason)
    certificate_reason: str
    tunnel_group: str
    decided_by: str
    group_url: str | None
    outcome: str  # the probe's vocabulary: auth-request, complete, cert-validation-failure
    explanation: str


@dataclass(frozen=True)
class ExpectedCell:
    column: Column
    client: str
    address: str | None  # HOST:PORT the probe uses; None when the target has none
    identity: ExpectedIdentity
    request: ExpectedRequest
    login: ExpectedLogin | None  # None: no certificate could be built for the class


@dataclass(frozen=True)
class Observation:
    address: str
    handshake_ok: bool
    failure: str | None
    served: str | None  # in the vocabulary of ExpectedIdentity.served; None: nothing served
    chain_sha256: tuple[str, ...]
    chain_subjects: tuple[str, ...]
    client_cert_requested: bool | None
    client_ca_names: tuple[str, ...]
    client_cert_sent: bool
    outcome: str | None
    tunnel_group: str | None
    tunnel_group_source: str | None  # "xml", "session table"; None: not observed
    error: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deviation:
    aspect: Aspect
    expected: str
    observed: str
    rule: str  # the expectation's explanation (the rule that produced it)
    evidence: str  # what the wire showed


@dataclass(frozen=True)
class Cell:
    expected: ExpectedCell
    observed: Observation | None
    status: CellStatus
    deviations: tuple[Deviation, ...] = ()
    note: str = ""

    @property
    def column(self) -> Column:
        return self.expected.column

    @property
    def client(self) -> str:
        return self.expected.client


@dataclass(frozen=True)
class IgnoredLine:
    line_number: int
    line: str
    message: str


@dataclass(frozen=True)
class AuditMatrix:
    target: str
    config_source: str
    device_time: dt.datetime
    stand_ins: bool
    columns: tuple[Column, ...]
    classes: tuple[ClientClass, ...]
    cells: tuple[Cell, ...]
    ignored_lines: tuple[IgnoredLine, ...]
    notes: tuple[str, ...] = ()

    @property
    def deviations(self) -> tuple[tuple[Cell, Deviation], ...]:
        return tuple((cell, d) for cell in self.cells for d in cell.deviations)

    def cell(self, client: str, column: Column) -> Cell | None:
        return next((c for c in self.cells if c.client == client and c.column == column), None)

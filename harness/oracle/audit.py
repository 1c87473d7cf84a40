"""The audit: expectations from the device's configuration, then a probe of every cell.

    prepared = prepare(read_snapshot(session), request)     # nothing touches the wire yet
    matrix = probe(prepared, session, request)                # every probable cell probed

The two halves are separate so that a test (or a user) can compute the expectations from
one configuration and probe a device that runs another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.device import DeviceSession
from harness.oracle.classes import ClassInputs, plan_classes
from harness.oracle.columns import audit_columns
from harness.oracle.compare import compare, unverified
from harness.oracle.expectation import expected_cell
from harness.oracle.model import OracleModel, build_model
from harness.oracle.probing import observe
from harness.oracle.records import AuditMatrix, Cell, ClientClass, Column, ExpectedCell
from harness.oracle.sessions import SessionTable
from harness.oracle.snapshot import DeviceSnapshot


@dataclass(frozen=True)
class AuditRequest:
    target: str
    endpoints: Mapping[str, tuple[str, int]]  # nameif -> the address the probe connects to
    interfaces: tuple[str, ...] | None = None
    snis: tuple[str | None, ...] | None = None
    timeout: float = 5.0
    stand_ins: bool = False  # the target is a replica (docs/replica.md)
    inputs: ClassInputs = field(default_factory=ClassInputs)


@dataclass(frozen=True)
class PreparedAudit:
    snapshot: DeviceSnapshot
    model: OracleModel
    classes: tuple[ClientClass, ...]
    columns: tuple[Column, ...]
    expected: tuple[ExpectedCell, ...]
    notes: tuple[str, ...]


def prepare(snapshot: DeviceSnapshot, request: AuditRequest) -> PreparedAudit:
    model = build_model(snapshot, stand_ins=request.stand_ins)
    classes, class_notes = plan_classes(model, request.inputs)
    columns = audit_columns(model.device, interfaces=request.interfaces, snis=request.snis)
    expected = tuple(
        expected_cell(model, column, client, request.endpoints.get(column.interface))
        for client in classes
        for column in columns
    )
    return PreparedAudit(snapshot, model, classes, columns, expected, (*model.notes, *class_notes))


def _not_probed_reason(client: ClientClass, cell: ExpectedCell) -> str | None:
    if cell.address is None:
        return f"the target has no address for interface {cell.column.interface}"
    if cell.login is None:
        return f"no certificate could be built for this class: {client.origin}"
    if client.described:
        return "the class's certificate is described, not held (see the class)"
    return None


def _probe_cell(
    prepared: PreparedAudit,
    client: ClientClass,
    cell: ExpectedCell,
    request: AuditRequest,
    sessions: SessionTable | None,
) -> Cell:
    reason = _not_probed_reason(client, cell)
    if reason is not None:
        return Cell(cell, None, "not-probed", note=reason)
    address = request.endpoints[cell.column.interface]
    observed = observe(
        prepared.model,
        address,
        cell.column,
        client,
        expected_trustpoint=cell.identity.trustpoint,
        sessions=sessions,
        timeout=request.timeout,
    )
    deviations = compare(cell, observed)
    return Cell(
        cell,
        observed,
        "fail" if deviations else "pass",
        deviations,
        "; ".join(unverified(cell, observed)),
    )


def probe(
    prepared: PreparedAudit, session: DeviceSession | None, request: AuditRequest
) -> AuditMatrix:
    """Probe every cell that can be probed; ``session`` reads the session table (None: the
    tunnel-group of a certificate-only login stays unobserved)."""
    sessions = SessionTable(session) if session is not None else None
    by_id = {client.id: client for client in prepared.classes}
    cells = tuple(
        _probe_cell(prepared, by_id[cell.client], cell, request, sessions)
        for cell in prepared.expected
    )
    model = prepared.model
    return AuditMatrix(
        target=request.target,
        config_source=prepared.snapshot.source,
        device_time=model.at,
        stand_ins=request.stand_ins,
        columns=prepared.columns,
        classes=prepared.classes,
        cells=cells,
        ignored_lines=model.ignored,
        notes=prepared.notes,
    )

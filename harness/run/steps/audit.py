"""``audit`` step: the oracle (harness/oracle) on the scenario's device. Expectations come
from its running-config through the rules the virtual ASA uses; every interface × SNI ×
client class is probed; deviations are checked against ``expect.deviations``."""

from __future__ import annotations

from harness.oracle import (
    AuditMatrix,
    AuditRequest,
    Cell,
    ClassInputs,
    ClientMaterial,
    Deviation,
    matrix_dict,
    prepare,
    probe,
    read_snapshot,
    with_config_file,
)
from harness.report.html import ORACLE_MATRIX_FACT
from harness.run.context import RunContext
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import AuditPayload, AuditStep, ExpectedDeviation


def _request(payload: AuditPayload, ctx: RunContext) -> AuditRequest:
    supplied: dict[str, ClientMaterial] = {}
    for class_id, name in payload.clients.items():
        identity = ctx.pki.identity(name)
        supplied[class_id] = ClientMaterial(
            identity.certificate, identity.private_key, identity.chain
        )
    return AuditRequest(
        target=ctx.access.name,
        endpoints=ctx.access.interfaces,
        interfaces=tuple(payload.interfaces) if payload.interfaces is not None else None,
        snis=tuple(payload.sni) if payload.sni is not None else None,
        timeout=payload.timeout,
        stand_ins=ctx.access.kind == "replica",
        inputs=ClassInputs(issuers=tuple(ctx.pki.cas.values()), supplied=supplied),
    )


def deviation_text(cell: Cell, deviation: Deviation) -> str:
    return (
        f"{cell.client} @ {cell.column.label}: {deviation.aspect} expected {deviation.expected}, "
        f"observed {deviation.observed}"
    )


def matches(wanted: ExpectedDeviation, cell: Cell, deviation: Deviation) -> bool:
    given = wanted.model_fields_set
    pairs = [
        ("interface", cell.column.interface),
        ("sni", cell.column.sni),
        ("client", cell.client),
        ("aspect", deviation.aspect),
        ("expected", deviation.expected),
        ("observed", deviation.observed),
    ]
    return all(getattr(wanted, key) == value for key, value in pairs if key in given)


def _check_listed(
    outcome: StepOutcome, wanted: list[ExpectedDeviation], found: list[str], matrix: AuditMatrix
) -> None:
    remaining = list(matrix.deviations)
    for expected in wanted:
        hit = next((pair for pair in remaining if matches(expected, *pair)), None)
        described = expected.model_dump(exclude_unset=True)
        outcome.check(
            f"deviation {described}",
            "reported",
            "reported" if hit else "absent",
            evidence="\n".join(found) or "no deviations",
        )
        if hit is not None:
            remaining.remove(hit)
    outcome.check(
        "no other deviations",
        0,
        len(remaining),
        evidence="\n".join(deviation_text(*pair) for pair in remaining),
    )


def run(step: AuditStep, ctx: RunContext) -> StepOutcome:
    payload = step.audit
    snapshot = read_snapshot(ctx.session)
    if payload.config_file is not None:
        snapshot = with_config_file(snapshot, ctx.resolve_path(payload.config_file))
    request = _request(payload, ctx)
    matrix = probe(prepare(snapshot, request), ctx.session, request)
    outcome = StepOutcome()
    outcome.facts[ORACLE_MATRIX_FACT] = matrix_dict(matrix)
    probed = [cell for cell in matrix.cells if cell.status != "not-probed"]
    found = [deviation_text(cell, deviation) for cell, deviation in matrix.deviations]
    outcome.check(
        "cells probed",
        True,
        bool(probed),
        evidence=f"{len(probed)} of {len(matrix.cells)} cells probed",
    )
    wanted = payload.expect.deviations
    if isinstance(wanted, int):
        outcome.check("deviations", wanted, len(found), evidence="\n".join(found))
    else:
        _check_listed(outcome, wanted, found, matrix)
    outcome.summary = (
        f"{len(matrix.classes)} client classes x {len(matrix.columns)} interface/SNI columns: "
        f"{len(probed)} cells probed, {len(found)} deviation(s)"
    )
    return outcome

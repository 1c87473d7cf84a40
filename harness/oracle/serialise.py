"""The matrix as a JSON-ready dict: what results.json, ``asa-harness audit --json`` and the
HTML renderer (harness/report/matrix.py) read. Nothing here computes or renders."""

from __future__ import annotations

import dataclasses
from typing import Any

from cryptography import x509

from harness.oracle.expectation import sha256_hex
from harness.oracle.records import AuditMatrix, Cell, ClientClass, Column
from probes.certinfo import extended_key_usage, subject_alt_names
from probes.names import display_name

MATRIX_KIND = "oracle-matrix"


def _certificate(certificate: x509.Certificate | None) -> dict[str, Any] | None:
    if certificate is None:
        return None
    return {
        "subject": display_name(certificate.subject),
        "issuer": display_name(certificate.issuer),
        "subject_alt_names": list(subject_alt_names(certificate)),
        "extended_key_usage": list(extended_key_usage(certificate) or ()),
        "sha256": sha256_hex(certificate),
    }


def _column(column: Column) -> dict[str, Any]:
    return {
        "id": column.id,
        "interface": column.interface,
        "sni": column.sni,
        "label": column.label,
    }


def _class(client: ClientClass) -> dict[str, Any]:
    return {
        "id": client.id,
        "label": client.label,
        "kind": client.kind,
        "needs": list(client.needs),
        "origin": client.origin,
        "described": client.described,
        "probed": client.material is not None or client.kind == "no-certificate",
        "map_entry": client.map_entry,
        "certificate": _certificate(client.certificate),
    }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(cell: Cell) -> dict[str, Any]:
    expected = cell.expected
    return {
        "client": cell.client,
        "column": cell.column.id,
        "status": cell.status,
        "note": cell.note,
        "expected": {
            "address": expected.address,
            "identity": _plain(expected.identity),
            "request": _plain(expected.request),
            "login": _plain(expected.login),
        },
        "observed": _plain(cell.observed),
        "deviations": [_plain(d) for d in cell.deviations],
    }


def matrix_dict(matrix: AuditMatrix) -> dict[str, Any]:
    statuses = [cell.status for cell in matrix.cells]
    return {
        "kind": MATRIX_KIND,
        "target": matrix.target,
        "config_source": matrix.config_source,
        "device_time": matrix.device_time.isoformat(timespec="seconds"),
        "stand_ins": matrix.stand_ins,
        "summary": {
            "cells": len(statuses),
            "passed": statuses.count("pass"),
            "failed": statuses.count("fail"),
            "not_probed": statuses.count("not-probed"),
            "deviations": len(matrix.deviations),
        },
        "columns": [_column(c) for c in matrix.columns],
        "classes": [_class(c) for c in matrix.classes],
        "cells": [_cell(c) for c in matrix.cells],
        "ignored_lines": [_plain(line) for line in matrix.ignored_lines],
        "notes": list(matrix.notes),
    }

"""The oracle: the wire behaviour a configuration implies, computed with the rules the
virtual ASA uses (lab/rules), and every deviation the probe finds (docs/oracle.md).

    snapshot = read_snapshot(session)
    prepared = prepare(snapshot, AuditRequest(target="lab", endpoints=access.interfaces))
    matrix = probe(prepared, session, request)
    matrix_dict(matrix)   # JSON-ready; harness/report/matrix.py renders it
"""

from harness.oracle.audit import AuditRequest, PreparedAudit, prepare, probe
from harness.oracle.classes import ClassInputs
from harness.oracle.records import AuditMatrix, Cell, ClientMaterial, Column, Deviation
from harness.oracle.serialise import MATRIX_KIND, matrix_dict
from harness.oracle.snapshot import (
    DeviceSnapshot,
    read_snapshot,
    with_config_file,
    with_config_text,
)

__all__ = [
    "MATRIX_KIND",
    "AuditMatrix",
    "AuditRequest",
    "Cell",
    "ClassInputs",
    "ClientMaterial",
    "Column",
    "Deviation",
    "DeviceSnapshot",
    "PreparedAudit",
    "matrix_dict",
    "prepare",
    "probe",
    "read_snapshot",
    "with_config_file",
    "with_config_text",
]

"""The matrix (its JSON-ready dict) as plain text for the terminal: the grid, then every
deviation with both sides of the evidence, then what was not probed and why."""

from __future__ import annotations

from typing import Any

_MARK = {"pass": "pass", "fail": "FAIL", "not-probed": "-"}


def _grid(matrix: dict[str, Any]) -> list[str]:
    columns = matrix["columns"]
    cells = {(c["client"], c["column"]): c for c in matrix["cells"]}
    header = ["client class", *(column["label"] for column in columns)]
    rows = [header]
    for client in matrix["classes"]:
        row = [client["label"]]
        for column in columns:
            cell = cells.get((client["id"], column["id"]))
            if cell is None:
                row.append("")
                continue
            count = len(cell["deviations"])
            row.append(_MARK[cell["status"]] + (f" ({count})" if count else ""))
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(text.ljust(widths[i]) for i, text in enumerate(row)).rstrip() for row in rows]


def _deviations(matrix: dict[str, Any]) -> list[str]:
    labels = {c["id"]: c["label"] for c in matrix["columns"]}
    classes = {c["id"]: c["label"] for c in matrix["classes"]}
    lines: list[str] = []
    for cell in matrix["cells"]:
        for deviation in cell["deviations"]:
            lines += [
                f"* {classes[cell['client']]} @ {labels[cell['column']]}: {deviation['aspect']}",
                f"    expected: {deviation['expected']}",
                f"    observed: {deviation['observed']}",
                "    rule:     " + deviation["rule"].replace("\n", "\n              "),
                f"    wire:     {deviation['evidence']}",
            ]
    return lines


def matrix_text(matrix: dict[str, Any]) -> str:
    summary = matrix["summary"]
    lines = [
        f"oracle audit of {matrix['target']} (expectations from {matrix['config_source']}, "
        f"device time {matrix['device_time']})",
        f"{summary['cells']} cells: {summary['passed']} pass, {summary['failed']} fail, "
        f"{summary['not_probed']} not probed; {summary['deviations']} deviation(s)",
        "",
        *_grid(matrix),
    ]
    deviations = _deviations(matrix)
    if deviations:
        lines += ["", "deviations:", *deviations]
    not_probed = sorted(
        {cell["note"] for cell in matrix["cells"] if cell["status"] == "not-probed"}
    )
    if not_probed:
        lines += ["", "not probed:", *(f"* {reason}" for reason in not_probed)]
    described = [c for c in matrix["classes"] if c["described"]]
    if described:
        lines.append(
            "  (present a certificate for a class with --client CLASS=FILE.p12, or let the "
            "oracle issue them with --issuer CA.p12, a CA the device trusts)"
        )
    for client in described:
        certificate = client.get("certificate") or {}
        lines.append(
            f"* {client['label']} needs: {'; '.join(client['needs'])}"
            + (
                f" (e.g. subject {certificate['subject']}, issuer {certificate['issuer']})"
                if certificate
                else ""
            )
        )
    if matrix["ignored_lines"]:
        lines += [
            "",
            f"{len(matrix['ignored_lines'])} configuration line(s) the model does not act on:",
        ]
        lines += [
            f"  line {i['line_number']}: {i['line'].rstrip()}" for i in matrix["ignored_lines"]
        ]
    lines += [f"note: {note}" for note in matrix["notes"]]
    return "\n".join(lines)

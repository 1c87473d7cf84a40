"""The oracle's matrix (harness/oracle/serialise.py) as an HTML fragment: one row per client
class, one column per interface/SNI, each cell pass/FAIL/not probed; a click opens the
evidence: what the rules expect (with their explanation) next to what the wire showed."""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = (
    "<style>"
    "table.asa-matrix{border-collapse:collapse;margin:6px 0}"
    "table.asa-matrix>tbody>tr>td,table.asa-matrix>tbody>tr>th"
    "{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}"
    "table.asa-matrix td.pass>details>summary{color:#2e7d32;font-weight:600}"
    "table.asa-matrix td.fail{background:#ffebee}"
    "table.asa-matrix td.fail>details>summary{color:#c62828;font-weight:600}"
    "table.asa-matrix td.not-probed>details>summary{color:#757575}"
    "table.asa-evidence{border-collapse:collapse;margin:4px 0;font-size:12px}"
    "table.asa-evidence td,table.asa-evidence th{border:1px solid #ddd;padding:2px 4px;"
    "vertical-align:top}"
    "table.asa-evidence tr.deviates td{background:#ffcdd2}"
    ".asa-matrix pre{white-space:pre-wrap;margin:2px 0;font-size:11px;max-width:520px}"
    "</style>"
)


def _text(value: Any) -> str:
    if value is None:
        return "<i>could not be determined</i>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "<br>".join(escape(str(v)) for v in value) or "<i>none</i>"
    return escape(str(value))


def _pre(text: str | None) -> str:
    return f"<pre>{escape(text)}</pre>" if text else ""


def _evidence_rows(cell: dict[str, Any]) -> list[tuple[str, str, Any, Any, str]]:
    """(aspect, label, expected, observed, explanation) for the evidence table."""
    expected = cell["expected"]
    identity, request, login = expected["identity"], expected["request"], expected["login"]
    observed = cell["observed"] or {}
    rows: list[tuple[str, str, Any, Any, str]] = [
        (
            "handshake",
            "TLS handshake",
            "completes",
            ("completes" if observed.get("handshake_ok") else f"fails: {observed.get('failure')}")
            if observed
            else None,
            "",
        ),
        (
            "served-certificate",
            "served certificate",
            identity["served"],
            observed.get("served"),
            identity["explanation"],
        ),
        (
            "served-chain",
            "served chain",
            identity["chain_subjects"],
            observed.get("chain_subjects"),
            "",
        ),
        (
            "client-certificate-request",
            "client certificate requested",
            request["requested"],
            observed.get("client_cert_requested"),
            request["explanation"],
        ),
        (
            "client-ca-names",
            "acceptable client CAs",
            request["ca_names"],
            observed.get("client_ca_names"),
            "",
        ),
    ]
    if login is not None:
        rows += [
            (
                "outcome",
                "AnyConnect outcome",
                login["outcome"],
                observed.get("outcome"),
                login["explanation"],
            ),
            (
                "tunnel-group",
                "tunnel-group",
                login["tunnel_group"],
                observed.get("tunnel_group"),
                f"decided by {login['decided_by']}; client certificate: "
                f"{login['certificate_reason']}",
            ),
        ]
    return rows


def _evidence(cell: dict[str, Any]) -> str:
    deviating = {d["aspect"] for d in cell["deviations"]}
    rows = []
    for aspect, label, expected, observed, explanation in _evidence_rows(cell):
        css = ' class="deviates"' if aspect in deviating else ""
        shown_observed = _text(observed) if cell["observed"] else "<i>not probed</i>"
        rows.append(
            f"<tr{css}><th>{escape(label)}</th><td>{_text(expected)}</td>"
            f"<td>{shown_observed}</td><td>{_pre(explanation)}</td></tr>"
        )
    deviations = "".join(
        f"<li><b>{escape(d['aspect'])}</b>: expected {escape(d['expected'])}, observed "
        f"{escape(d['observed'])}<div>rule:</div>{_pre(d['rule'])}<div>wire:</div>"
        f"{_pre(d['evidence'])}</li>"
        for d in cell["deviations"]
    )
    observed = cell["observed"] or {}
    extra = [cell.get("note") or "", *observed.get("notes", [])]
    address = cell["expected"]["address"] or "no address"
    return (
        f"<div>probe address: {escape(address)}</div>"
        + (f"<ul>{deviations}</ul>" if deviations else "")
        + '<table class="asa-evidence"><tr><th></th><th>expected (rules)</th>'
        "<th>observed (wire)</th><th>why expected</th></tr>"
        + "".join(rows)
        + "</table>"
        + "".join(f"<div>{escape(text)}</div>" for text in extra if text)
    )


def _summary(cell: dict[str, Any]) -> str:
    if cell["status"] == "pass":
        return "pass"
    if cell["status"] == "fail":
        count = len(cell["deviations"])
        return f"FAIL ({count} deviation{'s' if count != 1 else ''})"
    return "not probed"


def _class_header(client: dict[str, Any]) -> str:
    certificate = client.get("certificate")
    details = [f"needs: {'; '.join(client['needs'])}", f"certificate: {client['origin']}"]
    if certificate:
        details.append(f"subject {certificate['subject']}, issuer {certificate['issuer']}")
        if certificate["subject_alt_names"]:
            details.append("SAN " + ", ".join(certificate["subject_alt_names"]))
        if certificate["extended_key_usage"]:
            details.append("EKU " + ", ".join(certificate["extended_key_usage"]))
    return (
        f"<th><details><summary>{escape(client['label'])}</summary>"
        + "".join(f"<div>{escape(line)}</div>" for line in details)
        + "</details></th>"
    )


def _ignored(matrix: dict[str, Any]) -> str:
    lines = matrix.get("ignored_lines") or []
    if not lines:
        return ""
    items = "".join(
        f"<li>line {line['line_number']}: <code style='white-space:pre'>"
        f"{escape(line['line'].rstrip())}</code> "
        f"({escape(line['message'])})</li>"
        for line in lines
    )
    return (
        f"<details><summary>{len(lines)} configuration line(s) the model does not act on"
        f"</summary><ul>{items}</ul></details>"
    )


def matrix_html(matrix: dict[str, Any]) -> str:
    columns = matrix["columns"]
    cells = {(c["client"], c["column"]): c for c in matrix["cells"]}
    head = (
        "<tr><th>client \\ interface, SNI</th>"
        + "".join(f"<th>{escape(column['label'])}</th>" for column in columns)
        + "</tr>"
    )
    rows = []
    for client in matrix["classes"]:
        tds = []
        for column in columns:
            cell = cells.get((client["id"], column["id"]))
            if cell is None:
                tds.append("<td></td>")
                continue
            tds.append(
                f'<td class="{escape(cell["status"])}"><details><summary>{_summary(cell)}'
                f"</summary>{_evidence(cell)}</details></td>"
            )
        rows.append(f"<tr>{_class_header(client)}{''.join(tds)}</tr>")
    summary = matrix["summary"]
    stand_ins = " (replica: REPLICA STAND-IN certificates expected)" if matrix["stand_ins"] else ""
    heading = (
        f"<div><b>Oracle matrix</b> for {escape(matrix['target'])}{stand_ins}: "
        f"{summary['cells']} cells, {summary['passed']} pass, {summary['failed']} fail, "
        f"{summary['not_probed']} not probed, {summary['deviations']} deviation(s); "
        f"expectations from {escape(matrix['config_source'])} at device time "
        f"{escape(matrix['device_time'])}</div>"
    )
    notes = "".join(f"<div>note: {escape(note)}</div>" for note in matrix.get("notes", []))
    return (
        STYLE
        + '<div class="asa-oracle">'
        + heading
        + notes
        + f'<table class="asa-matrix"><tbody>{head}{"".join(rows)}</tbody></table>'
        + _ignored(matrix)
        + "</div>"
    )


def matrix_page(matrix: dict[str, Any]) -> str:
    """A standalone HTML page (``asa-harness audit --html``)."""
    title = f"Oracle audit of {matrix['target']}"
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title></head><body style="font-family:system-ui,sans-serif;'
        f'font-size:13px"><h2>{escape(title)}</h2>{matrix_html(matrix)}</body></html>\n'
    )

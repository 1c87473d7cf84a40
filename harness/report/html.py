"""A scenario result (as the JSON dict of run/serialise) rendered as an HTML fragment:
summary line, then per step its verdicts, the served chain, diagnoses with their fix, and
the redacted device transcript."""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import Any

from harness.report.matrix import matrix_html

#: The step fact that holds an oracle matrix (harness/run/steps/audit.py).
ORACLE_MATRIX_FACT = "oracle_matrix"

STYLE = "<style>" + (resources.files("harness.report") / "report.css").read_text() + "</style>"


def _value(value: Any) -> str:
    if isinstance(value, dict | list):
        import json

        return escape(json.dumps(value, indent=1, default=str))
    return escape(str(value))


def _checks(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return ""
    rows = []
    for check in checks:
        css = "ok" if check["passed"] else "bad"
        verdict = "pass" if check["passed"] else "FAIL"
        evidence = check.get("evidence") or ""
        evidence_html = (
            f"<details><summary>evidence</summary><pre>{escape(evidence)}</pre></details>"
            if evidence
            else ""
        )
        rows.append(
            f'<tr class="{css}"><td class="verdict">{verdict}</td><td>{escape(check["name"])}</td>'
            f"<td>{_value(check['expected'])}</td><td>{_value(check['actual'])}</td><td>{evidence_html}</td></tr>"
        )
    return (
        '<table class="asa-checks"><tr><th></th><th>check</th><th>expected</th>'
        "<th>actual</th><th></th></tr>" + "".join(rows) + "</table>"
    )


def _chain(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{row['position']}</td><td>{escape(row['subject'])}</td><td>{escape(row['issuer'])}</td>"
        f"<td>{escape(row['serial'])}</td><td>{escape(row['not_before'])}</td><td>{escape(row['not_after'])}</td>"
        f"<td>{escape(str(row['days_left']))}</td><td><code>{escape(row['sha256'])}</code></td></tr>"
        for row in rows
    )
    return (
        '<table class="asa-chain"><caption>Served chain</caption><tr><th>#</th>'
        "<th>subject</th><th>issuer</th><th>serial</th><th>not before</th><th>not after</th>"
        "<th>days left</th><th>SHA-256</th></tr>" + body + "</table>"
    )


def _diagnoses(diagnoses: list[dict[str, Any]]) -> str:
    parts = []
    for diagnosis in diagnoses:
        expected = " (expected by the scenario)" if diagnosis.get("expected") else ""
        parts.append(
            f'<div class="asa-diag {escape(diagnosis["severity"])}">'
            f"<b>{escape(diagnosis['code'])}</b>"
            f"{expected}: {escape(diagnosis['message'])}"
            + (
                f'<div class="fix">Fix: {escape(diagnosis["fix"])}</div>'
                if diagnosis.get("fix")
                else ""
            )
            + "</div>"
        )
    return "".join(parts)


def _step(step: dict[str, Any]) -> str:
    status = step["status"]
    parts = [
        f'<div class="asa-step {status}"><span class="asa-badge {status}">{status}</span> '
        f"<b>{step['index'] + 1}. {escape(step['title'])}</b> "
        f"({step['kind']}, {step['duration_s']:.2f} s)"
    ]
    if step.get("summary"):
        parts.append(f"<div>{escape(step['summary'])}</div>")
    if step.get("error"):
        parts.append(f'<div class="asa-diag failure">{escape(step["error"])}</div>')
    parts.append(_checks(step.get("checks", [])))
    matrix = step.get("facts", {}).get(ORACLE_MATRIX_FACT)
    if isinstance(matrix, dict):
        parts.append(matrix_html(matrix))
    parts.append(_chain(step.get("chain", [])))
    parts.append(_diagnoses(step.get("diagnoses", [])))
    for child in step.get("children", []):
        parts.append(_step(child))
    if step.get("transcript"):
        parts.append(
            "<details><summary>device transcript</summary>"
            f'<pre class="asa-transcript">{escape(step["transcript"])}</pre></details>'
        )
    parts.append("</div>")
    return "".join(parts)


def scenario_html(result: dict[str, Any]) -> str:
    steps = result.get("steps", [])
    passed = sum(1 for s in steps if s["status"] == "passed")
    heading = (
        f"<h3>{escape(result['name'])} — {result['status']} "
        f"({passed}/{len(steps)} steps passed, target {escape(result['target'])}, "
        f"{result['duration_s']:.2f} s)</h3>"
    )
    description = f"<p>{escape(result['description'])}</p>" if result.get("description") else ""
    error = (
        f'<div class="asa-diag failure">{escape(result["error"])}</div>'
        if result.get("error")
        else ""
    )
    return (
        STYLE
        + '<div class="asa-scenario">'
        + heading
        + description
        + error
        + "".join(_step(s) for s in steps)
        + "</div>"
    )

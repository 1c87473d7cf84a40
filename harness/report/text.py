"""Failure text for the terminal and JUnit: which step failed, expected vs actual, evidence."""

from __future__ import annotations

import json
from typing import Any


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) < 300 else text[:297] + "..."


def failure_text(result: dict[str, Any]) -> str:
    lines = [
        f"scenario {result['name']!r} ({result['file']}) {result['status']} "
        f"on target {result['target']}"
    ]
    if result.get("error"):
        lines.append(f"  {result['error']}")
    for step in result.get("steps", []):
        if step["status"] not in ("failed", "error"):
            continue
        lines.append(
            f"  step {step['index'] + 1} ({step['kind']}: {step['title']}) {step['status']}"
        )
        if step.get("error"):
            lines.append(f"    {step['error']}")
        for check in step.get("checks", []):
            if check["passed"]:
                continue
            lines.append(f"    FAIL {check['name']}")
            lines.append(f"      expected: {_short(check['expected'])}")
            lines.append(f"      actual:   {_short(check['actual'])}")
            evidence = (check.get("evidence") or "").strip()
            if evidence:
                lines.extend(f"      | {line}" for line in evidence.splitlines()[-12:])
        for diagnosis in step.get("diagnoses", []):
            lines.append(
                f"    {diagnosis['code']} ({diagnosis['severity']}): {diagnosis['message']}"
            )
            if diagnosis.get("fix"):
                lines.append(f"      fix: {diagnosis['fix']}")
    return "\n".join(lines)

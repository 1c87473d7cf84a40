"""What a step runner returns; the scenario runner adds index, timing and transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.run.results import ChainRow, Check, DiagnosisRecord, Status, StepResult


@dataclass
class StepOutcome:
    summary: str = ""
    checks: list[Check] = field(default_factory=list)
    chain: tuple[ChainRow, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    diagnoses: tuple[DiagnosisRecord, ...] = ()
    error: str | None = None
    children: tuple[StepResult, ...] = ()
    children_decide_status: bool = True

    def check(
        self,
        name: str,
        expected: Any,
        actual: Any,
        *,
        evidence: str = "",
        passed: bool | None = None,
    ) -> bool:
        ok = (expected == actual) if passed is None else passed
        self.checks.append(Check(name, expected, actual, ok, evidence))
        return ok

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "error"
        children_failed = self.children_decide_status and any(
            c.status in ("failed", "error") for c in self.children
        )
        if children_failed or any(not c.passed for c in self.checks):
            return "failed"
        return "passed"

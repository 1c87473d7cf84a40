"""What a scenario run found, as plain frozen records (computing, rendering and serialising
live elsewhere: run/steps compute, report/ renders, run/serialise turns these into JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class Check:
    """One expectation: what was expected, what was seen, and the evidence."""

    name: str
    expected: Any
    actual: Any
    passed: bool
    evidence: str = ""


@dataclass(frozen=True)
class ChainRow:
    position: int
    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    days_left: int | None
    sha256: str
    self_signed: bool | None


@dataclass(frozen=True)
class DiagnosisRecord:
    code: str
    severity: str
    message: str
    fix: str
    expected: bool = False


@dataclass(frozen=True)
class StepResult:
    index: int
    kind: str
    title: str
    status: Status
    duration_s: float
    summary: str = ""
    checks: tuple[Check, ...] = ()
    chain: tuple[ChainRow, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)
    diagnoses: tuple[DiagnosisRecord, ...] = ()
    transcript: str = ""
    error: str | None = None
    children: tuple[StepResult, ...] = ()


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    file: str
    target: str
    status: Status
    duration_s: float
    description: str = ""
    tags: tuple[str, ...] = ()
    steps: tuple[StepResult, ...] = ()
    error: str | None = None

    @property
    def failed_steps(self) -> list[StepResult]:
        return [s for s in self.steps if s.status in ("failed", "error")]

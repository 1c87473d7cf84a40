"""A diagnosis: one problem named, explained with its evidence, and the ASA commands that fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["info", "warning", "failure"]

SEVERITY_ORDER: dict[Severity, int] = {"failure": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Diagnosis:
    code: str
    severity: Severity
    #: What is wrong and why, naming the evidence (names, dates, fingerprints).
    message: str
    #: ASA commands to run, in order; lines starting with "!" are comments (as in ASA configs).
    fix: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

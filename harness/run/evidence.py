"""Device facts gathered for diagnoses, and the diagnoses themselves as report records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from harness.device.session import CommandOutput
from harness.run.context import RunContext
from harness.run.results import DiagnosisRecord
from harness.scenario.model import ProbePayload
from probes.tls import HandshakeResult


def device_facts(ctx: RunContext, payload: ProbePayload) -> dict[str, Any]:
    return {}


def served_trustpoint_matches(ctx: RunContext, trustpoint: str, result: HandshakeResult) -> tuple[bool, str]:
    return False, "not yet implemented"


def diagnose_probe(*args: Any) -> tuple[DiagnosisRecord, ...]:
    return ()


def diagnose_rejected_lines(rejected: list[CommandOutput], *, expected_codes: list[str]) -> tuple[DiagnosisRecord, ...]:
    return ()


_ = dt

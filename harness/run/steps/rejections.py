"""Explain configuration lines the device rejected (e.g. the article's forms a real ASA refuses)."""

from __future__ import annotations

from harness.device.session import CommandOutput
from harness.run.results import DiagnosisRecord


def explain_rejections(rejected: list[CommandOutput], *, expected_codes: list[str]) -> tuple[DiagnosisRecord, ...]:
    if not rejected:
        return ()
    from harness.run.evidence import diagnose_rejected_lines

    return diagnose_rejected_lines(rejected, expected_codes=expected_codes)

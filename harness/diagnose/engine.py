"""Run every check over the evidence; a check that breaks becomes a warning, not a crash."""

from __future__ import annotations

from collections.abc import Sequence

from harness.diagnose import codes
from harness.diagnose.checks import ALL_CHECKS, Check
from harness.diagnose.evidence import Evidence
from harness.diagnose.facts import Settings
from harness.diagnose.model import SEVERITY_ORDER, Diagnosis

PROFILES = ("lab", "production")


def diagnose(
    evidence: Evidence,
    *,
    profile: str = "lab",
    expiry_threshold_days: int = 30,
    checks: Sequence[Check] = ALL_CHECKS,
) -> tuple[Diagnosis, ...]:
    """All findings, failures first, then warnings, then information (stable within each)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: use {' or '.join(PROFILES)}")
    settings = Settings(profile, expiry_threshold_days)
    found: list[Diagnosis] = []
    for check in checks:
        try:
            found.extend(check(evidence, settings))
        except Exception as error:  # one broken check must not hide what the others found
            name = getattr(check, "__name__", repr(check))
            found.append(
                Diagnosis(
                    codes.CHECK_ERROR,
                    "warning",
                    f"The {name} check could not run: {type(error).__name__}: {error}",
                )
            )
    return tuple(sorted(found, key=lambda d: SEVERITY_ORDER[d.severity]))


def has_failure(diagnoses: Sequence[Diagnosis]) -> bool:
    return any(d.severity == "failure" for d in diagnoses)

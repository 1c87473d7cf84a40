"""Diagnoses: the article's "Common Gotchas" (and what else a probe finds) named with their
evidence and the ASA commands that fix them.

    evidence = Evidence(probe_clock=now, hostname="vpn.pinglabz.com", handshake=result,
                        chain=report, device=DeviceFacts(clock=device_clock, trustpoints=...))
    for finding in diagnose(evidence, profile="production"):
        print(finding.code, finding.severity, finding.message, finding.fix)

Computing (engine, checks), rendering (render) and serialising (serialise) are separate.
"""

from harness.diagnose.engine import PROFILES, diagnose, has_failure
from harness.diagnose.evidence import (
    ConfigLine,
    DeviceFacts,
    DeviceTrustpoint,
    Evidence,
    Expectations,
)
from harness.diagnose.model import Diagnosis, Severity

__all__ = [
    "PROFILES",
    "ConfigLine",
    "DeviceFacts",
    "DeviceTrustpoint",
    "Diagnosis",
    "Evidence",
    "Expectations",
    "Severity",
    "diagnose",
    "has_failure",
]

"""Evidence and diagnoses as one JSON-ready report (what ``asa-harness probe --json`` prints)."""

from __future__ import annotations

from collections.abc import Sequence

from harness.diagnose.engine import has_failure
from harness.diagnose.evidence import Evidence
from harness.diagnose.model import Diagnosis
from probes.serialise import JsonDict, anyconnect_dict, certificate_dict, chain_dict, failure_dict


def diagnosis_dict(diagnosis: Diagnosis) -> JsonDict:
    return {
        "code": diagnosis.code,
        "severity": diagnosis.severity,
        "message": diagnosis.message,
        "fix": list(diagnosis.fix),
        "evidence": list(diagnosis.evidence),
    }


def report_dict(evidence: Evidence, diagnoses: Sequence[Diagnosis]) -> JsonDict:
    handshake, chain = evidence.handshake, evidence.chain
    chain_facts = chain_dict(chain) if chain is not None else None
    served = [certificate_dict(c) for c in chain.certificates] if chain is not None else []
    if chain is not None:
        for entry, summary in zip(served, chain.certificates, strict=True):
            entry["days_left"] = (summary.not_after - chain.at).days
    return {
        "target": handshake.peer if handshake else None,
        "sni": handshake.sni if handshake else None,
        "hostname": evidence.hostname,
        "probe_clock": evidence.probe_clock.isoformat(),
        "ok": handshake.ok if handshake else None,
        "failure": failure_dict(handshake.failure) if handshake else None,
        "timings": (
            {
                "connect_ms": handshake.timings.connect_ms,
                "handshake_ms": handshake.timings.handshake_ms,
                "total_ms": handshake.timings.total_ms,
            }
            if handshake
            else None
        ),
        "served_chain": served,
        "tls_version": handshake.tls_version if handshake else None,
        "cipher": handshake.cipher if handshake else None,
        "hostname_match": chain.leaf_matches_hostname if chain else None,
        "hostname_match_source": chain.hostname_match_source if chain else None,
        "cn_fallback_match": chain.cn_fallback_match if chain else None,
        "chain": chain_facts,
        "client_cert_requested": handshake.client_cert_requested if handshake else None,
        "client_ca_names": list(handshake.client_ca_names) if handshake else [],
        "client_cert_sent": handshake.client_cert_sent if handshake else False,
        "anyconnect": anyconnect_dict(evidence.anyconnect) if evidence.anyconnect else None,
        "diagnoses": [diagnosis_dict(d) for d in diagnoses],
        "verdict": "fail" if has_failure(diagnoses) else "pass",
    }

from __future__ import annotations

from harness.report.html import scenario_html
from harness.report.text import failure_text

RESULT = {
    "name": "demo <scenario>",
    "file": "scenarios/demo.yaml",
    "target": "embedded",
    "status": "failed",
    "duration_s": 1.5,
    "description": "why",
    "tags": [],
    "error": None,
    "steps": [
        {
            "index": 0,
            "kind": "probe",
            "title": "probe outside",
            "status": "failed",
            "duration_s": 0.2,
            "summary": "outside: TLSv1.3",
            "checks": [
                {
                    "name": "leaf matches hostname",
                    "expected": True,
                    "actual": False,
                    "passed": False,
                    "evidence": "SAN ['vpn.example.com']",
                },
                {
                    "name": "chain is complete",
                    "expected": True,
                    "actual": True,
                    "passed": True,
                    "evidence": "",
                },
            ],
            "chain": [
                {
                    "position": 0,
                    "subject": "CN=vpn.example.com",
                    "issuer": "CN=Issuing",
                    "serial": "0a1b",
                    "not_before": "2026-01-01 00:00:00 UTC",
                    "not_after": "2027-01-01 00:00:00 UTC",
                    "days_left": 30,
                    "sha256": "ab" * 32,
                    "self_signed": False,
                },
            ],
            "facts": {},
            "diagnoses": [
                {
                    "code": "FQDN_MISMATCH",
                    "severity": "failure",
                    "message": "vpn.example.lab is not in the certificate",
                    "fix": "crypto ca trustpoint TP\n fqdn vpn.example.lab",
                    "expected": False,
                },
            ],
            "transcript": "> show clock\n10:00:00.000 UTC",
            "error": None,
            "children": [],
        }
    ],
}


def test_html_has_the_chain_table_verdicts_diagnoses_and_transcript_escaped() -> None:
    html = scenario_html(RESULT)
    assert '<table class="asa-chain">' in html
    assert "CN=vpn.example.com" in html and "ab" * 32 in html
    assert '<tr class="bad"><td class="verdict">FAIL</td><td>leaf matches hostname</td>' in html
    assert '<tr class="ok"><td class="verdict">pass</td>' in html
    assert "FQDN_MISMATCH" in html and "fqdn vpn.example.lab" in html
    assert "device transcript" in html and "&gt; show clock" in html
    assert "demo &lt;scenario&gt;" in html


def test_failure_text_shows_expected_actual_evidence_and_the_fix() -> None:
    text = failure_text(RESULT)
    assert "step 1 (probe: probe outside) failed" in text
    assert "FAIL leaf matches hostname" in text
    assert "expected: true" in text and "actual:   false" in text
    assert "| SAN ['vpn.example.com']" in text
    assert "FQDN_MISMATCH (failure)" in text and "fix: crypto ca trustpoint TP" in text
    assert "chain is complete" not in text

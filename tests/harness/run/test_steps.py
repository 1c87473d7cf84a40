"""Each step kind's failure paths: a readable check or error, later steps skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.run.results import ScenarioResult, StepResult
from harness.run.runner import run_scenario
from harness.scenario import Scenario
from lab.targets import EmbeddedTarget

PKI = {
    "cas": [
        {"name": "root", "subject": "CN=Step Test Root"},
        {"name": "issuing", "issuer": "root", "subject": "CN=Step Test Issuing"},
    ],
    "certificates": [
        {
            "name": "stranger",
            "issuer": "issuing",
            "kind": "server",
            "subject": {"CN": "vpn.example.lab"},
        }
    ],
}
TRUSTPOINT = [
    "crypto key generate rsa label K modulus 2048 noconfirm",
    "crypto ca trustpoint TP",
    " enrollment terminal",
    " fqdn vpn.example.lab",
    " subject-name CN=vpn.example.lab",
    " keypair K",
    " exit",
]


def run(steps: list[dict[str, Any]], pki: dict[str, Any] | None = None) -> ScenarioResult:
    scenario = Scenario.model_validate({"name": "t", "pki": pki or {}, "steps": steps})
    return run_scenario(scenario, Path("t.yaml"), EmbeddedTarget())


def first_failure(result: ScenarioResult) -> StepResult:
    return next(s for s in result.steps if s.status in ("failed", "error"))


def test_an_unexpected_rejection_fails_with_the_device_answer_and_skips_the_rest() -> None:
    result = run([{"configure": "hostname ok\nfrobnicate now"}, {"exec": "show clock"}])
    step = first_failure(result)
    check = next(c for c in step.checks if not c.passed)
    assert check.name == "accepted: frobnicate now"
    assert check.actual == "ERROR: % Invalid input detected at '^' marker."
    assert result.steps[1].status == "skipped"


def test_an_unanswered_question_names_it_and_how_to_answer() -> None:
    result = run(
        [{"configure": "\n".join([*TRUSTPOINT, "crypto key generate rsa label K modulus 2048"])}]
    )
    step = first_failure(result)
    assert step.status == "error"
    assert step.error is not None
    assert "Do you really want to replace them?" in step.error and "answers:" in step.error


def test_an_expected_rejection_passes_and_a_missing_one_fails() -> None:
    result = run([{"configure": "hostname ok", "expect": {"rejected": ["hostname ok"]}}])
    check = first_failure(result).checks[0]
    assert check.name == "rejected: hostname ok" and check.actual == "accepted"


def test_exec_expectations() -> None:
    result = run([{"exec": "show clock", "expect": {"contains": ["UTC"], "not_contains": ["UTC"]}}])
    failed = [c.name for c in first_failure(result).checks if not c.passed]
    assert failed == ["output lacks 'UTC'"]


def test_capturing_a_csr_from_a_self_signed_enrollment_fails() -> None:
    steps: list[dict[str, Any]] = [
        {"configure": "\n".join(TRUSTPOINT).replace("enrollment terminal", "enrollment self")},
        {"enroll": {"trustpoint": "TP", "noconfirm": True, "capture": "csr"}},
    ]
    check = first_failure(run(steps)).checks[0]
    assert check.name == "certificate request printed" and check.passed is False


def test_signing_an_uncaptured_csr_is_an_error_naming_what_exists() -> None:
    result = run([{"sign_csr": {"csr": "nothing", "ca": "issuing", "save_as": "x"}}], PKI)
    assert "no captured CSR named 'nothing'" in (first_failure(result).error or "")


def test_authenticate_from_a_missing_file_is_an_error() -> None:
    steps: list[dict[str, Any]] = [
        {"configure": "\n".join(TRUSTPOINT)},
        {"authenticate": {"trustpoint": "TP", "pem_file": "nope.pem"}},
    ]
    assert "cannot read CA certificates from" in (first_failure(run(steps)).error or "")


def test_importing_a_certificate_for_another_key_is_refused_by_the_device() -> None:
    steps: list[dict[str, Any]] = [
        {"configure": "\n".join(TRUSTPOINT)},
        {"authenticate": {"trustpoint": "TP", "ca": "issuing"}},
        {
            "import_certificate": {
                "trustpoint": "TP",
                "certificate": "stranger",
                "expect_error": True,
            }
        },
        {"import_certificate": {"trustpoint": "TP", "certificate": "stranger"}},
    ]
    result = run(steps, PKI)
    assert result.steps[2].status == "passed"
    check = result.steps[3].checks[0]
    assert check.name == "certificate imported" and not check.passed


def test_a_pkcs12_file_without_its_passphrase_variable_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_SUCH_PASSPHRASE", raising=False)
    steps: list[dict[str, Any]] = [
        {
            "import_pkcs12": {
                "trustpoint": "TP",
                "file": "x.p12",
                "passphrase_env": "NO_SUCH_PASSPHRASE",
            }
        }
    ]
    assert "NO_SUCH_PASSPHRASE" in (first_failure(run(steps)).error or "")


def test_expect_show_with_a_key_records_do_not_have_lists_the_keys_they_have() -> None:
    steps = [{"expect_show": {"command": "show clock", "expect": {"records": [{"colour": "red"}]}}}]
    error = first_failure(run(steps)).error or ""
    assert "colour" in error and "available:" in error and "time" in error


def test_expect_show_reports_the_closest_record_when_none_matches() -> None:
    steps: list[dict[str, Any]] = [
        {"configure": "\n".join(TRUSTPOINT).replace("enrollment terminal", "enrollment self")},
        {"enroll": {"trustpoint": "TP", "noconfirm": True}},
        {
            "expect_show": {
                "command": "show crypto ca certificates TP",
                "expect": {"records": [{"kind": "identity", "validity_days": 30}]},
            }
        },
    ]
    check = first_failure(run(steps)).checks[0]
    assert check.passed is False and check.actual == {"validity_days": 3650}


def test_probing_an_unknown_interface_is_an_error_listing_the_known_ones() -> None:
    error = first_failure(run([{"probe": {"interface": "dmz"}}])).error or ""
    assert "no HTTPS address for interface 'dmz'" in error and "outside" in error


def test_probing_an_interface_without_webvpn_reports_the_refused_handshake() -> None:
    result = run([{"probe": {"interface": "inside"}}])
    check = first_failure(result).checks[0]
    assert check.name == "TLS handshake completes" and "refused" in check.evidence.lower()


def test_clock_step_moves_the_device_clock() -> None:
    result = run([{"clock": {"set": "2031-03-04T05:06:07Z"}}])
    step = result.steps[0]
    assert step.status == "passed", step
    assert "Mar 4 2031" in step.facts["show_clock"]


def test_rotation_that_verifies_fails_when_a_rollback_was_expected() -> None:
    steps: list[dict[str, Any]] = [
        {"configure": "\n".join([*TRUSTPOINT, "crypto ca authenticate TP"]).rsplit("\n", 1)[0]},
        {"enroll": {"trustpoint": "TP", "capture": "csr"}},
        {"sign_csr": {"csr": "csr", "ca": "issuing", "save_as": "cert"}},
        {"authenticate": {"trustpoint": "TP", "ca": "issuing"}},
        {"import_certificate": {"trustpoint": "TP", "certificate": "cert"}},
        {"configure": "ssl trust-point TP outside"},
        {
            "rotate": {
                "interface": "outside",
                "old_trustpoint": "TP",
                "new_trustpoint": "TP2",
                "keypair": "K2",
                "fqdn": "vpn.example.lab",
                "subject": "CN=vpn.example.lab",
                "ca": "issuing",
                "authenticate": ["issuing"],
                "trust": ["root"],
                "verify": {"trusted": True},
                "expect_rollback": True,
            }
        },
    ]
    result = run(steps, PKI)
    rotate = result.steps[-1]
    assert rotate.status == "failed"
    check = next(c for c in rotate.checks if not c.passed)
    assert check.name == "new certificate verified on the wire" and check.expected is False
    assert [c.title for c in rotate.children][-1] == "6. verify TP2 is served"


def test_clock_skew_is_found_when_the_device_clock_runs_in_a_named_zone() -> None:
    """``show clock`` prints the configured zone name (CET); its offset comes from the
    running-config's ``clock timezone`` line, so the device clock is still known."""
    steps: list[dict[str, Any]] = [
        {"configure": "clock timezone CET 1"},
        {"clock": {"offset": "+2d"}},
        {"configure": "\n".join(TRUSTPOINT).replace("enrollment terminal", "enrollment self")},
        {"enroll": {"trustpoint": "TP", "noconfirm": True}},
        {"configure": "ssl trust-point TP outside"},
        {"probe": {"interface": "outside", "expect": {"diagnoses": ["CLOCK_SKEW"]}}},
    ]
    result = run(steps)
    assert result.status == "passed", first_failure(result)

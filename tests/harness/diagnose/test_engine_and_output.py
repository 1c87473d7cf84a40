"""The engine (isolation, order, profiles), the text rendering and the JSON report."""

from __future__ import annotations

import datetime as dt
import json
from typing import NoReturn

import pytest

from harness.diagnose import Diagnosis, Evidence, Expectations, diagnose
from harness.diagnose.checks import ALL_CHECKS
from harness.diagnose.facts import Settings
from harness.diagnose.render import render_report
from harness.diagnose.serialise import report_dict
from tests.harness.diagnose.conftest import MakeAnyConnect, MakeEvidence, Pki

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def test_a_broken_check_does_not_hide_the_others() -> None:
    def broken(evidence: Evidence, settings: Settings) -> NoReturn:
        raise RuntimeError("parser exploded")

    def finds(evidence: Evidence, settings: Settings) -> list[Diagnosis]:
        return [Diagnosis("X", "info", "found")]

    found = diagnose(Evidence(probe_clock=NOW), checks=(broken, finds))

    assert [(d.code, d.severity) for d in found] == [("CHECK_ERROR", "warning"), ("X", "info")]
    assert "broken" in found[0].message and "parser exploded" in found[0].message


def test_failures_come_first() -> None:
    checks = (
        lambda e, s: [Diagnosis("I", "info", "")],
        lambda e, s: [Diagnosis("W", "warning", "")],
        lambda e, s: [Diagnosis("F", "failure", "")],
    )

    assert [d.code for d in diagnose(Evidence(probe_clock=NOW), checks=checks)] == ["F", "W", "I"]


def test_unknown_profile() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        diagnose(Evidence(probe_clock=NOW), profile="staging")


def test_every_check_runs_on_empty_evidence() -> None:
    assert diagnose(Evidence(probe_clock=NOW)) == ()
    assert len(ALL_CHECKS) >= 15


def test_text_and_json_report(
    pki: Pki, evidence_for: MakeEvidence, make_anyconnect: MakeAnyConnect
) -> None:
    _, issuing = pki
    leaf = issuing.issue_server(
        "old.example.lab", not_before=NOW - dt.timedelta(days=1)
    ).certificate
    evidence = evidence_for(
        [leaf, issuing.certificate],
        anyconnect=make_anyconnect(tunnel_group="TG-CORP", group_list=("CORP", "CONTRACTORS")),
        expectations=Expectations(tunnel_group="TG-CORP"),
    )
    found = diagnose(evidence)

    text = render_report(evidence, found)
    report = json.loads(json.dumps(report_dict(evidence, found)))

    assert "Served chain" in text and "CN=old.example.lab" in text
    assert "FAILURE  FQDN_MISMATCH" in text and "TG-CORP" in text and "CORP, CONTRACTORS" in text
    required = {"served_chain", "tls_version", "cipher", "hostname_match", "chain"}
    required |= {"client_cert_requested", "client_ca_names", "anyconnect", "diagnoses"}
    assert required <= set(report)
    assert report["served_chain"][0]["subject"] == "CN=old.example.lab"
    assert set(report["served_chain"][0]) >= {
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "sha256",
        "self_signed",
    }
    assert report["hostname_match"] is False
    assert {"complete", "trusted", "missing_issuer", "order_ok"} <= set(report["chain"])
    assert report["anyconnect"]["tunnel_group"] == "TG-CORP"
    assert {"outcome", "tunnel_group", "group_alias", "auth_methods", "error"} <= set(
        report["anyconnect"]
    )
    assert report["diagnoses"][0] == {
        **report["diagnoses"][0],
        "code": "FQDN_MISMATCH",
        "severity": "failure",
    }
    assert report["verdict"] == "fail"

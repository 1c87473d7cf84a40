"""The matrix as JSON, HTML (a table whose cells open their evidence) and text; the audit
step in the scenario language."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from harness.errors import ScenarioError
from harness.oracle import matrix_dict
from harness.oracle.records import (
    AuditMatrix,
    Cell,
    ClientClass,
    Column,
    Deviation,
    ExpectedCell,
    ExpectedIdentity,
    ExpectedLogin,
    ExpectedRequest,
    IgnoredLine,
    Observation,
)
from harness.oracle.text import matrix_text
from harness.report.html import scenario_html
from harness.report.matrix import matrix_html, matrix_page
from harness.run.steps.audit import matches
from harness.scenario import load_scenario
from harness.scenario.model import AuditStep, ExpectedDeviation

OUTSIDE = Column("outside", None)
PARTNER = Column("outside", "partner.example")
CLASSES = (
    ClientClass("no-certificate", "no client certificate", "no-certificate", ("none",), "none"),
    ClientClass("map:CM:10", "certificate map CM 10 -> <TG>", "map", ("ou eq x",), "synthetic"),
)


def expected(column: Column, client: str, group: str = "TG") -> ExpectedCell:
    return ExpectedCell(
        column,
        client,
        "127.0.0.1:4443",
        ExpectedIdentity(
            "trustpoint VPN",
            "VPN",
            "interface",
            False,
            ("aa" * 32,),
            ("CN=vpn",),
            "'ssl trust-point VPN outside' binds it to outside",
        ),
        ExpectedRequest(True, ("CN=Client CA",), "a certificate-group-map is configured"),
        ExpectedLogin(
            True,
            True,
            "valid",
            group,
            "certificate-map",
            None,
            "complete",
            "tunnel-group TG chosen by certificate-map",
        ),
    )


def observed(group: str) -> Observation:
    return Observation(
        "127.0.0.1:4443",
        True,
        None,
        "trustpoint VPN",
        ("aa" * 32,),
        ("CN=vpn",),
        True,
        ("CN=Client CA",),
        True,
        "complete",
        group,
        "session table",
        None,
    )


def matrix() -> AuditMatrix:
    wrong = Deviation(
        "tunnel-group",
        "TG",
        "DefaultWEBVPNGroup",
        "tunnel-group TG chosen by certificate-map (rule <1>)",
        "127.0.0.1:4443: AnyConnect complete",
    )
    cells = (
        Cell(expected(OUTSIDE, "no-certificate"), observed("TG"), "pass"),
        Cell(
            expected(PARTNER, "no-certificate"),
            None,
            "not-probed",
            note="the class's certificate is described, not held",
        ),
        Cell(expected(OUTSIDE, "map:CM:10"), observed("DefaultWEBVPNGroup"), "fail", (wrong,)),
        Cell(expected(PARTNER, "map:CM:10"), observed("TG"), "pass"),
    )
    return AuditMatrix(
        "lab-fw",
        "the device's running-config",
        dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        False,
        (OUTSIDE, PARTNER),
        CLASSES,
        cells,
        (IgnoredLine(7, "access-list OUT extended permit ip any any", "ERROR: % Invalid input"),),
        ("a note",),
    )


def test_the_matrix_serialises_to_json() -> None:
    data = json.loads(json.dumps(matrix_dict(matrix())))
    assert data["kind"] == "oracle-matrix"
    assert data["summary"] == {
        "cells": 4,
        "passed": 2,
        "failed": 1,
        "not_probed": 1,
        "deviations": 1,
    }
    assert [c["id"] for c in data["columns"]] == ["outside/-", "outside/partner.example"]
    cell = data["cells"][2]
    assert cell["deviations"][0]["observed"] == "DefaultWEBVPNGroup"
    assert cell["expected"]["login"]["tunnel_group"] == "TG"
    assert data["cells"][1]["observed"] is None


def test_the_html_table_has_a_row_per_class_and_a_column_per_interface_and_sni() -> None:
    html = matrix_html(matrix_dict(matrix()))
    assert html.count("<tr><th><details><summary>") == 2
    assert "<th>outside, no SNI</th><th>outside, SNI partner.example</th>" in html
    assert html.count('<td class="pass"><details>') == 2
    assert '<td class="fail"><details><summary>FAIL (1 deviation)</summary>' in html
    assert '<td class="not-probed"><details><summary>not probed</summary>' in html
    fail = html[html.index('<td class="fail">') :]
    fail = fail[: fail.index("</details></td>")]
    # Both sides of the evidence and the rule, in the cell that opens on click.
    assert "<li><b>tunnel-group</b>: expected TG, observed DefaultWEBVPNGroup" in fail
    assert (
        '<tr class="deviates"><th>tunnel-group</th><td>TG</td><td>DefaultWEBVPNGroup</td>' in fail
    )
    assert "<pre>tunnel-group TG chosen by certificate-map (rule &lt;1&gt;)</pre>" in fail
    assert "<pre>127.0.0.1:4443: AnyConnect complete</pre>" in fail
    assert "certificate map CM 10 -&gt; &lt;TG&gt;" in html  # escaped
    assert "access-list OUT extended permit ip any any" in html


def test_a_step_with_a_matrix_renders_it_in_the_scenario_report() -> None:
    step: dict[str, Any] = {
        "index": 0,
        "kind": "audit",
        "title": "audit",
        "status": "failed",
        "duration_s": 1.0,
        "facts": {"oracle_matrix": matrix_dict(matrix())},
    }
    result = {"name": "s", "status": "failed", "target": "t", "duration_s": 1.0, "steps": [step]}
    assert '<table class="asa-matrix">' in scenario_html(result)
    step["facts"] = {}
    assert "asa-matrix" not in scenario_html(result).split("</style>", 1)[1].split("<style>")[0]


def test_the_page_and_the_text_name_the_target_and_the_deviation() -> None:
    data = matrix_dict(matrix())
    assert "<title>Oracle audit of lab-fw</title>" in matrix_page(data)
    text = matrix_text(data)
    assert "1 deviation(s)" in text
    assert "expected: TG" in text and "observed: DefaultWEBVPNGroup" in text
    assert "FAIL (1)" in text and "line 7: access-list OUT" in text


def write(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nsteps:\n{steps}")
    return path


def test_the_audit_step_in_yaml(tmp_path: Path) -> None:
    scenario = load_scenario(
        write(
            tmp_path,
            "  - audit: {expect: {deviations: 0}}\n  - audit: {}\n"
            "  - audit:\n      interfaces: [outside]\n      sni: [null, a.b]\n"
            "      expect:\n        deviations:\n"
            "          - {client: 'map:CM:10', aspect: tunnel-group}\n",
        )
    )
    first, second, third = scenario.steps
    assert isinstance(first, AuditStep) and first.audit.expect.deviations == 0
    assert isinstance(second, AuditStep) and second.kind == "audit"
    assert isinstance(third, AuditStep) and third.audit.sni == [None, "a.b"]
    listed = third.audit.expect.deviations
    assert isinstance(listed, list) and listed[0].aspect == "tunnel-group"


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("  - audit: {expect: {deviations: -1}}\n", "0 or more"),
        ("  - audit: {expect: {deviation: 0}}\n", "deviation"),
        ("  - audit: {expect: {deviations: [{aspect: tls}]}}\n", "aspect"),
    ],
)
def test_a_wrong_audit_step_names_the_line(tmp_path: Path, steps: str, message: str) -> None:
    with pytest.raises(ScenarioError) as error:
        load_scenario(write(tmp_path, steps))
    assert "s.yaml:3" in str(error.value) and message in str(error.value)


def test_an_expected_deviation_matches_on_the_keys_it_gives() -> None:
    data = matrix()
    cell, deviation = data.deviations[0]
    assert matches(ExpectedDeviation(aspect="tunnel-group"), cell, deviation)
    assert matches(ExpectedDeviation(sni=None, client="map:CM:10"), cell, deviation)
    assert not matches(ExpectedDeviation(sni="partner.example"), cell, deviation)
    assert not matches(ExpectedDeviation(observed="TG"), cell, deviation)

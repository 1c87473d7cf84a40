"""`asa-harness run` on the shipped scenarios, as `make run` does: every scenario passes
against the embedded virtual ASA and the three report files are written."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.scenario import is_scenario_file

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class SuiteRun:
    returncode: int
    stdout: str
    reports: Path

    def results(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.reports / "results.json").read_text())
        return data


def run_suite(reports: Path, *options: str) -> SuiteRun:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            "scenarios",
            "--html",
            str(reports / "report.html"),
            "--junitxml",
            str(reports / "junit.xml"),
            "--results",
            str(reports / "results.json"),
            *options,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return SuiteRun(completed.returncode, completed.stdout + completed.stderr, reports)


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("reports"))


def test_every_shipped_scenario_passes(suite_run: SuiteRun) -> None:
    results = suite_run.results()
    failed = [s for s in results["scenarios"] if s["status"] != "passed"]
    assert not failed, suite_run.stdout[-6000:]
    assert suite_run.returncode == 0
    shipped = [p for p in (ROOT / "scenarios").rglob("*.yaml") if is_scenario_file(p)]
    assert results["summary"]["total"] == len(shipped) >= 15


def test_the_summary_line_names_the_reports(suite_run: SuiteRun) -> None:
    assert "scenarios:" in suite_run.stdout and "passed" in suite_run.stdout
    assert str(suite_run.reports / "report.html") in suite_run.stdout


def test_junit_lists_one_testcase_per_scenario(suite_run: SuiteRun) -> None:
    tree = ET.parse(suite_run.reports / "junit.xml")
    cases = tree.getroot().findall(".//testcase")
    assert len(cases) == suite_run.results()["summary"]["total"]


def test_results_carry_steps_chains_and_diagnoses(suite_run: SuiteRun) -> None:
    scenarios = {s["name"]: s for s in suite_run.results()["scenarios"]}
    missing = next(s for name, s in scenarios.items() if name.startswith("Gotcha 2"))
    probe = next(step for step in missing["steps"] if step["kind"] == "probe")
    assert probe["chain"][0]["subject"] == "CN=vpn.pinglabz.com"
    assert probe["diagnoses"][0]["code"] == "CHAIN_INCOMPLETE"
    assert probe["diagnoses"][0]["expected"] is True
    assert "crypto ca authenticate" in probe["diagnoses"][0]["fix"]


def test_the_html_report_shows_the_chain_table_in_a_browser(
    suite_run: SuiteRun, tool: Callable[[str], str]
) -> None:
    chromium = tool("chromium")
    profile = suite_run.reports / "chromium-profile"
    completed = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            (suite_run.reports / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = completed.stdout
    # pytest-html builds the result rows with JavaScript: finding the tables in the
    # dumped DOM proves the page rendered them, not just that the file contains them.
    assert '<table class="asa-chain">' in dom, completed.stderr[-2000:]
    assert "CHAIN_INCOMPLETE" in dom
    assert "Served chain" in dom


def outcomes(run: SuiteRun) -> dict[str, list[tuple[str, str, list[str]]]]:
    """Per scenario: each step's kind, status and the names of its failed checks."""
    return {
        scenario["name"]: [
            (step["kind"], step["status"], [c["name"] for c in step["checks"] if not c["passed"]])
            for step in scenario["steps"]
        ]
        for scenario in run.results()["scenarios"]
    }


def test_two_workers_give_the_same_results_as_a_serial_run(
    suite_run: SuiteRun, tmp_path: Path
) -> None:
    parallel = run_suite(tmp_path, "-n", "2")
    assert parallel.returncode == suite_run.returncode
    assert outcomes(parallel) == outcomes(suite_run)

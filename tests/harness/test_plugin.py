"""The pytest plugin: collection rules, schema errors as failing items, the JSON results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def test_a_broken_scenario_fails_with_file_and_line_and_the_run_continues(
    pytester: pytest.Pytester,
) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "broken.yaml").write_text(
        "name: broken\nsteps:\n  - configure: x\n  - probe: {sni: vpn}\n"
    )
    (folder / "fine.yaml").write_text("name: fine\nsteps:\n  - exec: show clock\n")
    (folder / "_fragment.yaml").write_text("- exec: show clock\n")
    results = pytester.path / "results.json"
    outcome = pytester.runpytest("scenarios", f"--asa-results={results}", "-p", "no:cacheprovider")
    outcome.assert_outcomes(passed=1, failed=1)
    text = outcome.stdout.str()
    assert "broken.yaml:4: steps[1].probe" in text
    document = json.loads(results.read_text())
    by_name = {s["name"]: s for s in document["scenarios"]}
    assert by_name["fine"]["status"] == "passed"
    assert by_name["broken"]["status"] == "error"
    assert document["summary"] == {"total": 2, "passed": 1, "failed": 0, "error": 1, "skipped": 0}


def test_yaml_outside_a_scenarios_folder_is_not_collected(pytester: pytest.Pytester) -> None:
    (pytester.path / "config.yaml").write_text("name: not a scenario\n")
    outcome = pytester.runpytest("-p", "no:cacheprovider")
    assert outcome.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_a_failing_expectation_reports_expected_actual_and_evidence(
    pytester: pytest.Pytester,
) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "wrong.yaml").write_text(
        "name: wrong\nsteps:\n  - exec: show clock\n    expect: {contains: [NOT-IN-OUTPUT]}\n"
    )
    outcome = pytester.runpytest("scenarios", "-p", "no:cacheprovider")
    outcome.assert_outcomes(failed=1)
    text = outcome.stdout.str()
    assert "FAIL output contains 'NOT-IN-OUTPUT'" in text
    assert "expected: true" in text and "actual:   false" in text


def test_tags_become_markers(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "a.yaml").write_text("name: a\ntags: [nightly]\nsteps:\n  - exec: show clock\n")
    (folder / "b.yaml").write_text("name: b\nsteps:\n  - exec: show clock\n")
    outcome = pytester.runpytest("scenarios", "-m", "nightly", "-p", "no:cacheprovider")
    outcome.assert_outcomes(passed=1, deselected=1)


def shipped() -> Path:
    return Path(__file__).resolve().parents[2] / "scenarios"


def test_scenarios_for_one_real_device_are_grouped_for_xdist(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "a.yaml").write_text("name: a\nsteps:\n  - exec: show clock\n")
    (pytester.path / "inventory.yaml").write_text(
        "targets:\n"
        "  - name: lab-fw\n    kind: external\n    ssh: 127.0.0.1:1\n"
        "    interfaces: {outside: '127.0.0.1:1'}\n    shared: true\n"
        "    username_env: U\n    password_env: P\n    enable_password_env: E\n"
    )
    pytester.makeconftest(
        "def pytest_collection_modifyitems(items):\n"
        "    for item in items:\n"
        "        print('GROUPS', [m.args for m in item.iter_markers('xdist_group')])\n"
    )
    shared = pytester.runpytest(
        "scenarios", "--collect-only", "-s", "--asa-target=lab-fw", "--asa-inventory=inventory.yaml"
    )
    assert "GROUPS [('lab-fw',)]" in shared.stdout.str()
    embedded = pytester.runpytest("scenarios", "--collect-only", "-s")
    assert "GROUPS []" in embedded.stdout.str()

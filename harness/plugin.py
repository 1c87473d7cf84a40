"""The pytest plugin (entry point ``pytest11``): scenario files become test items.

* Collected: ``*.yaml``/``*.yml`` under a folder named ``scenarios`` (fragments: names
  starting with ``_`` or inside a ``fragments`` folder are only included, never run).
* A file with schema errors becomes an item that fails with the file:line message, so
  one broken file never stops the rest of the run.
* Each item runs its scenario on a fresh target; the result goes into pytest-html extras,
  the JUnit report, and (``--asa-results FILE``) one JSON document for machines.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.errors import ScenarioError
from harness.scenario import Scenario, is_scenario_file, load_scenario

RESULT_ATTRIBUTE = "asa_scenario"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("asa-cert-harness", "ASA certificate scenarios")
    group.addoption(
        "--asa-target",
        default=None,
        metavar="NAME",
        help="run every scenario on this target instead of the one it names (default: embedded)",
    )
    group.addoption(
        "--asa-results",
        default=None,
        metavar="FILE",
        help="write the scenario results as JSON to FILE",
    )
    group.addoption(
        "--asa-inventory",
        default=None,
        metavar="FILE",
        help="inventory of targets (docker images, external devices) that --asa-target may name",
    )


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if is_scenario_file(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFailedError(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as error:
            yield ScenarioItem.from_parent(
                self, name=self.path.stem, scenario=None, load_error=str(error)
            )
            return
        item = ScenarioItem.from_parent(
            self, name=scenario.name, scenario=scenario, load_error=None
        )
        if _is_exclusive(self.config, scenario):
            # One device, one scenario at a time: xdist's loadgroup keeps a group on one worker.
            item.add_marker(pytest.mark.xdist_group(_target_name(self.config, scenario)))
        for tag in scenario.tags:
            self.config.addinivalue_line("markers", f"{tag}: scenario tag")
            item.add_marker(tag)
        yield item


def _target_name(config: pytest.Config, scenario: Scenario) -> str:
    return str(config.getoption("--asa-target") or scenario.target)


def _is_exclusive(config: pytest.Config, scenario: Scenario) -> bool:
    from lab.targets import TargetStartError, make_target

    inventory = config.getoption("--asa-inventory")
    try:
        target = make_target(_target_name(config, scenario), Path(inventory) if inventory else None)
    except TargetStartError:
        return False  # reported when the item runs
    return bool(getattr(target, "exclusive", True))


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario | None, load_error: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.load_error = load_error
        self.result: dict[str, Any] | None = None

    def runtest(self) -> None:
        from harness.report.text import failure_text
        from harness.run.runner import run_scenario
        from harness.run.serialise import scenario_to_dict
        from lab.targets import TargetStartError, make_target

        if self.scenario is None:
            raise ScenarioFailedError(self.load_error or "the scenario could not be loaded")
        target_name = _target_name(self.config, self.scenario)
        try:
            inventory = self.config.getoption("--asa-inventory")
            target = make_target(target_name, Path(inventory) if inventory else None)
        except TargetStartError as error:
            raise ScenarioFailedError(str(error)) from None
        result = run_scenario(self.scenario, self.path, target)
        self.result = scenario_to_dict(result)
        if result.status != "passed":
            raise ScenarioFailedError(failure_text(self.result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailedError):
            return excinfo.value.text
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"scenario: {self.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if not isinstance(item, ScenarioItem) or report.when != "call":
        return report
    data = item.result or _load_error_result(item)
    setattr(report, RESULT_ATTRIBUTE, data)
    try:
        import pytest_html
    except ImportError:
        return report
    from harness.report.html import scenario_html

    extras = getattr(report, "extras", [])
    extras.append(pytest_html.extras.html(scenario_html(data)))
    report.extras = extras  # type: ignore[attr-defined]  # pytest-html reads this attribute
    return report


def pytest_html_report_title(report: Any) -> None:
    report.title = "ASA certificate scenarios"


def _load_error_result(item: ScenarioItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "file": str(item.path),
        "target": item.config.getoption("--asa-target") or "embedded",
        "status": "error",
        "duration_s": 0.0,
        "description": "",
        "tags": [],
        "steps": [],
        "error": item.load_error,
    }


class _ResultCollector:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.results: list[dict[str, Any]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, RESULT_ATTRIBUTE, None)
        if report.when == "call" and isinstance(data, dict):
            self.results.append(data)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from harness.run.serialise import results_document

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(results_document(self.results), indent=1) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    results = config.getoption("--asa-results", default=None)
    if results and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_ResultCollector(Path(results)), "asa-results-collector")

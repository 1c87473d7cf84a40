"""``asa-harness run``: run scenario files through pytest with the plugin, write the reports,
print a short summary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "run",
        help="run scenarios and write the HTML, JUnit and JSON reports",
        description=(
            "Run scenario files (default: scenarios/) against the embedded virtual ASA or a named "
            "target, through pytest and the asa-cert-harness plugin. Unknown options are passed to "
            "pytest (e.g. -k PATTERN, -m MARKER, -x)."
        ),
    )
    parser.add_argument("paths", nargs="*", default=["scenarios"], help="scenario files or folders")
    parser.add_argument(
        "--target", help="run every scenario on this target (default: the one each names)"
    )
    parser.add_argument(
        "--inventory", type=Path, help="inventory file naming docker and external targets"
    )
    parser.add_argument(
        "--html", type=Path, default=Path("reports/report.html"), help="HTML report file"
    )
    parser.add_argument(
        "--junitxml", type=Path, default=Path("reports/junit.xml"), help="JUnit XML file"
    )
    parser.add_argument(
        "--results", type=Path, default=Path("reports/results.json"), help="JSON results file"
    )
    parser.add_argument(
        "-n", dest="workers", help="parallel workers (pytest-xdist), e.g. 2 or auto"
    )
    parser.set_defaults(handler=run_scenarios, accepts_extra=True)


def pytest_arguments(arguments: argparse.Namespace, extra: list[str]) -> list[str]:
    args = [str(p) for p in arguments.paths]
    args += [
        "-p",
        "no:cacheprovider",
        # Scenarios use no hypothesis; its plugin (installed for the project's own tests)
        # costs about a second of start-up in every pytest process.
        "-p",
        "no:hypothesispytest",
        f"--html={arguments.html}",
        "--self-contained-html",
        f"--junitxml={arguments.junitxml}",
        f"--asa-results={arguments.results}",
        "-o",
        "junit_family=xunit2",
        "-o",
        "render_collapsed=none",
    ]
    if arguments.workers:
        args += ["-n", str(arguments.workers), "--dist", "loadgroup"]
    if arguments.target:
        args.append(f"--asa-target={arguments.target}")
    if arguments.inventory:
        args.append(f"--asa-inventory={arguments.inventory}")
    return args + list(extra)


def run_scenarios(arguments: argparse.Namespace, extra: list[str]) -> int:
    import pytest

    missing = [p for p in arguments.paths if not Path(p).exists()]
    if missing:
        print(f"asa-harness run: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if arguments.results.exists():
        arguments.results.unlink()
    code = int(pytest.main(pytest_arguments(arguments, extra)))
    print(summary(arguments))
    if code == 5:
        return 2
    return 0 if code == 0 else 1


def summary(arguments: argparse.Namespace) -> str:
    try:
        document = json.loads(arguments.results.read_text())
    except (OSError, ValueError):
        return f"no results were written (see the output above); report: {arguments.html}"
    counts = document["summary"]
    duration = sum(s.get("duration_s", 0.0) for s in document["scenarios"])
    lines = [
        f"scenarios: {counts['total']} run, {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['error']} errors ({duration:.1f} s of scenario time)"
    ]
    for scenario in document["scenarios"]:
        if scenario["status"] != "passed":
            lines.append(
                f"  {scenario['status'].upper():7} {scenario['name']} ({scenario['file']})"
            )
    lines.append(
        f"report: {arguments.html}  junit: {arguments.junitxml}  json: {arguments.results}"
    )
    return "\n".join(lines)

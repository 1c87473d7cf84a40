"""The command line starts fast: each sub-command loads its machinery only when it runs."""

from __future__ import annotations

import subprocess
import sys

from harness.cli.probe import SEVERITY_PROFILES
from harness.diagnose import PROFILES


def test_the_probe_help_lists_the_diagnosis_profiles() -> None:
    assert SEVERITY_PROFILES == PROFILES


def test_importing_the_command_line_loads_no_sub_command_machinery() -> None:
    heavy = [
        "lab.emulator.server",
        "harness.oracle",
        "probes.tls",
        "harness.run.runner",
        "asyncssh",
    ]
    program = f"import sys, harness.cli; print([m for m in {heavy!r} if m in sys.modules])"
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"

"""Ctrl-C during `asa-harness run` on the embedded target leaves no temporary state behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_sigint_mid_run_removes_every_state_folder(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    reports = tmp_path / "reports"
    environment = {**os.environ, "TMPDIR": str(temp)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "run",
            "scenarios",
            "--html",
            str(reports / "r.html"),
            "--junitxml",
            str(reports / "j.xml"),
            "--results",
            str(reports / "r.json"),
            "-p",
            "no:randomly",
            "-v",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    # Interrupt once the first scenario has finished, while the second one runs.
    for line in process.stdout:
        if "PASSED" in line or "FAILED" in line:
            break
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=120)[0]
    assert process.returncode != 0
    leftovers = [p.name for p in temp.iterdir() if p.name.startswith("asa-state-")]
    assert leftovers == [], output[-3000:]

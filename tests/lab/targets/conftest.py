"""Fixtures for the target tests: the docker engine, the images, an external emulator, and the
embedded run of the shipped scenarios that the other targets are compared with."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lab.targets.engine import docker_client, engine_problem
from tests.lab.targets.targets_support import (
    HARNESS,
    EmulatorProcess,
    read_ready_line,
    run_suite,
    shipped_scenarios,
)


@pytest.fixture
def docker_engine(tool: Callable[[str], str]) -> Iterator[Any]:
    """A docker client; skip (locally) or fail (CI) without the docker CLI or a running engine."""
    tool("docker")
    problem = engine_problem()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{problem}; CI starts dockerd in .ci/run")
        pytest.skip(problem)
    client = docker_client()
    yield client
    client.close()


@pytest.fixture
def virtual_asa_image(docker_engine: Any) -> str:
    """The virtual-ASA image: built when the source changed, else cached (checked per process)."""
    from lab.targets.images import current_image

    return current_image()


@pytest.fixture(scope="session")
def embedded_statuses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every shipped scenario run on the built-in embedded target (9.23 output)."""
    folder = tmp_path_factory.mktemp("embedded-run")
    return run_suite(shipped_scenarios(), folder, "--target", "embedded")


@pytest.fixture
def external_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    password, enable = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    process = subprocess.Popen(
        [
            *HARNESS,
            "emulator",
            "--listen",
            "outside=127.0.0.1:0",
            "--listen",
            "inside=127.0.0.1:0",
            "--state-dir",
            str(tmp_path / "emulator-state"),
            "--username",
            "labadmin",
            f"--password={password}",
            f"--enable-password={enable}",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield EmulatorProcess(process, read_ready_line(process, 30), "labadmin", password, enable)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()

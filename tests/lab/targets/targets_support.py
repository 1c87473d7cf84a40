"""Helpers for the target tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import json
import os
import secrets
import selectors
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.targets.readiness import ReadyLine, parse_ready_line

REPOSITORY = Path(__file__).resolve().parents[3]
SCENARIOS = REPOSITORY / "scenarios"
HARNESS = [sys.executable, "-m", "harness.cli"]


def shipped_scenarios() -> list[Path]:
    return sorted(
        path
        for path in SCENARIOS.rglob("*.y*ml")
        if not path.name.startswith("_") and "fragments" not in path.parts
    )


def run_harness(
    *arguments: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HARNESS, *arguments],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def statuses(results: Path) -> dict[str, str]:
    """Scenario file name -> status, from an ``--asa-results`` document."""
    document = json.loads(results.read_text())
    return {Path(s["file"]).name: s["status"] for s in document["scenarios"]}


def run_suite(
    paths: list[Path], folder: Path, *options: str, env: dict[str, str] | None = None
) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    results = folder / "results.json"
    outcome = run_harness(
        "run",
        *(str(p) for p in paths),
        "--html",
        str(folder / "report.html"),
        "--junitxml",
        str(folder / "junit.xml"),
        "--results",
        str(results),
        *options,
        cwd=folder,
        env=env,
    )
    assert results.is_file(), (
        f"no results were written:\n{outcome.stdout[-3000:]}\n{outcome.stderr[-3000:]}"
    )
    return statuses(results)


@dataclass
class EmulatorProcess:
    """``asa-harness emulator`` in a subprocess, as a lab device would be: reached over SSH."""

    process: subprocess.Popen[str]
    ready: ReadyLine
    username: str
    password: str = field(repr=False)
    enable_password: str = field(repr=False)

    def environment(self, prefix: str = "LAB_ASA") -> dict[str, str]:
        return {
            f"{prefix}_USERNAME": self.username,
            f"{prefix}_PASSWORD": self.password,
            f"{prefix}_ENABLE_PASSWORD": self.enable_password,
        }

    def inventory_entry(self, name: str, prefix: str = "LAB_ASA", shared: bool = False) -> str:
        host, port = self.ready.ssh
        interfaces = "".join(
            f"      {nameif}: {address[0]}:{address[1]}\n"
            for nameif, address in self.ready.interfaces.items()
        )
        return (
            f"  - name: {name}\n"
            "    kind: external\n"
            f"    ssh: {host}:{port}\n"
            "    interfaces:\n"
            f"{interfaces}"
            f"    shared: {'true' if shared else 'false'}\n"
            f"    username_env: {prefix}_USERNAME\n"
            f"    password_env: {prefix}_PASSWORD\n"
            f"    enable_password_env: {prefix}_ENABLE_PASSWORD\n"
        )


def read_ready_line(process: subprocess.Popen[str], timeout_s: float) -> ReadyLine:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while selector.select(timeout_s):
            line = process.stdout.readline()
            if not line:
                break
            ready = parse_ready_line(line)
            if ready is not None:
                return ready
    process.kill()
    raise AssertionError(
        f"the emulator printed no ready line; stderr: {process.communicate()[1][-2000:]}"
    )


# ---------------------------------------------------------------- docker helpers


def docker_inventory(folder: Path, name: str, **keys: object) -> Path:
    """An inventory with one docker target; values are written as YAML flow scalars/lists."""
    lines = [f"  - name: {name}", "    kind: docker"]
    lines += [f"    {key}: {json.dumps(value)}" for key, value in keys.items()]
    path = folder / "inventory.yaml"
    path.write_text("targets:\n" + "\n".join(lines) + "\n")
    return path


def wait_for_container_event(
    client: Any, action: str, since: int, timeout_s: float, **labels: str
) -> dict[str, Any] | None:
    """The first ``action`` event (start, destroy, ...) of a container with these labels since
    ``since`` (past events are replayed, so nothing is missed), or None after ``timeout_s``."""
    filters = {
        "type": "container",
        "event": action,
        "label": [f"{key}={value}" for key, value in labels.items()],
    }
    until = int(time.time() + timeout_s) + 1
    for event in client.events(since=since, until=until, filters=filters, decode=True):
        return dict(event)
    return None


def wait_until_removed(client: Any, container_id: str, since: int, timeout_s: float = 90) -> None:
    filters = {"type": "container", "event": "destroy", "container": container_id}
    until = int(time.time() + timeout_s) + 1
    for _event in client.events(since=since, until=until, filters=filters, decode=True):
        return
    remaining = client.api.containers(all=True, filters={"id": container_id})
    raise AssertionError(
        f"container {container_id[:12]} was not removed within {timeout_s} s: {remaining}"
    )


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def free_port() -> int:
    """A port nobody listens on (bound to port 0, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unique_name(prefix: str) -> str:
    """A target name no concurrent run on this engine uses (container labels carry it)."""
    return f"{prefix}-{secrets.token_hex(4)}"
